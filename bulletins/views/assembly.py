"""The assembly page (组版) and its small writes: masthead, sections, placing, moving and
removing items and blocks, the preview render. Each write answers HTMX with the refreshed
body, a plain POST with a redirect and a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can
from core.views import safe_next

from .. import confirmation
from ..forms import (
    BlockForm,
    IssueUpdateForm,
    SectionForm,
)
from ..selectors.issues import (
    access_issue,
    is_deletable,
    last_return,
)
from ..selectors.layout import assembly_sections, placeable_submissions
from ..services.issues import (
    issue_delete as issue_delete_write,
)
from ..services.issues import (
    issue_submit_problems,
)
from ..services.issues import (
    issue_update as issue_update_write,
)
from ..services.layout import (
    block_move,
    block_remove,
    item_move,
    item_move_to,
    item_place_submission,
    item_remove,
    section_move,
    section_remove,
    section_rename,
)
from ..services.layout import (
    section_add as section_add_write,
)
from ..services.versions import issue_preview_request
from .common import editor_issue, error_text, form_error_text, header_context, int_or_none, item_of


def _assembly_context(request, issue, *, error: str = "") -> dict:
    editable = issue.is_editable and can(request.user, "issue.edit", issue)
    sections = assembly_sections(issue)
    return {
        "problems": issue_submit_problems(issue) if editable else [],
        "reach": confirmation.issue_reach(issue) if editable else None,
        "issue": issue,
        "sections": sections,
        "blocks": list(issue.free_blocks.order_by("position", "pk")),
        "editable": editable,
        "error": error,
        "toc": [(section, list(section.items.all())) for section in sections],
        "item_count": sum(len(section.items.all()) for section in sections),
    }


def _render_assembly_body(request, issue, *, error=""):
    return render(
        request, "bulletins/_assembly_body.html", _assembly_context(request, issue, error=error)
    )


@login_required
def issue_assemble(request, issue_id):
    issue = access_issue(request.user, issue_id)
    context = _assembly_context(request, issue)
    context.update(header_context(request, issue))
    placeable = list(placeable_submissions(issue)[:100]) if context["editable"] else []
    context.update(
        {
            "placeable": placeable,
            "masthead_form": IssueUpdateForm(
                initial={
                    "issued_on": issue.issued_on,
                    "issuer": issue.issuer,
                    "report_to": issue.report_to,
                    "send_to": issue.send_to,
                }
            ),
            "section_form": SectionForm(),
            "block_form": BlockForm(),
            "last_return": last_return(issue),
            "may_delete": context["editable"] and is_deletable(issue),
        }
    )
    return render(request, "bulletins/assemble.html", context)


def _mutation(request, issue, write, *, success: str = ""):
    """Run one service call; answer HTMX with the refreshed assembly body (with the error,
    if any), a normal POST with a redirect and a message."""
    error = ""
    try:
        write()
    except ValidationError as exc:
        error = error_text(exc)
    except PermissionDenied as exc:
        error = str(exc) or "您没有权限进行这项操作。"
    if request.htmx:
        issue.refresh_from_db()
        return _render_assembly_body(request, issue, error=error)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(reverse("bulletins:assemble", args=[issue.pk]) + request.POST.get("anchor", ""))


@login_required
@require_POST
def issue_update(request, issue_id):
    issue = editor_issue(request, issue_id)
    form = IssueUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("bulletins:assemble", issue_id=issue.pk)
    return _mutation(
        request,
        issue,
        lambda: issue_update_write(issue_id=issue.pk, actor=request.user, **form.cleaned_data),
        success="刊头和版记已保存。",
    )


@login_required
@require_POST
def issue_delete(request, issue_id):
    issue = editor_issue(request, issue_id)
    line = issue.issue_line
    try:
        issue_delete_write(issue_id=issue.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("bulletins:assemble", issue_id=issue.pk)
    messages.success(request, f"已删除{line}。")
    return redirect("bulletins:index")


def _section_title(request) -> str:
    """The title of the section add/rename form, checked by ``SectionForm`` (length,
    invisible characters); its errors as a ValidationError for the mutation."""
    form = SectionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form_error_text(form))
    return form.cleaned_data["title"]


@login_required
@require_POST
def section_add(request, issue_id):
    issue = editor_issue(request, issue_id)
    return _mutation(
        request,
        issue,
        lambda: section_add_write(
            issue_id=issue.pk, title=_section_title(request), actor=request.user
        ),
        success="已添加栏目。",
    )


def _section_of(issue, section_id):
    section = issue.sections.filter(pk=section_id).first()
    if section is None:
        raise Http404
    return section


@login_required
@require_POST
def section_change(request, issue_id, section_id, op):
    issue = editor_issue(request, issue_id)
    section = _section_of(issue, section_id)
    calls = {
        "rename": lambda: section_rename(
            section_id=section.pk, title=_section_title(request), actor=request.user
        ),
        "remove": lambda: section_remove(section_id=section.pk, actor=request.user),
        "move": lambda: section_move(
            section_id=section.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
    }
    if op not in calls:
        raise Http404
    return _mutation(request, issue, calls[op])


@login_required
@require_POST
def item_place(request, issue_id):
    issue = editor_issue(request, issue_id)
    return _mutation(
        request,
        issue,
        lambda: item_place_submission(
            issue_id=issue.pk,
            submission_id=int_or_none(request.POST.get("submission")),
            section_id=int_or_none(request.POST.get("section")),
            actor=request.user,
        ),
        success="已编入本期。",
    )


@login_required
@require_POST
def item_change(request, issue_id, item_id, op):
    issue = editor_issue(request, issue_id)
    item = item_of(issue, item_id)
    calls = {
        "remove": lambda: item_remove(item_id=item.pk, actor=request.user),
        "move": lambda: item_move(
            item_id=item.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
        "move-to": lambda: item_move_to(
            item_id=item.pk,
            section_id=int_or_none(request.POST.get("section")),
            index=int_or_none(request.POST.get("index")),
            actor=request.user,
        ),
    }
    if op not in calls:
        raise Http404
    success = {"remove": f"已将“{item.title}”移出本期。"}.get(op, "")
    return _mutation(request, issue, calls[op], success=success)


@login_required
@require_POST
def block_change(request, issue_id, block_id, op):
    issue = editor_issue(request, issue_id)
    block = issue.free_blocks.filter(pk=block_id).first()
    if block is None:
        raise Http404
    calls = {
        "remove": lambda: block_remove(block_id=block.pk, actor=request.user),
        "move": lambda: block_move(
            block_id=block.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
    }
    if op not in calls:
        raise Http404
    return _mutation(request, issue, calls[op])


@login_required
@require_POST
def issue_preview(request, issue_id):
    issue = access_issue(request.user, issue_id)
    try:
        version = issue_preview_request(issue_id=issue.pk, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        if version.pages is None:
            messages.success(request, f"已提交排版预览（{version.label}），稍后刷新即可看到页数。")
        else:
            messages.success(request, f"{version.label} 共 {version.pages} 页。")
    return redirect(safe_next(request, reverse("bulletins:assemble", args=[issue.pk])))
