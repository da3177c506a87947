"""Calls for submissions: opening, the board and the reminder e-mails (once per call per
alliance)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from submissions.calls import call_close, call_open
from submissions.models import CallReminder
from submissions.notifications import call_reminders_send
from submissions.tasks import send_call_reminders
from tests.factories import AllianceFactory, make_secretary, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(editor):
    return call_open(
        title="2026年第2期征稿",
        issue_label="2026年第2期",
        deadline=timezone.localdate() + timedelta(days=3),
        remind_days_before=3,
        actor=editor,
    )


def test_reminders_go_to_alliances_that_have_not_submitted_once(
    call, alliance_a, secretary_a, alliance_b, secretary_b, editor
):
    no_staff = AllianceFactory()  # nobody to remind
    make_submission(alliance_a, secretary_a, call=call)
    make_submission(alliance_b, secretary_b, status="draft", call=call)  # a draft is not sent
    mail.outbox.clear()
    send_call_reminders.delay()  # the periodic task (runs in-process in these tests)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [secretary_b.email]
    assert "征稿提醒" in message.subject and "2026年第2期征稿" in message.subject
    assert f"?call={call.pk}" in message.body
    # Idempotent: the next runs send nothing more.
    assert call_reminders_send() == 0
    send_call_reminders.delay()
    assert len(mail.outbox) == 1
    assert CallReminder.objects.filter(call=call).count() == 1
    assert not CallReminder.objects.filter(alliance=no_staff).exists()


def test_no_reminder_before_the_window_or_after_the_deadline(call, alliance_b, secretary_b):
    mail.outbox.clear()
    assert call_reminders_send(today=call.deadline - timedelta(days=4)) == 0
    assert call_reminders_send(today=call.deadline + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert call_reminders_send(today=call.deadline) == 1


def test_a_closed_call_reminds_nobody(call, editor, alliance_b, secretary_b):
    call_close(call_id=call.pk, actor=editor)
    assert call_reminders_send() == 0


def test_a_failed_send_is_retried_next_time(call, alliance_b, secretary_b, monkeypatch):
    from submissions import notifications

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    assert call_reminders_send() == 0
    assert CallReminder.objects.get().sent_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    assert call_reminders_send() == 1
    assert len(mail.outbox) == 1


def test_calls_cannot_be_opened_in_the_past_or_by_a_secretary(editor, secretary_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(ValidationError):
        call_open(title="过期", deadline=timezone.localdate() - timedelta(days=1), actor=editor)
    with pytest.raises(PermissionDenied):
        call_open(title="x", deadline=timezone.localdate(), actor=secretary_a)


def test_the_board_shows_who_has_and_has_not_submitted(
    client, call, editor, alliance_a, secretary_a, alliance_b, secretary_b
):
    make_submission(alliance_a, secretary_a, title="甲联盟响应征稿", call=call)
    call_reminders_send()
    client.force_login(editor)
    response = client.get(reverse("submissions:call", args=[call.pk]))
    sent = [row.alliance for row in response.context["sent"]]
    not_sent = [row.alliance for row in response.context["not_sent"]]
    assert sent == [alliance_a] and not_sent == [alliance_b]
    page = response.content.decode()
    assert "甲联盟响应征稿" in page and "已提醒" in page
    listing = client.get(reverse("submissions:calls")).content.decode()
    assert "2026年第2期征稿" in listing


def test_editors_open_a_call_through_the_page(client, editor):
    client.force_login(editor)
    deadline = timezone.localdate() + timedelta(days=20)
    response = client.post(
        reverse("submissions:calls"),
        {
            "title": "2026年第3期征稿",
            "issue_label": "2026年第3期",
            "deadline": deadline.isoformat(),
            "remind_days_before": 5,
            "description": "请报送近期动态。",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("submissions:calls"),
        {"title": "", "deadline": "2000-01-01", "remind_days_before": 5},
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()


def test_secretaries_see_open_calls_and_answer_them(client, call, secretary_a, alliance_a):
    client.force_login(secretary_a)
    page = client.get(reverse("submissions:calls")).content.decode()
    assert "2026年第2期征稿" in page and "已投稿联盟" not in page
    detail = client.get(reverse("submissions:call", args=[call.pk]))
    assert "sent" not in detail.context  # no board for secretaries
    form = client.get(reverse("submissions:new"), {"call": call.pk}).content.decode()
    assert f'<option value="{call.pk}" selected>' in form
    home = client.get(reverse("home")).content.decode()
    assert "正在征稿" in home and "2026年第2期征稿" in home
    # Secretaries cannot open or close calls.
    assert client.post(reverse("submissions:call_close", args=[call.pk])).status_code == 404
    make_secretary(alliance_a, username="another")
