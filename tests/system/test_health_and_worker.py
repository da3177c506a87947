import time
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from citisa.celery import app
from citisa.models import WorkerHeartbeat
from citisa.services import heartbeat_record
from citisa.tasks import record_worker_heartbeat
from tests.conftest import wait_for


@pytest.fixture
def no_worker_on_our_queue():
    """Tasks go to a queue no worker consumes (a worker of this session, if any, consumes
    its own): for the health check there is no worker."""
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = f"nobody-{uuid.uuid4().hex[:8]}"
    yield
    app.conf.task_default_queue = previous


def timed_health(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_health_reports_a_missing_worker_fast_with_details(client, no_worker_on_our_queue):
    response, seconds = timed_health(client)
    assert response.status_code == 503
    report = response.json()
    assert report["database"] == "ok" and report["broker"] == "ok"
    assert report["worker"] == "never seen" and report["workers"] == []
    assert report["ok"] is False
    assert seconds < 2.5
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_fresh_heartbeat_stands_in_for_a_worker_too_busy_to_answer(
    client, no_worker_on_our_queue
):
    heartbeat_record(hostname="busy@host")
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["worker_seen"].startswith("heartbeat busy@host")


@pytest.mark.django_db
def test_a_stale_heartbeat_is_not_a_worker(client, no_worker_on_our_queue):
    heartbeat_record(hostname="gone@host")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timezone.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"] == "stale"


@pytest.mark.django_db
def test_a_broker_that_is_down_is_reported_without_waiting_for_workers(client, monkeypatch):
    def refused():
        raise ConnectionRefusedError("broker down")

    pings = []
    monkeypatch.setattr(app, "connection_for_write", refused)
    monkeypatch.setattr("citisa.services.worker_ping", lambda **kw: pings.append(kw) or [])
    response, seconds = timed_health(client)
    assert response.status_code == 503
    assert response.json()["broker"] == "error: ConnectionRefusedError"
    assert pings == [] and seconds < 2.5


@pytest.mark.django_db
def test_the_answer_is_cached_for_a_few_seconds(client, monkeypatch, settings):
    settings.CITISA_HEALTH_CACHE_SECONDS = 30
    settings.CITISA_HEALTH_LIVE_PING = True
    pings = []
    monkeypatch.setattr("citisa.services.worker_ping", lambda **kw: pings.append(kw) or ["w@host"])
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").json()["workers"] == ["w@host"]
    assert len(pings) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_and_answers_the_health_check(
    celery_worker_process, client, settings
):
    settings.CITISA_HEALTH_LIVE_PING = True  # on the filesystem broker too, once

    def beats():
        return sum(WorkerHeartbeat.objects.values_list("tasks_seen", flat=True))

    before = beats()
    record_worker_heartbeat.delay()
    wait_for(lambda: beats() > before, timeout=60)
    beat = WorkerHeartbeat.objects.get()
    assert beat.hostname.startswith("citisa-test-")
    assert celery_worker_process.poll() is None
    # No heartbeat to fall back on: the worker itself must answer.
    WorkerHeartbeat.objects.all().delete()
    response, seconds = timed_health(client)
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["worker"] == "ok" and "worker_seen" not in report
    assert beat.hostname in report["workers"]
    assert seconds < 2.5


@pytest.mark.django_db
def test_load_demo_is_idempotent(settings):
    from accounts.models import User
    from alliances.models import Alliance

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    counts = (User.objects.count(), Alliance.objects.count())
    call_command("load_demo", verbosity=0)
    assert (User.objects.count(), Alliance.objects.count()) == counts
    assert {"editor", "reviewer", "signer", "admin", "recipient", "huaxian", "fenmo"} <= set(
        User.objects.values_list("username", flat=True)
    )


@pytest.mark.django_db
def test_load_demo_refuses_without_debug():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="调试模式"):
        call_command("load_demo", verbosity=0)


@pytest.mark.django_db
def test_without_the_live_ping_only_the_heartbeat_counts(client, settings, monkeypatch):
    settings.CITISA_HEALTH_LIVE_PING = False
    monkeypatch.setattr("citisa.services.worker_ping", lambda **kw: pytest.fail("no ping"))
    assert client.get("/healthz").status_code == 503
    heartbeat_record(hostname="beat@host")
    from django.core.cache import cache

    from citisa.services import HEALTH_CACHE_KEY

    cache.delete(HEALTH_CACHE_KEY)
    assert client.get("/healthz").json()["worker_seen"].startswith("heartbeat beat@host")
