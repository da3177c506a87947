"""Frozen versions of an issue's content and their preview renders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.permissions import can

from ..models import (
    Issue,
    IssueVersion,
)
from ..renditions import rendition_queue
from ..selectors.documents import working_document
from ..snapshot import content_sha256

# --- Versions ----------------------------------------------------------------------------


def version_snapshot(*, issue: Issue, actor) -> IssueVersion:
    """The frozen version of the issue's current content: the existing one with the same
    SHA-256, or a new one. Call with the issue row locked."""
    doc = working_document(issue)
    sha, data = content_sha256(doc)
    if sha != issue.content_sha256:
        issue.content_sha256 = sha
        issue.save(update_fields=["content_sha256", "updated_at"])
    existing = issue.versions.filter(sha256=sha).first()
    if existing is not None:
        return existing
    number = (issue.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    refs = {
        item.anchor: ref
        for item, ref in zip(doc.items, _item_submission_ids(issue), strict=True)
        if ref
    }
    return IssueVersion.objects.create(
        issue=issue,
        number=number,
        edition=issue.edition,
        sha256=sha,
        document=data,
        item_refs=refs,
        created_by=actor,
    )


def _item_submission_ids(issue: Issue) -> list[int | None]:
    return [
        item.submission_id
        for section in issue.sections.order_by("position", "pk")
        for item in section.items.order_by("position", "pk")
    ]


# --- Preview renders -----------------------------------------------------------------------


def issue_preview_request(*, issue_id: int, actor) -> IssueVersion:
    """Freeze the current content as a version (or find it) and queue its preview render,
    so the editors see the page count of the current draft."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None:
            raise ValidationError("期次不存在或已被删除。")
        if not can(actor, "issue.preview", issue):
            raise PermissionDenied("您不能生成本期的排版预览。")
        version = version_snapshot(issue=issue, actor=actor)
        if version.pages is None:
            version_preview_queue(version.pk)
    return version


def version_preview_queue(version_id: int) -> None:
    """Queue the preview render of a version after commit (its Rendition row now)."""
    rendition_queue(version_id=version_id, kind="preview")
