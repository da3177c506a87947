"""What the read-through (审阅, ``bulletins/detail.html``) shows of an issue: the document as
it will print, each item with its comments, the issue's own comments, what changed since the
version sent for review before, the approvals, the latest events, whom the end matter
reaches, and the delivery of a signed issue."""

from __future__ import annotations

from accounts.permissions import can

from .. import confirmation, workflow
from ..models import ApprovalStage, Issue, IssueStatus, IssueVersion
from .documents import issue_document, version_document
from .history import issue_comments, issue_events, version_diff
from .issues import valid_approvals
from .layout import page_image_url

RECENT_EVENTS = 6


def issue_read_through(issue: Issue, user, version: IssueVersion | None) -> dict:
    """The template context of the read-through of ``issue`` for ``user``, where ``version``
    is the issue's current version (shown instead of the working copy while in the chain)."""
    in_chain = issue.status in {IssueStatus.IN_REVIEW, IssueStatus.AWAITING_SIGNATURE}
    document = (
        version_document(version) if in_chain and version is not None else issue_document(issue)
    )
    previous = previous_submitted(issue, version)
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
            item_id = _anchor_item_id(item.anchor)
            rows.append(
                {
                    "doc": item,
                    "body": prepare_body(item.body_html, image_url=image_url),
                    "item_id": item_id if item_id in live_items else None,
                    "comments": by_item.get(item_id, []),
                }
            )
        doc_sections.append({"title": section.title, "anchor": section.anchor, "items": rows})
    return {
        "document": document,
        "doc_sections": doc_sections,
        "doc_blocks": [
            {"doc": block, "body": prepare_body(block.body_html, image_url=image_url)}
            for block in document.free_blocks
        ],
        "issue_comments": [c for c in comments if not c.item_id],
        "may_comment": can(user, "issue.comment", issue),
        "previous_version": previous,
        "diff": version_diff(previous, version) if previous and in_chain else [],
        "review_approval": workflow.valid_approval(issue, ApprovalStage.REVIEW),
        "approvals": valid_approvals(issue),
        "events": issue_events(issue)[-RECENT_EVENTS:],
        "reach": confirmation.issue_reach(issue, version) if in_chain and version else None,
        **confirmation.delivery_context(issue, user),
    }


def previous_submitted(issue: Issue, version: IssueVersion | None) -> IssueVersion | None:
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


def _anchor_item_id(anchor: str) -> int | None:
    """The item's id in a document's anchor ``item-<id>`` (None when it names no number)."""
    try:
        return int(anchor.removeprefix("item-"))
    except ValueError:
        return None
