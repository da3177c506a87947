"""The e-mails of the approval chain: one to the next holders at each step, and one
reminder when a step has waited too long. Called by ``bulletins.tasks``; each send is
claimed in a :class:`~bulletins.models.Notification` row (unique per step and kind), so a
repeated or duplicated task never sends twice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Issue, IssueEvent, IssueStatus, Notification, NotificationKind
from .selectors.issues import holders_of
from .workflow import ACTION_LABELS, ACTIONS

# The statuses whose holders are reminded when the issue waits there too long.
REMINDED_STATUSES = (IssueStatus.IN_REVIEW, IssueStatus.AWAITING_SIGNATURE, IssueStatus.RETURNED)


def _step_event(issue: Issue) -> IssueEvent | None:
    """The transition that put the issue where it is now."""
    return issue.events.filter(action__in=ACTIONS).order_by("-created_at", "-pk").first()


def recipients_for(event: IssueEvent) -> list:
    """Who hears of a step: the holders of the new status (reviewers, the signers who may
    sign, the issue's editors), or the editors once signed; never the actor alone."""
    issue = event.issue
    if event.to_status == IssueStatus.SIGNED:
        people = list(issue.editors.filter(is_active=True)) or [issue.created_by]
    else:
        people = holders_of(issue)
    return [u for u in people if u.email and u.pk != event.actor_id]


def _send(event: IssueEvent, kind: str, users: list) -> bool:
    """Claim the (event, kind) row and send once. True when an e-mail went out now; a step
    with nobody to tell is recorded as done with no recipients."""
    if not users:
        Notification.objects.get_or_create(
            event=event, kind=kind, defaults={"recipients": "", "sent_at": timezone.now()}
        )
        return False
    with transaction.atomic():
        note, _created = Notification.objects.get_or_create(
            event=event,
            kind=kind,
            defaults={"recipients": ", ".join(u.email for u in users)},
        )
        note = Notification.objects.select_for_update().get(pk=note.pk)
        if note.sent_at is not None:
            return False
        issue = event.issue
        context = {
            "issue": issue,
            "event": event,
            "action_label": ACTION_LABELS.get(event.action, event.action),
            "names": "、".join(u.display_name for u in users),
            "url": settings.SITE_URL + reverse("bulletins:detail", args=[issue.pk]),
            "reminder": kind == NotificationKind.REMINDER,
            "waited_days": (timezone.now() - event.created_at).days,
        }
        subject = render_to_string("bulletins/emails/step_subject.txt", context).strip()
        body = render_to_string("bulletins/emails/step.txt", context)
        send_mail(subject, body, None, [u.email for u in users])
        note.sent_at = timezone.now()
        note.save(update_fields=["sent_at"])
    return True


def issue_step_notify(*, event_id: int) -> bool:
    """E-mail the next holders about the step ``event_id`` — once, and only while the issue
    is still at that step (a late task for a step already passed sends nothing)."""
    event = (
        IssueEvent.objects.select_related("issue", "actor", "issue__created_by")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in ACTIONS:
        return False
    step = _step_event(event.issue)
    if step is None or step.pk != event.pk:
        return False
    return _send(event, NotificationKind.STEP, recipients_for(event))


def issue_reminders_send(*, now=None) -> int:
    """Remind the holders of every issue that has waited more than
    ``CITISA_ISSUE_REMINDER_DAYS`` days at one step (once per step). Also sends the step
    e-mails that a lost task message left unsent. Returns how many e-mails went out."""
    now = now or timezone.now()
    days = settings.CITISA_ISSUE_REMINDER_DAYS
    sent = 0
    waiting = Issue.objects.filter(
        status__in=REMINDED_STATUSES, status_changed_at__lte=now - timedelta(days=days)
    )
    for issue in waiting:
        event = _step_event(issue)
        if event is None or event.created_at > now - timedelta(days=days):
            continue
        if Notification.objects.filter(
            event=event, kind=NotificationKind.REMINDER, sent_at__isnull=False
        ).exists():
            continue
        if _send(event, NotificationKind.REMINDER, recipients_for(event)):
            sent += 1
    # The sweeper: the e-mail of a recent step that a lost task message never sent.
    recent = Issue.objects.filter(
        status_changed_at__gte=now - timedelta(days=days),
        status_changed_at__lte=now - timedelta(minutes=10),
    )
    for issue in recent:
        event = _step_event(issue)
        if event is None:
            continue
        if Notification.objects.filter(event=event, kind=NotificationKind.STEP).exists():
            continue
        if issue_step_notify(event_id=event.pk):
            sent += 1
    return sent
