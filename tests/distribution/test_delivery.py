import smtplib
import socket
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from distribution.delivery import (
    TRANSITIONS,
    InvalidTransition,
    deliveries_send,
    delivery_attempt,
    delivery_transition,
)
from distribution.models import (
    ArchiveEntry,
    Contact,
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchKind,
    Organisation,
)
from distribution.services import (
    contact_add,
    contact_set_active,
    deliveries_sweep,
    delivery_resend,
    dispatch_enqueue,
    dispatch_resend_failed,
    publication_distribute,
)
from distribution.tasks import delivery_send
from tests.factories import make_user

from .helpers import document, lists_with_contacts, publication
from .smtp_sink import SmtpSink


def distribute(pub=None, **kwargs):
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        return publication_distribute(publication=pub or publication(**kwargs))


def send_all(dispatch):
    return [delivery_attempt(delivery_id=d.pk).result for d in dispatch.deliveries.order_by("pk")]


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.mark.django_db
def test_a_dispatch_freezes_one_delivery_per_address_and_queues_the_fan_out_on_commit(
    django_capture_on_commit_callbacks,
):
    lists_with_contacts(report=2, send=2)  # + the demo's 8 contacts
    ministry = Organisation.objects.get(name="财政部")
    contact_add(organisation=ministry, name="同一人", email="r0@example.org")  # also at 科技部
    contact_set_active(contact=Contact.objects.get(email="fgw@example.org"), is_active=False)
    Organisation.objects.filter(name="联盟协发网成员单位").update(is_active=False)
    with (
        mock.patch("distribution.tasks.dispatch_fan_out.delay") as fan_out,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        dispatch = publication_distribute(publication=publication())
    assert len(callbacks) == 1
    fan_out.assert_called_once_with(dispatch.pk)
    emails = list(dispatch.deliveries.order_by("pk").values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == 12 - 1 - 1  # one inactive, one inactive org
    assert "fgw@example.org" not in emails and "citisa-net@example.org" not in emails
    first = dispatch.deliveries.get(email="r0@example.org")
    assert (first.list_kind, first.organisation_name) == ("report", "科技部")  # 报 first
    assert dispatch.subject == "《产业技术创新战略联盟试点工作简报》2023年第1期（总第66期）"
    assert dispatch.toc[0] == {
        "title": "重要政策动态",
        "items": ["科技部组织召开国家碳中和科技专家委员会第一次会议"],
    }
    assert all(d.events.get().action == "queue" for d in dispatch.deliveries.all())
    # The snapshot does not follow later changes to the lists.
    Contact.objects.filter(email="r0@example.org").update(name="改名")
    assert dispatch.deliveries.get(email="r0@example.org").name == "报0"


@pytest.mark.django_db
def test_distributing_the_same_version_again_changes_nothing():
    lists_with_contacts()
    pub = publication()
    first = distribute(pub)
    count = Delivery.objects.count()
    assert distribute(pub) == first
    assert Dispatch.objects.count() == 1 and Delivery.objects.count() == count


@pytest.mark.django_db
def test_a_missing_final_pdf_stops_the_dispatch():
    from dataclasses import replace

    lists_with_contacts()
    pub = replace(publication(), pdf_name="bulletins/final/missing.pdf")
    with pytest.raises(ValidationError, match="找不到终版 PDF"):
        distribute(pub)
    assert not Dispatch.objects.exists() and not ArchiveEntry.objects.exists()


@pytest.mark.django_db
def test_each_recipient_gets_one_email_even_when_the_job_runs_twice(settings):
    settings.CITISA_DELIVERY_BATCH = 4
    lists_with_contacts(report=3, send=3)
    dispatch = distribute()
    batches = []
    with mock.patch(
        "distribution.queueing.queue_batch", side_effect=lambda ids, q: batches.append(ids)
    ):
        assert dispatch_enqueue(dispatch_id=dispatch.pk) == 14
        assert dispatch_enqueue(dispatch_id=dispatch.pk) == 14  # a second run before any send
    assert [len(batch) for batch in batches] == [4, 4, 4, 2] * 2
    results = Counter()
    for batch in batches:
        results.update(deliveries_send(delivery_ids=batch))
    assert results == {"sent": 14, "skipped": 14}
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox) == sorted(
        dispatch.deliveries.values_list("email", flat=True)
    )
    with mock.patch("distribution.queueing.queue_batch") as again:
        assert dispatch_enqueue(dispatch_id=dispatch.pk) == 0
    again.assert_not_called()


@pytest.mark.django_db
def test_a_batch_shares_one_connection_and_hands_back_what_is_left(settings):
    lists_with_contacts(report=2, send=2)
    dispatch = distribute()
    ids = list(dispatch.deliveries.order_by("pk").values_list("pk", flat=True))
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        with mock.patch(
            "smtplib.SMTP.connect", autospec=True, side_effect=smtplib.SMTP.connect
        ) as connect:
            assert deliveries_send(delivery_ids=ids[:6]) == {"sent": 6}
        assert connect.call_count == 1
        with mock.patch("distribution.queueing.queue_batch") as handed_back:
            assert deliveries_send(delivery_ids=ids[6:], budget_seconds=0) == {
                "sent": 1,
                "requeued": 5,
            }
        handed_back.assert_called_once_with(ids[7:], None)
    assert sink.count == 7


@pytest.mark.django_db
def test_the_email_carries_the_toc_and_a_personal_link():
    lists_with_contacts(report=1, send=0)
    dispatch = distribute()
    delivery = dispatch.deliveries.get(email="r0@example.org")
    assert delivery_attempt(delivery_id=delivery.pk).result == "sent"
    message = mail.outbox[0]
    assert message.subject == dispatch.subject
    assert message.to == ['"报0" <r0@example.org>']
    assert message.extra_headers["X-Citisa-Delivery"] == str(delivery.public_id)
    body = message.body
    assert "报0（科技部）" in body and "本期导读" in body and "【重要政策动态】" in body
    assert "· 第三代半导体联盟主办第八届国际第三代半导体论坛" in body
    assert "http://testserver/download/" in body and "有效期至" in body
    html = message.alternatives[0][0]
    assert (
        "<li>粉末冶金联盟发布 7 项团体标准</li>" in html
        and 'href="http://testserver/download/' in html
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at and delivery.attempts == 1
    assert [e.action for e in delivery.events.order_by("pk")] == ["queue", "claim", "mark_sent"]


@pytest.mark.django_db
def test_one_refused_address_does_not_block_the_others(settings):
    lists_with_contacts(report=2, send=2)
    with SmtpSink(refuse={"s1@example.org"}) as sink:
        use_smtp(settings, sink.port)
        dispatch = distribute()
        ids = list(dispatch.deliveries.order_by("pk").values_list("pk", flat=True))
        with mock.patch("distribution.queueing.queue_send") as retried:
            results = deliveries_send(delivery_ids=ids)  # one batch, one connection
    assert results == {"sent": 11, "failed": 1}
    retried.assert_not_called()
    assert sink.count == 11
    bad = dispatch.deliveries.get(email="s1@example.org")
    assert bad.status == DeliveryStatus.FAILED and bad.attempts == 1  # permanent: no retry
    assert "邮件服务器拒收该地址" in bad.last_error and "550" in bad.last_error
    subjects = {m["Subject"].strip() for m in sink.parsed()}
    assert subjects == {dispatch.subject}


@pytest.mark.django_db
def test_smtp_down_retries_with_backoff_then_fails_visibly_and_nothing_is_lost(settings):
    settings.CITISA_DELIVERY_MAX_ATTEMPTS = 3
    settings.CITISA_DELIVERY_RETRY_SECONDS = 0.01
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    use_smtp(settings, dead_port)
    lists_with_contacts(report=1, send=0)
    dispatch = distribute()
    delivery = dispatch.deliveries.get(email="r0@example.org")
    with mock.patch("distribution.delivery.backoff_seconds", wraps=lambda n: 0.01 * n) as backoff:
        delivery_send.apply(args=[delivery.pk])  # eager: the retries run at once
    assert [call.args[0] for call in backoff.call_args_list] == [1, 2]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.last_error.startswith("尝试 3 次后仍失败：无法连接邮件服务器")
    actions = [e.action for e in delivery.events.order_by("pk")]
    assert actions == ["queue", "claim", "retry", "claim", "retry", "claim", "fail"]
    retry_note = delivery.events.filter(action="retry").first().detail
    assert retry_note.startswith("第 1 次发送失败，约 0 秒后重试")
    # The server is back: the editor resends the failed ones and they go out.
    editor = make_user(Role.EDITOR)
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        with mock.patch("distribution.queueing.queue_send") as queued:
            assert dispatch_resend_failed(dispatch_id=dispatch.pk, actor=editor) == 1
        assert queued.call_count == 0  # only on commit
        assert delivery_attempt(delivery_id=delivery.pk).result == "sent"
    assert sink.count == 1


@pytest.mark.django_db
def test_the_sweeper_fails_interrupted_sends_and_requeues_lost_messages():
    lists_with_contacts(report=2, send=0)
    dispatch = distribute()
    stuck, lost, fresh = dispatch.deliveries.order_by("pk")[:3]
    delivery_transition(delivery_id=stuck.pk, action="claim")
    long_ago = timezone.now() - timedelta(hours=2)
    Delivery.objects.filter(pk=stuck.pk).update(status_changed_at=long_ago)
    Delivery.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    with mock.patch("distribution.queueing.queue_send") as queued:
        assert deliveries_sweep() == (1, 1)
    queued.assert_called_once_with(lost.pk, None)
    stuck.refresh_from_db()
    assert stuck.status == DeliveryStatus.FAILED and "发送过程中断" in stuck.last_error
    lost.refresh_from_db()
    assert lost.next_attempt_at > long_ago
    with mock.patch("distribution.queueing.queue_send") as queued:
        assert deliveries_sweep() == (0, 0)  # fresh rows and the re-queued one wait
    assert Delivery.objects.get(pk=fresh.pk).status == DeliveryStatus.QUEUED


ALL_STATUSES = list(DeliveryStatus)
ACTIONS = sorted({action for _status, action in TRANSITIONS})


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_move_of_the_table_and_no_other(action, status, editor):
    lists_with_contacts(report=1, send=0)
    delivery = distribute().deliveries.first()
    Delivery.objects.filter(pk=delivery.pk).update(status=status, sent_at=timezone.now())
    actor = editor if action == "resend" else None
    move = TRANSITIONS.get((status, action))
    expected = move.target if move is not None else None
    if expected is None:
        with pytest.raises(InvalidTransition):
            delivery_transition(delivery_id=delivery.pk, action=action, actor=actor)
        assert Delivery.objects.get(pk=delivery.pk).status == status
    else:
        moved = delivery_transition(delivery_id=delivery.pk, action=action, actor=actor)
        assert moved.status == expected
        event = moved.events.order_by("-pk").first()
        assert (event.action, event.from_status, event.to_status) == (action, status, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.EDITOR, True),
        (Role.ADMINISTRATOR, True),
        (Role.REVIEWER, False),
        (Role.SIGNER, False),
        (Role.SECRETARIAT, False),
        (Role.RECIPIENT, False),
        (None, False),
    ],
)
def test_who_may_resend(role, allowed):
    lists_with_contacts(report=1, send=0)
    delivery = distribute().deliveries.first()
    delivery_attempt(delivery_id=delivery.pk)
    actor = make_user(role) if role else None
    if allowed:
        with mock.patch("distribution.queueing.queue_send"):
            assert delivery_resend(delivery_id=delivery.pk, actor=actor).status == "queued"
    else:
        with pytest.raises(PermissionDenied):
            delivery_resend(delivery_id=delivery.pk, actor=actor)
        assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_resend_queues_its_task_only_on_commit(editor, django_capture_on_commit_callbacks):
    lists_with_contacts(report=1, send=0)
    delivery = distribute().deliveries.first()
    delivery_attempt(delivery_id=delivery.pk)
    with mock.patch("distribution.queueing.queue_send") as queued:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            delivery_resend(delivery_id=delivery.pk, actor=editor)
        assert len(callbacks) == 1
        queued.assert_not_called()
        callbacks[0]()
    queued.assert_called_once_with(delivery.pk)
    with pytest.raises(InvalidTransition):  # already queued
        delivery_resend(delivery_id=delivery.pk, actor=editor)


@pytest.mark.django_db
def test_a_correction_goes_to_the_same_recipients_as_a_notice():
    lists_with_contacts(report=2, send=2)
    original = distribute(issue_id=7, version_id=70)
    send_all(original)
    before = set(original.deliveries.values_list("email", flat=True))
    # The lists change after the issue went out.
    contact_add(
        organisation=Organisation.objects.get(name="教育部"), name="新人", email="new@example.org"
    )
    contact_set_active(contact=Contact.objects.get(email="r0@example.org"), is_active=False)
    mail.outbox.clear()
    corrected = distribute(
        issue_id=7,
        version_id=71,
        edition=2,
        doc=document(extra_item="补充：某联盟新闻标题更正"),
        correction_note="第3条新闻标题有误，已更正。",
    )
    assert corrected.kind == DispatchKind.CORRECTION and corrected.corrects == original
    assert set(corrected.deliveries.values_list("email", flat=True)) == before
    assert corrected.subject.startswith("【更正】") and corrected.subject.endswith("更正版")
    send_all(corrected)
    assert len(mail.outbox) == len(before)
    body = mail.outbox[0].body
    assert "现发送更正版，请以更正版为准" in body and "第3条新闻标题有误" in body
    entry = ArchiveEntry.objects.get(issue_id=7)
    assert (entry.edition, entry.version_id) == (2, 71) and entry.is_corrected
    # An older edition arriving late never replaces the corrected one in the archive.
    distribute(issue_id=7, version_id=69, edition=1)
    assert ArchiveEntry.objects.get(issue_id=7).version_id == 71


@pytest.mark.django_db
def test_a_correction_of_an_issue_never_sent_goes_out_as_the_issue():
    lists_with_contacts(report=1, send=0)
    dispatch = distribute(issue_id=8, version_id=80, edition=2)
    assert dispatch.kind == DispatchKind.ISSUE and dispatch.corrects is None
    assert not dispatch.subject.startswith("【更正】")


@pytest.mark.django_db
def test_smtp_down_in_a_batch_gives_each_delivery_its_own_retry(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    use_smtp(settings, dead_port)
    lists_with_contacts(report=2, send=0)
    dispatch = distribute()
    ids = list(dispatch.deliveries.order_by("pk").values_list("pk", flat=True))[:3]
    with mock.patch("distribution.queueing.queue_send") as retried:
        assert deliveries_send(delivery_ids=ids, queue="q1") == {"retry": 3}
    assert [call.args[:2] for call in retried.call_args_list] == [(pk, "q1") for pk in ids]
    assert all(40 <= call.kwargs["countdown"] <= 80 for call in retried.call_args_list)
    for delivery in Delivery.objects.filter(pk__in=ids):
        assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
        assert "无法连接邮件服务器" in delivery.last_error
        assert delivery.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_a_batch_with_nothing_left_to_send_opens_no_connection(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    lists_with_contacts(report=2, send=0)
    dispatch = distribute()
    ids = list(dispatch.deliveries.values_list("pk", flat=True))
    assert deliveries_send(delivery_ids=ids) == {"sent": len(ids)}
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1  # one connection: one file with every message
    assert deliveries_send(delivery_ids=ids) == {"skipped": len(ids)}
    assert list((tmp_path / "mail").iterdir()) == files


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["claim", "mark_sent", "retry", "fail", "interrupt"])
def test_the_sending_moves_are_the_systems_alone(action, editor):
    """Even an editor (who may resend) makes none of the worker's moves."""
    lists_with_contacts(report=1, send=0)
    delivery = distribute().deliveries.first()
    with pytest.raises(PermissionDenied):
        delivery_transition(delivery_id=delivery.pk, action=action, actor=editor)
    assert Delivery.objects.get(pk=delivery.pk).events.filter(action=action).count() == 0


@pytest.mark.django_db
def test_a_move_from_the_wrong_status_says_why_in_chinese(editor):
    lists_with_contacts(report=1, send=0)
    delivery = distribute().deliveries.first()
    with pytest.raises(InvalidTransition, match="当前状态为“排队中”，不能重新发送"):
        delivery_transition(delivery_id=delivery.pk, action="resend", actor=editor)
