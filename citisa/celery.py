"""The Celery app. Tasks are found in each app's ``tasks.py``."""

import logging.config
import os
from pathlib import Path

from celery import Celery
from celery.signals import (
    setup_logging,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_init,
    worker_ready,
    worker_shutdown,
)
from django.conf import settings
from django.db import connections

from citisa.observability import task_context_set

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")

app = Celery("citisa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _close_inherited_db_connections(**_kwargs):
    # A forked child must not reuse the parent's database socket.
    for connection in connections.all(initialized_only=True):
        connection.close()


@worker_ready.connect
def _write_ready_file(sender=None, **_kwargs):
    # Readiness that does not depend on the log level (the 「ready.」 line is INFO):
    # written whole (a rename), so a reader never sees half a name.
    if settings.CITISA_WORKER_READY_FILE:
        path = Path(settings.CITISA_WORKER_READY_FILE)
        partial = path.with_name(f"{path.name}.partial")
        partial.write_text(sender.hostname, encoding="utf-8")
        partial.replace(path)


@worker_shutdown.connect
def _remove_ready_file(**_kwargs):
    if settings.CITISA_WORKER_READY_FILE:
        Path(settings.CITISA_WORKER_READY_FILE).unlink(missing_ok=True)


@worker_ready.connect
def _announce_worker(sender=None, **_kwargs):
    # Beat's first heartbeat comes a minute later; record one at once so /healthz is green.
    # Imported here: this module loads (citisa/__init__.py) before the models can.
    from citisa.services import heartbeat_record

    heartbeat_record(hostname=sender.hostname)
    connections.close_all()  # prefork children must not inherit this connection


@worker_init.connect
def _warm_up_renderer(**_kwargs):
    # Fonts and WeasyPrint's faces load once in the parent, before the pool forks, so the
    # first render of each child is not the slow one (jieba: submissions.apps, same signal).
    # Imported here: this module loads (citisa/__init__.py) before the apps are ready.
    from bulletins.rendering import warm_up

    warm_up()


@setup_logging.connect
def _use_django_logging(**_kwargs):
    # One logging configuration for web and worker (settings.LOGGING: JSON lines in
    # production, the task's id and name on every line); Celery keeps its hands off.
    logging.config.dictConfig(settings.LOGGING)


@task_prerun.connect
def _task_context(task_id=None, task=None, **_kwargs):
    task_context_set(task_id=task_id, task_name=getattr(task, "name", None))


@task_postrun.connect
def _task_context_clear(**_kwargs):
    task_context_set(task_id=None, task_name=None)
