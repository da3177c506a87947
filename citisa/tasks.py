"""System tasks: the worker heartbeat (scheduled by beat, read by the health check)."""

from celery import current_task, shared_task

from .services import heartbeat_record


@shared_task(
    name="citisa.tasks.record_worker_heartbeat",
    ignore_result=True,
    time_limit=30,
    soft_time_limit=20,
)
def record_worker_heartbeat():
    heartbeat_record(hostname=current_task.request.hostname or "unknown")
