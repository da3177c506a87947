"""What every content write shares: the issue row locked and refused unless the issue is
in an editable status (组版中 or 退回修改), the content hash recomputed and the approvals
that no longer match voided after the change, and the positions of sections, items and
blocks kept dense."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.permissions import can
from core.text import visible_text

from ..models import (
    EDITABLE_STATUSES,
    Approval,
    Issue,
    IssueEvent,
    IssueStatus,
)
from ..selectors.documents import working_document
from ..snapshot import content_sha256


def required(
    value: str,
    message: str,
    *,
    max_length: int | None = None,
    label: str = "",
    multiline: bool = False,
) -> str:
    """``value`` without invisible characters (``visible_text``); raises ValidationError
    with ``message`` when nothing visible is left, or when it is longer than
    ``max_length`` (refused, not cut: what was typed is not silently changed)."""
    value = visible_text(value, multiline=multiline)
    if not value:
        raise ValidationError(message)
    if max_length is not None and len(value) > max_length:
        raise ValidationError(f"{label}不能超过 {max_length} 个字符（现有 {len(value)} 个）。")
    return value


# --- Locking and the content hash ---------------------------------------------------------

_LOCKED_MESSAGES = {
    IssueStatus.IN_REVIEW: "本期已送审，正在审核中，不能修改。如需修改，请先“撤回修改”。",
    IssueStatus.AWAITING_SIGNATURE: "本期已审核通过，正在等待签发，不能修改。"
    "如需修改，请先“撤回修改”（修改后审核须重新进行）。",
    IssueStatus.SIGNED: "本期已签发，内容已冻结，不能修改。如需更正，请“发起更正”生成更正版。",
}


def lock_editable(issue_id, actor) -> Issue:
    """The issue, locked for this transaction, if ``actor`` may edit it now."""
    try:
        issue = Issue.objects.select_for_update().get(pk=issue_id)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise ValidationError("期次不存在或已被删除。") from None
    if not can(actor, "issue.edit", issue):
        raise PermissionDenied("只有编辑可以修改期次内容。")
    if issue.status not in EDITABLE_STATUSES:
        raise ValidationError(_LOCKED_MESSAGES[issue.status])
    return issue


def content_changed(issue: Issue, actor, *, record_editor: bool = True) -> None:
    """After a content write: store the new hash, remember the actor as an editor of the
    issue, and void every valid approval whose version is not the new content (with an
    event per voided approval)."""
    sha, _data = content_sha256(working_document(issue))
    if sha != issue.content_sha256:
        issue.content_sha256 = sha
        issue.save(update_fields=["content_sha256", "updated_at"])
    if record_editor:
        issue.editors.add(actor)
    stale = (
        Approval.objects.filter(issue=issue, edition=issue.edition, voided_at__isnull=True)
        .exclude(version__sha256=sha)
        .select_related("version")
    )
    for approval in stale:
        reason = f"{approval.version.label} 之后内容有修改"
        approval.voided_at = timezone.now()
        approval.void_reason = reason
        approval.save(update_fields=["voided_at", "void_reason"])
        IssueEvent.objects.create(
            issue=issue,
            action="void_approval",
            from_status=issue.status,
            to_status=issue.status,
            edition=issue.edition,
            actor=actor,
            version=approval.version,
            comment=f"{approval.get_stage_display()}批准（{reason}）作废，须重新{approval.get_stage_display()}。",
        )


def renumber(rows) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def move_in(rows: list, row, direction: str) -> None:
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"}:
        raise ValidationError("移动方向不对。")
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    renumber(rows)
