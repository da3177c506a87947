"""E-mails about submissions: decisions to the secretariat, reminders of calls.

Nothing is sent inside the transaction that made the change: ``queue_event_email`` queues
the task with ``transaction.on_commit``; the task calls :func:`event_email_send`, which
sends once (an ``EventNotification`` row records it). A periodic sweeper re-queues events
whose e-mail a lost message left unsent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from alliances.models import Alliance

from .models import CallForSubmissions, CallReminder, EventNotification, Submission, SubmissionEvent

log = logging.getLogger(__name__)

NOTIFIED_ACTIONS = ("accept", "request_revision", "decline", "publish")
SUBJECTS = {
    "accept": "【联盟简报】您的投稿已被采用：{title}",
    "request_revision": "【联盟简报】您的投稿需要修改：{title}",
    "decline": "【联盟简报】您的投稿未被采用：{title}",
    "publish": "【联盟简报】您的投稿已刊发：{title}",
}


def queue_event_email(event_id: int) -> None:
    # Imported here: tasks.py imports this module's services (a task runs what is queued
    # here), so a top-level import would close a loop; Celery's pair, resolved at call time.
    from .tasks import send_event_email

    transaction.on_commit(lambda: send_event_email.delay(event_id), robust=True)


def secretariat_emails(alliance_id: int) -> list[str]:
    """The e-mail addresses of the alliance's active secretariat users."""
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                secretariat_posts__alliance_id=alliance_id,
                role_grants__role=Role.SECRETARIAT,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def event_email_send(*, event_id: int) -> bool:
    """Send the e-mail about one decision event, once. Returns True when it was sent now."""
    event = (
        SubmissionEvent.objects.select_related("submission__alliance")
        .filter(pk=event_id, action__in=NOTIFIED_ACTIONS)
        .first()
    )
    if event is None or EventNotification.objects.filter(event_id=event_id).exists():
        return False
    submission = event.submission
    recipients = secretariat_emails(submission.alliance_id)
    if not recipients:
        EventNotification.objects.get_or_create(event=event, defaults={"recipients": ""})
        return False
    context = {
        "event": event,
        "submission": submission,
        "url": settings.SITE_URL + reverse("submissions:detail", args=[submission.pk]),
    }
    subject = SUBJECTS[event.action].format(title=submission.title[:60])
    body = render_to_string("submissions/email/decision.txt", context)
    # Claim first: a second worker running the same task sees the row and stops. If
    # sending fails, the claim is rolled back and the sweeper tries again.
    try:
        with transaction.atomic():
            EventNotification.objects.create(event=event, recipients=", ".join(recipients))
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def unsent_event_ids(*, older_than=timedelta(minutes=10), limit=200) -> list[int]:
    """Decision events whose e-mail has not gone out (for the sweeper)."""
    cutoff = timezone.now() - older_than
    since = timezone.now() - timedelta(days=3)
    return list(
        SubmissionEvent.objects.filter(
            action__in=NOTIFIED_ACTIONS, created_at__lt=cutoff, created_at__gte=since
        )
        .exclude(Exists(EventNotification.objects.filter(event=OuterRef("pk"))))
        .values_list("pk", flat=True)[:limit]
    )


# --- calls ------------------------------------------------------------------------------


def calls_due_for_reminders(today=None):
    """Open calls whose reminder window (``remind_days_before`` days up to the deadline)
    includes ``today``."""
    today = today or timezone.localdate()
    calls = CallForSubmissions.objects.filter(closed_at__isnull=True, deadline__gte=today)
    return [c for c in calls if c.deadline - timedelta(days=c.remind_days_before) <= today]


def alliances_without_submission(call: CallForSubmissions):
    """Active alliances with secretariat users that have sent nothing to ``call`` yet."""
    sent = Submission.objects.filter(call=call, alliance=OuterRef("pk")).exclude(
        status__in=Submission.NOT_SENT
    )
    return (
        Alliance.objects.filter(is_active=True, staff__isnull=False)
        .exclude(Exists(sent))
        .distinct()
        .order_by("pk")
    )


def call_reminder_send(*, call_id: int, alliance_id: int) -> bool:
    """Remind one alliance of one call, at most once (claim the row, send, mark sent)."""
    call = CallForSubmissions.objects.get(pk=call_id)
    reminder, _ = CallReminder.objects.get_or_create(call=call, alliance_id=alliance_id)
    if reminder.sent_at is not None:
        return False
    with transaction.atomic():
        reminder = CallReminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.sent_at is not None:
            return False
        still_missing = (
            not Submission.objects.filter(call=call, alliance_id=alliance_id)
            .exclude(status__in=Submission.NOT_SENT)
            .exists()
        )
        recipients = secretariat_emails(alliance_id)
        if still_missing and recipients:
            context = {
                "call": call,
                "alliance": Alliance.objects.get(pk=alliance_id),
                "url": settings.SITE_URL + reverse("submissions:new") + f"?call={call.pk}",
            }
            send_mail(
                f"【联盟简报】征稿提醒：{call.title}（{call.deadline:%m月%d日}截止）",
                render_to_string("submissions/email/call_reminder.txt", context),
                None,
                recipients,
            )
        reminder.recipients = ", ".join(recipients) if still_missing else ""
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["recipients", "sent_at"])
    return bool(still_missing and recipients)


def call_reminders_send(*, today=None) -> int:
    """Send every reminder that is due today and not yet sent. Returns how many went out."""
    sent = 0
    for call in calls_due_for_reminders(today):
        for alliance_id in alliances_without_submission(call).values_list("pk", flat=True):
            try:
                sent += call_reminder_send(call_id=call.pk, alliance_id=alliance_id)
            except Exception:  # one bad address must not stop the others
                log.exception("call reminder failed: call=%s alliance=%s", call.pk, alliance_id)
    return sent
