"""Comments on an issue or one of its items (审阅意见)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.permissions import can

from ..models import (
    Comment,
    Issue,
)
from ..selectors.history import current_version
from .editing import required

# --- Comments ----------------------------------------------------------------------------


def comment_add(*, issue_id: int, body: str, actor, item_id: int | None = None) -> Comment:
    """A comment on the issue or on one of its items, on the version now current."""
    body = required(body, "请填写意见内容。", multiline=True)[:4000]
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None:
            raise ValidationError("期次不存在或已被删除。")
        if not can(actor, "issue.comment", issue):
            raise PermissionDenied("只有编辑、审核和签发人员可以发表意见。")
        item = None
        if item_id:
            item = issue.items.filter(pk=item_id).first()
            if item is None:
                raise ValidationError("稿件不存在或已不在本期。")
        return Comment.objects.create(
            issue=issue,
            item=item,
            item_title=item.title[:300] if item else "",
            version=current_version(issue),
            author=actor,
            body=body,
        )
