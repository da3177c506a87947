"""System writes and the health check."""

from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat

HEARTBEAT_FRESH = timedelta(minutes=3)


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    now = timezone.now()
    beat, created = WorkerHeartbeat.objects.get_or_create(
        hostname=hostname, defaults={"seen_at": now, "tasks_seen": 1}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(
            seen_at=now, tasks_seen=F("tasks_seen") + 1
        )
    return beat


def health_report() -> dict:
    """Check the database, the broker and that a worker has answered lately."""
    from citisa.celery import app

    report = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:
        report["database"] = f"error: {type(error).__name__}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        report["broker"] = "ok"
    except Exception as error:
        report["broker"] = f"error: {type(error).__name__}"
    last = None
    if report["database"] == "ok":
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if last and timezone.now() - last.seen_at <= HEARTBEAT_FRESH:
        report["worker"] = "ok"
    else:
        report["worker"] = "stale" if last else "never seen"
    report["ok"] = all(report[key] == "ok" for key in ("database", "broker", "worker"))
    return report
