"""The forms of one item (编辑稿件) and one free block (致谢, 附件…) of an issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.views import errors_to_form

from .. import bodies
from ..forms import (
    BlockForm,
    EditorialItemForm,
    ItemForm,
)
from ..selectors.documents import automatic_attribution
from ..services.layout import (
    block_add,
    block_update,
    item_create,
    item_update,
)
from .common import editor_issue, int_or_none, item_of


@login_required
def item_new(request, issue_id):
    issue = editor_issue(request, issue_id)
    sections = list(issue.sections.order_by("position", "pk"))
    if request.method == "POST":
        form = EditorialItemForm(request.POST, sections=sections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = item_create(
                    issue_id=issue.pk,
                    section_id=data["section"],
                    title=data["title"],
                    toc_title=data["toc_title"],
                    body_html=data["body_html"],
                    attribution=data["attribution"],
                    actor=request.user,
                )
            except ValidationError as exc:
                errors_to_form(exc, form)
            else:
                _note_foreign_images(request, issue, data["body_html"])
                messages.success(request, f"已添加“{item.title}”。")
                return redirect(reverse("bulletins:assemble", args=[issue.pk]) + f"#item-{item.pk}")
    else:
        form = EditorialItemForm(
            sections=sections, initial={"section": int_or_none(request.GET.get("section"))}
        )
    return render(request, "bulletins/item_form.html", {"issue": issue, "form": form})


@login_required
def item_edit(request, issue_id, item_id):
    issue = editor_issue(request, issue_id)
    item = item_of(issue, item_id)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                item_update(item_id=item.pk, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(exc, form)
            else:
                _note_foreign_images(request, issue, form.cleaned_data["body_html"])
                messages.success(request, f"已保存“{form.cleaned_data['title']}”。")
                return redirect(reverse("bulletins:assemble", args=[issue.pk]) + f"#item-{item.pk}")
    else:
        form = ItemForm.of_item(item)
    return render(
        request,
        "bulletins/item_form.html",
        {
            "issue": issue,
            "item": item,
            "form": form,
            "automatic_attribution": automatic_attribution(item.alliance, item.section.title),
            "comments": list(item.comments.select_related("author")),
        },
    )


@login_required
def block_new(request, issue_id):
    issue = editor_issue(request, issue_id)
    return _block_form(request, issue, None)


@login_required
def block_edit(request, issue_id, block_id):
    issue = editor_issue(request, issue_id)
    block = issue.free_blocks.filter(pk=block_id).first()
    if block is None:
        raise Http404
    return _block_form(request, issue, block)


def _note_foreign_images(request, issue, body_html: str) -> None:
    """Tell the editor which pictures the save dropped (not of this issue's submissions)."""
    if note := bodies.foreign_images_note(issue.pk, body_html):
        messages.warning(request, note)


def _block_form(request, issue, block):
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if block is None:
                    block_add(issue_id=issue.pk, actor=request.user, **data)
                else:
                    block_update(
                        block_id=block.pk,
                        title=data["title"],
                        body_html=data["body_html"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                errors_to_form(exc, form)
            else:
                _note_foreign_images(request, issue, data["body_html"])
                messages.success(request, f"已保存“{data['title']}”。")
                return redirect(reverse("bulletins:assemble", args=[issue.pk]) + "#blocks")
    elif block is not None:
        form = BlockForm(
            initial={"kind": block.kind, "title": block.title, "body_html": block.body_html}
        )
    else:
        kind = request.GET.get("kind", "thanks")
        form = BlockForm(initial={"kind": kind, "title": "致谢" if kind == "thanks" else ""})
    return render(
        request, "bulletins/block_form.html", {"issue": issue, "block": block, "form": form}
    )
