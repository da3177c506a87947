"""Issue pages: the list, a new issue, the assembly page (组版), the read-through with the
approval actions (审阅), the history with diffs. Thin: a form parses, an ``access_*``
fetches, one service or ``workflow.issue_transition`` writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.permissions import can, require

from . import bodies, confirmation, selectors, services, workflow
from .forms import (
    BlockForm,
    CommentForm,
    EditorialItemForm,
    IssueCreateForm,
    IssueUpdateForm,
    ItemForm,
    SectionForm,
)
from .models import ApprovalStage, IssueStatus


def _next(request, default: str) -> str:
    """The page to go back to: ``next`` from the form when it is a path on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _note_foreign_images(request, issue, body_html: str) -> None:
    if note := bodies.foreign_images_note(issue.pk, body_html):
        messages.warning(request, note)


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


# --- List and new issue -------------------------------------------------------------------


@login_required
def issue_index(request):
    require(request.user, "issue.view")
    issues = list(selectors.issue_list(user=request.user)[:200])
    holders = {issue.pk: selectors.holder(issue) for issue in issues}
    rows = [(issue, holders[issue.pk]) for issue in issues]
    return render(
        request,
        "bulletins/index.html",
        {
            "rows": rows,
            "may_create": can(request.user, "issue.create"),
            "may_import": can(request.user, "issue.import"),
        },
    )


@login_required
def issue_new(request):
    require(request.user, "issue.create")
    proposal = services.issue_next_numbers()
    if request.method == "POST":
        form = IssueCreateForm(request.POST)
        if form.is_valid():
            try:
                issue = services.issue_create(**form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, f"已新建{issue.issue_line}，请编入稿件。")
                return redirect("bulletins:assemble", issue_id=issue.pk)
    else:
        form = IssueCreateForm(
            initial={
                "volume_year": proposal.volume_year,
                "number": proposal.number,
                "cumulative_number": proposal.cumulative_number,
                "issued_on": timezone.localdate(),
            }
        )
    return render(request, "bulletins/new.html", {"form": form, "proposal": proposal})


# --- The assembly page ----------------------------------------------------------------------


def _assembly_context(request, issue, *, error: str = "") -> dict:
    editable = issue.is_editable and can(request.user, "issue.edit", issue)
    sections = selectors.assembly_sections(issue)
    return {
        "problems": services.issue_submit_problems(issue) if editable else [],
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
    issue = selectors.access_issue(request.user, issue_id)
    context = _assembly_context(request, issue)
    context.update(_header_context(request, issue))
    placeable = list(selectors.placeable_submissions(issue)[:100]) if context["editable"] else []
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
            "last_return": selectors.last_return(issue),
            "may_delete": context["editable"] and selectors.is_deletable(issue),
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
        error = _errors(exc)
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


def _editor_issue(request, issue_id):
    issue = selectors.access_issue(request.user, issue_id)
    require(request.user, "issue.edit", issue)
    return issue


@login_required
@require_POST
def issue_update(request, issue_id):
    issue = _editor_issue(request, issue_id)
    form = IssueUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("bulletins:assemble", issue_id=issue.pk)
    return _mutation(
        request,
        issue,
        lambda: services.issue_update(issue_id=issue.pk, actor=request.user, **form.cleaned_data),
        success="刊头和版记已保存。",
    )


@login_required
@require_POST
def issue_delete(request, issue_id):
    issue = _editor_issue(request, issue_id)
    line = issue.issue_line
    try:
        services.issue_delete(issue_id=issue.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("bulletins:assemble", issue_id=issue.pk)
    messages.success(request, f"已删除{line}。")
    return redirect("bulletins:index")


@login_required
@require_POST
def section_add(request, issue_id):
    issue = _editor_issue(request, issue_id)
    return _mutation(
        request,
        issue,
        lambda: services.section_add(
            issue_id=issue.pk, title=_section_title(request), actor=request.user
        ),
        success="已添加栏目。",
    )


def _section_title(request) -> str:
    """The title of the section add/rename form, checked by ``SectionForm`` (length,
    invisible characters); its errors as a ValidationError for ``_mutation``."""
    form = SectionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    return form.cleaned_data["title"]


def _section_of(issue, section_id):
    section = issue.sections.filter(pk=section_id).first()
    if section is None:
        raise Http404
    return section


@login_required
@require_POST
def section_change(request, issue_id, section_id, op):
    issue = _editor_issue(request, issue_id)
    section = _section_of(issue, section_id)
    calls = {
        "rename": lambda: services.section_rename(
            section_id=section.pk, title=_section_title(request), actor=request.user
        ),
        "remove": lambda: services.section_remove(section_id=section.pk, actor=request.user),
        "move": lambda: services.section_move(
            section_id=section.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
    }
    if op not in calls:
        raise Http404
    return _mutation(request, issue, calls[op])


def _item_of(issue, item_id):
    item = issue.items.select_related("section", "submission", "alliance").filter(pk=item_id)
    item = item.first()
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def item_place(request, issue_id):
    issue = _editor_issue(request, issue_id)
    return _mutation(
        request,
        issue,
        lambda: services.item_place_submission(
            issue_id=issue.pk,
            submission_id=_int(request.POST.get("submission")),
            section_id=_int(request.POST.get("section")),
            actor=request.user,
        ),
        success="已编入本期。",
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def item_change(request, issue_id, item_id, op):
    issue = _editor_issue(request, issue_id)
    item = _item_of(issue, item_id)
    calls = {
        "remove": lambda: services.item_remove(item_id=item.pk, actor=request.user),
        "move": lambda: services.item_move(
            item_id=item.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
        "move-to": lambda: services.item_move_to(
            item_id=item.pk,
            section_id=_int(request.POST.get("section")),
            index=_int(request.POST.get("index")),
            actor=request.user,
        ),
    }
    if op not in calls:
        raise Http404
    success = {"remove": f"已将“{item.title}”移出本期。"}.get(op, "")
    return _mutation(request, issue, calls[op], success=success)


@login_required
def item_new(request, issue_id):
    issue = _editor_issue(request, issue_id)
    sections = list(issue.sections.order_by("position", "pk"))
    if request.method == "POST":
        form = EditorialItemForm(request.POST, sections=sections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.item_create(
                    issue_id=issue.pk,
                    section_id=data["section"],
                    title=data["title"],
                    toc_title=data["toc_title"],
                    body_html=data["body_html"],
                    attribution=data["attribution"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                _note_foreign_images(request, issue, data["body_html"])
                messages.success(request, f"已添加“{item.title}”。")
                return redirect(reverse("bulletins:assemble", args=[issue.pk]) + f"#item-{item.pk}")
    else:
        form = EditorialItemForm(
            sections=sections, initial={"section": _int(request.GET.get("section"))}
        )
    return render(request, "bulletins/item_form.html", {"issue": issue, "form": form})


@login_required
def item_edit(request, issue_id, item_id):
    issue = _editor_issue(request, issue_id)
    item = _item_of(issue, item_id)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                services.item_update(item_id=item.pk, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
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
            "automatic_attribution": selectors.automatic_attribution(
                item.alliance, item.section.title
            ),
            "comments": list(item.comments.select_related("author")),
        },
    )


@login_required
def block_new(request, issue_id):
    issue = _editor_issue(request, issue_id)
    return _block_form(request, issue, None)


@login_required
def block_edit(request, issue_id, block_id):
    issue = _editor_issue(request, issue_id)
    block = issue.free_blocks.filter(pk=block_id).first()
    if block is None:
        raise Http404
    return _block_form(request, issue, block)


def _block_form(request, issue, block):
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if block is None:
                    services.block_add(issue_id=issue.pk, actor=request.user, **data)
                else:
                    services.block_update(
                        block_id=block.pk,
                        title=data["title"],
                        body_html=data["body_html"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
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


@login_required
@require_POST
def block_change(request, issue_id, block_id, op):
    issue = _editor_issue(request, issue_id)
    block = issue.free_blocks.filter(pk=block_id).first()
    if block is None:
        raise Http404
    calls = {
        "remove": lambda: services.block_remove(block_id=block.pk, actor=request.user),
        "move": lambda: services.block_move(
            block_id=block.pk, direction=request.POST.get("direction", ""), actor=request.user
        ),
    }
    if op not in calls:
        raise Http404
    return _mutation(request, issue, calls[op])


@login_required
@require_POST
def issue_preview(request, issue_id):
    issue = selectors.access_issue(request.user, issue_id)
    try:
        version = services.issue_preview_request(issue_id=issue.pk, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        if version.pages is None:
            messages.success(request, f"已提交排版预览（{version.label}），稍后刷新即可看到页数。")
        else:
            messages.success(request, f"{version.label} 共 {version.pages} 页。")
    return redirect(_next(request, reverse("bulletins:assemble", args=[issue.pk])))


@login_required
def version_pdf(request, issue_id, version_id):
    issue = selectors.access_issue(request.user, issue_id)
    require(request.user, "issue.preview", issue)
    version = selectors.access_version(request.user, issue, version_id)
    if not version.preview_pdf:
        raise Http404
    name = f"简报{issue.volume_year}年第{issue.number}期-{version.label}-预览.pdf"
    return FileResponse(version.preview_pdf.open("rb"), as_attachment=True, filename=name)


# --- Read-through, approvals, comments -----------------------------------------------------


def _header_context(request, issue) -> dict:
    return {
        "holder": selectors.holder(issue),
        "actions": workflow.available_actions(issue, request.user),
        "sign_blocked": workflow.sign_blocked_by_separation(issue, request.user),
        "current_version": workflow.current_version(issue),
        "pages_version": selectors.latest_pages(issue),
        **selectors.issue_renditions(issue),
        "may_edit": can(request.user, "issue.edit", issue),
    }


@login_required
def issue_detail(request, issue_id):
    """The issue as it will print, with the approval buttons and per-item comments."""
    issue = selectors.access_issue(request.user, issue_id)
    context = _header_context(request, issue)
    version = context["current_version"]
    in_chain = issue.status in {IssueStatus.IN_REVIEW, IssueStatus.AWAITING_SIGNATURE}
    document = (
        selectors.version_document(version)
        if in_chain and version is not None
        else selectors.issue_document(issue)
    )
    previous = _previous_submitted(issue, version)
    comments = selectors.issue_comments(issue)
    by_item: dict[int, list] = {}
    for comment in comments:
        if comment.item_id:
            by_item.setdefault(comment.item_id, []).append(comment)
    live_items = set(issue.items.values_list("pk", flat=True))
    # Bodies are sanitised again right before they are shown, their images pointed at a
    # permission-checked view (imported here: the rendering package loads WeasyPrint).
    from .rendering.markup import prepare_body

    image_url = selectors.page_image_url(issue, version if in_chain else None)
    doc_sections = []
    for section in document.sections:
        rows = []
        for item in section.items:
            item_id = _int(item.anchor.removeprefix("item-"))
            rows.append(
                {
                    "doc": item,
                    "body": prepare_body(item.body_html, image_url=image_url),
                    "item_id": item_id if item_id in live_items else None,
                    "comments": by_item.get(item_id, []),
                }
            )
        doc_sections.append({"title": section.title, "anchor": section.anchor, "items": rows})
    context.update(
        {
            "issue": issue,
            "document": document,
            "doc_sections": doc_sections,
            "doc_blocks": [
                {"doc": block, "body": prepare_body(block.body_html, image_url=image_url)}
                for block in document.free_blocks
            ],
            "issue_comments": [c for c in comments if not c.item_id],
            "typed_comment": request.session.pop(f"issue-{issue.pk}-comment", ""),
            "may_comment": can(request.user, "issue.comment", issue),
            "previous_version": previous,
            "diff": selectors.version_diff(previous, version) if previous and in_chain else [],
            "review_approval": workflow.valid_approval(issue, ApprovalStage.REVIEW),
            "approvals": selectors.valid_approvals(issue),
            "binds_version": any(move.binds_version for _a, move in context["actions"]),
            "events": selectors.issue_events(issue)[-6:],
            "reach": confirmation.issue_reach(issue, version) if in_chain and version else None,
            **confirmation.delivery_context(issue, request.user),
        }
    )
    return render(request, "bulletins/detail.html", context)


def _previous_submitted(issue, version):
    """The version sent for review before ``version`` (what the approvers saw last time)."""
    if version is None:
        return None
    event = (
        issue.events.filter(action="submit", version__number__lt=version.number)
        .select_related("version")
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.version if event else None


@login_required
@require_POST
def comment_add(request, issue_id):
    issue = selectors.access_issue(request.user, issue_id)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.comment_add(
                issue_id=issue.pk,
                item_id=form.cleaned_data["item"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = _errors(exc)
        except PermissionDenied as exc:
            error = str(exc)
    else:
        error = _form_errors(form)
    item_id = form.cleaned_data.get("item") if form.is_valid() else _int(request.POST.get("item"))
    if request.htmx:
        comments = issue.comments.select_related("author").order_by("created_at")
        comments = comments.filter(item_id=item_id) if item_id else comments.filter(item=None)
        return render(
            request,
            "bulletins/_comments.html",
            {
                "issue": issue,
                "comments": list(comments),
                "item_id": item_id,
                "error": error,
                "typed": request.POST.get("body", "") if error else "",
                "may_comment": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "意见已记录。")
    anchor = f"#item-{item_id}" if item_id else "#comments"
    return redirect(reverse("bulletins:detail", args=[issue.pk]) + anchor)


# --- History -------------------------------------------------------------------------------


@login_required
def issue_history(request, issue_id):
    issue = selectors.access_issue(request.user, issue_id)
    versions = selectors.issue_versions(issue)
    return render(
        request,
        "bulletins/history.html",
        {
            "issue": issue,
            "events": selectors.issue_events(issue),
            "versions": versions,
            "holder": selectors.holder(issue),
        },
    )


@login_required
def issue_diff(request, issue_id):
    """What changed between two versions (``from``, ``to``; ``to`` may be ``current``, the
    working copy)."""
    issue = selectors.access_issue(request.user, issue_id)
    old = selectors.access_version(request.user, issue, request.GET.get("from"))
    to = request.GET.get("to", "current")
    new = issue if to == "current" else selectors.access_version(request.user, issue, to)
    return render(
        request,
        "bulletins/diff.html",
        {
            "issue": issue,
            "old": old,
            "new": new,
            "new_label": "当前编辑稿" if new is issue else new.label,
            "diff": selectors.version_diff(old, new),
        },
    )
