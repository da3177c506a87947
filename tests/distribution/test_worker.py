"""Delivery through a real Celery worker on the configured broker and the test database."""

import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest

from distribution.models import Delivery, DeliveryStatus
from distribution.services import deliveries_sweep, publication_distribute
from distribution.tasks import dispatch_fan_out
from tests.conftest import wait_for

from .helpers import lists_with_contacts, messages_of_dispatch, publication
from .worker import Worker, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def open_count(dispatch) -> int:
    return dispatch.deliveries.filter(status__in=["queued", "sending"]).count()


def sends_logged(log_text: str) -> int:
    return sum(
        1
        for line in log_text.splitlines()
        if "distribution.deliveries_send[" in line and "succeeded" in line
    )


def test_300_recipients_get_exactly_one_email_when_the_job_runs_twice(
    celery_worker_process, artifacts_dir
):
    lists_with_contacts(report=150, send=142)  # + the demo's 8: 300 addresses
    log = artifacts_dir / "celery-worker.log"
    sends_before = sends_logged(log.read_text())
    dispatch = publication_distribute(publication=publication())  # queues the fan-out
    dispatch_fan_out.delay(dispatch.pk)  # and the job runs a second time
    assert dispatch.deliveries.count() == 300
    wait_for(lambda: open_count(dispatch) == 0, timeout=180, interval=0.5)
    # Both runs' messages have been taken: 2 × 12 batches of 25, half of them with
    # nothing left to do.
    wait_for(lambda: sends_logged(log.read_text()) - sends_before >= 24, timeout=60)
    time.sleep(1)
    assert dispatch.deliveries.filter(status=DeliveryStatus.SENT).count() == 300
    messages = messages_of_dispatch(artifacts_dir / "mail", dispatch)
    per_delivery = Counter(message["X-Citisa-Delivery"] for message in messages)
    assert len(per_delivery) == 300 and set(per_delivery.values()) == {1}
    assert set(per_delivery) == {str(d.public_id) for d in dispatch.deliveries.all()}
    to = {message["To"].addresses[0].addr_spec for message in messages}
    assert to == set(dispatch.deliveries.values_list("email", flat=True))
    claims = Counter(
        Delivery.objects.filter(dispatch=dispatch, events__action="claim").values_list(
            "pk", flat=True
        )
    )
    assert set(claims.values()) == {1}


def test_a_worker_killed_mid_fan_out_and_restarted_finishes_the_rest(artifacts_dir, settings):
    from citisa.celery import app

    queue = f"citisa-test-kill-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    mail_dir = artifacts_dir / "mail-kill"
    env = worker_env(EMAIL_FILE_PATH=str(mail_dir))
    log = artifacts_dir / "celery-worker-kill.log"
    log.write_text("")
    worker = Worker(queue=queue, log_path=log, env=env).start()
    try:
        lists_with_contacts(report=100, send=92)  # 200 addresses
        dispatch = publication_distribute(publication=publication())
        total = dispatch.deliveries.count()
        wait_for(
            lambda: dispatch.deliveries.filter(status=DeliveryStatus.SENT).count() >= 40,
            timeout=120,
            interval=0.05,
        )
        worker.kill()
        sent_at_kill = dispatch.deliveries.filter(status=DeliveryStatus.SENT).count()
        assert sent_at_kill < total, "the worker finished before it was stopped"
        # What the beat sweeper does once the claim timeout has passed (the worker is dead,
        # so every claim is stale now): the interrupted send is failed, the lost message
        # is queued again.
        interrupted, requeued = deliveries_sweep(
            claim_timeout=timedelta(0), lost_after=timedelta(0)
        )
        assert interrupted <= 1 and requeued == total - sent_at_kill - interrupted
        worker = Worker(queue=queue, log_path=log, env=env).start()
        wait_for(lambda: open_count(dispatch) == 0, timeout=180, interval=0.5)
    finally:
        worker.stop()
        app.conf.task_default_queue = previous_queue
    statuses = Counter(dispatch.deliveries.values_list("status", flat=True))
    assert statuses[DeliveryStatus.SENT] == total - interrupted
    assert statuses[DeliveryStatus.FAILED] == interrupted
    per_delivery = Counter(m["X-Citisa-Delivery"] for m in messages_of_dispatch(mail_dir, dispatch))
    assert max(per_delivery.values()) == 1  # nobody got two
    for delivery in dispatch.deliveries.all():
        if delivery.status == DeliveryStatus.SENT:
            assert per_delivery[str(delivery.public_id)] == 1
        else:  # the one in hand when the worker died: the editor is told to check it
            assert "发送过程中断" in delivery.last_error
