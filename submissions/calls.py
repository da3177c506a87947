"""Every write to calls for submissions (征稿). Reminders are in ``notifications``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import can
from core.text import visible_text

from .models import CallForSubmissions


def call_open(
    *,
    title: str,
    deadline,
    actor,
    issue_label: str = "",
    description: str = "",
    remind_days_before: int = 3,
) -> CallForSubmissions:
    if not can(actor, "call.manage"):
        raise PermissionDenied
    title = visible_text(title)
    if not title:
        raise ValidationError({"title": "请填写征稿标题。"})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "截止日期不能早于今天。"})
    if not 0 <= remind_days_before <= 60:
        raise ValidationError({"remind_days_before": "提前提醒天数应在 0 到 60 天之间。"})
    return CallForSubmissions.objects.create(
        title=title.strip()[:200],
        issue_label=issue_label.strip()[:60],
        description=description.strip(),
        deadline=deadline,
        remind_days_before=remind_days_before,
        opened_by=actor,
    )


def call_close(*, call_id: int, actor) -> CallForSubmissions:
    if not can(actor, "call.manage"):
        raise PermissionDenied
    with transaction.atomic():
        call = CallForSubmissions.objects.select_for_update().get(pk=call_id)
        if call.closed_at is None:
            call.closed_at = timezone.now()
            call.save(update_fields=["closed_at"])
    return call
