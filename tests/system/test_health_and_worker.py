import pytest
from django.core.management import call_command

from citisa.models import WorkerHeartbeat
from citisa.tasks import record_worker_heartbeat
from tests.conftest import wait_for


@pytest.mark.django_db
def test_health_reports_a_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["database"] == "ok" and report["broker"] == "ok"
    assert report["worker"] == "never seen"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_through_the_configured_broker(celery_worker_process, client):
    def beats():
        return sum(WorkerHeartbeat.objects.values_list("tasks_seen", flat=True))

    before = beats()
    record_worker_heartbeat.delay()
    wait_for(lambda: beats() > before, timeout=60)
    beat = WorkerHeartbeat.objects.get()
    assert beat.hostname.startswith("citisa-test-")
    assert celery_worker_process.poll() is None
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["worker"] == "ok"


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
