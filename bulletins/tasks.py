"""Thin tasks of the approval chain. Each takes ids, calls one idempotent service, and is
safe to run twice (the Notification row is claimed before a send; a version's preview is
rendered once)."""

from celery import shared_task

from .importer.staging import staged_prune
from .notifications import issue_reminders_send, issue_step_notify
from .renditions import rendition_render, renditions_sweep

_COMMON = {
    "acks_late": True,
    "ignore_result": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="bulletins.tasks.notify_issue_step", time_limit=60, soft_time_limit=45, **_COMMON)
def notify_issue_step(event_id: int) -> None:
    issue_step_notify(event_id=event_id)


@shared_task(
    name="bulletins.tasks.remind_waiting_issues", time_limit=300, soft_time_limit=240, **_COMMON
)
def remind_waiting_issues() -> None:
    issue_reminders_send()


# Renders: bad content is recorded as failed by the service (no retry); anything else
# (the database, the disk, a worker killed by the time limit) is retried with backoff.
_RENDER = {**_COMMON, "time_limit": 300, "soft_time_limit": 240}


@shared_task(name="bulletins.tasks.render_version_preview", **_RENDER)
def render_version_preview(version_id: int) -> None:
    rendition_render(version_id=version_id, kind="preview")


@shared_task(name="bulletins.tasks.render_version", **_RENDER)
def render_version(version_id: int, kind: str) -> None:
    rendition_render(version_id=version_id, kind=kind)


@shared_task(
    name="bulletins.tasks.sweep_renditions", time_limit=120, soft_time_limit=100, **_COMMON
)
def sweep_renditions() -> None:
    renditions_sweep()


@shared_task(name="bulletins.tasks.prune_import_uploads", time_limit=120, **_COMMON)
def prune_import_uploads() -> None:
    staged_prune()
