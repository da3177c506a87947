"""System writes and the health check."""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from citisa.celery import app

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


def worker_ping(*, timeout: float) -> list[str]:
    """The workers that answer a live broadcast within ``timeout`` seconds and consume the
    default task queue (a worker on another queue would not run our tasks)."""
    queue = app.conf.task_default_queue
    replies = app.control.broadcast("active_queues", reply=True, timeout=timeout) or []
    return sorted(
        hostname
        for reply in replies
        for hostname, queues in reply.items()
        if any(isinstance(q, dict) and q.get("name") == queue for q in queues or [])
    )


HEALTH_CACHE_KEY = "citisa:health-report"


def health_report(*, use_cache: bool = True) -> dict:
    """Check the database, the broker and that a worker answers: a live broadcast to the
    workers (``CITISA_HEALTH_PING_TIMEOUT``), else a heartbeat recorded within three minutes
    (a solo worker busy with a long render cannot answer the broadcast). No broadcast on
    the filesystem broker unless ``CITISA_HEALTH_LIVE_PING``: it keeps a file per broadcast
    for every worker that ever ran and never removes them. The answer is
    cached for ``CITISA_HEALTH_CACHE_SECONDS`` so probes cannot pile up on the broker."""
    if use_cache and (cached := cache.get(HEALTH_CACHE_KEY)) is not None:
        return cached
    report = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:
        report["database"] = f"error: {type(error).__name__}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
        report["broker"] = "ok"
    except Exception as error:
        report["broker"] = f"error: {type(error).__name__}"
    report["workers"] = []
    if report["broker"] == "ok" and settings.CITISA_HEALTH_LIVE_PING:
        try:
            report["workers"] = worker_ping(timeout=settings.CITISA_HEALTH_PING_TIMEOUT)
        except Exception as error:
            report["worker_ping"] = f"error: {type(error).__name__}"
    last = None
    if report["database"] == "ok":
        try:
            last = WorkerHeartbeat.objects.order_by("-seen_at").first()
        except Exception as error:
            report["database"] = f"error: {type(error).__name__}"
    if report["workers"]:
        report["worker"] = "ok"
    elif last and timezone.now() - last.seen_at <= HEARTBEAT_FRESH:
        report["worker"] = "ok"
        report["worker_seen"] = f"heartbeat {last.hostname} {last.seen_at.isoformat()}"
    else:
        report["worker"] = "stale" if last else "never seen"
    report["ok"] = all(report[key] == "ok" for key in ("database", "broker", "worker"))
    with contextlib.suppress(Exception):  # a cache that is down must not fail the probe
        cache.set(HEALTH_CACHE_KEY, report, settings.CITISA_HEALTH_CACHE_SECONDS)
    return report
