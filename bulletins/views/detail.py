"""The read-through (审阅): the issue as it will print, with the approval buttons and the
comments on it and its items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can

from .. import confirmation, workflow
from ..forms import (
    CommentForm,
)
from ..models import ApprovalStage, IssueStatus
from ..selectors.documents import issue_document, version_document
from ..selectors.history import (
    issue_comments,
    issue_events,
    version_diff,
)
from ..selectors.issues import (
    access_issue,
    valid_approvals,
)
from ..selectors.layout import page_image_url
from ..services.comments import comment_add as comment_write
from .common import error_text, form_error_text, header_context, int_or_none


@login_required
def issue_detail(request, issue_id):
    """The issue as it will print, with the approval buttons and per-item comments."""
    issue = access_issue(request.user, issue_id)
    context = header_context(request, issue)
    version = context["current_version"]
    in_chain = issue.status in {IssueStatus.IN_REVIEW, IssueStatus.AWAITING_SIGNATURE}
    document = (
        version_document(version) if in_chain and version is not None else issue_document(issue)
    )
    previous = _previous_submitted(issue, version)
    comments = issue_comments(issue)
    by_item: dict[int, list] = {}
    for comment in comments:
        if comment.item_id:
            by_item.setdefault(comment.item_id, []).append(comment)
    live_items = set(issue.items.values_list("pk", flat=True))
    # Bodies are sanitised again right before they are shown, their images pointed at a
    # permission-checked view (imported here: the rendering package loads WeasyPrint).
    from ..rendering.markup import prepare_body

    image_url = page_image_url(issue, version if in_chain else None)
    doc_sections = []
    for section in document.sections:
        rows = []
        for item in section.items:
            item_id = int_or_none(item.anchor.removeprefix("item-"))
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
            "diff": version_diff(previous, version) if previous and in_chain else [],
            "review_approval": workflow.valid_approval(issue, ApprovalStage.REVIEW),
            "approvals": valid_approvals(issue),
            "binds_version": any(move.binds_version for _a, move in context["actions"]),
            "events": issue_events(issue)[-6:],
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
    issue = access_issue(request.user, issue_id)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            comment_write(
                issue_id=issue.pk,
                item_id=form.cleaned_data["item"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = error_text(exc)
        except PermissionDenied as exc:
            error = str(exc)
    else:
        error = form_error_text(form)
    item_id = (
        form.cleaned_data.get("item") if form.is_valid() else int_or_none(request.POST.get("item"))
    )
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
