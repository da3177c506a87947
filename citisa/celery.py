"""The Celery app. Tasks are found in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")

app = Celery("citisa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _close_inherited_db_connections(**_kwargs):
    # A forked child must not reuse the parent's database socket.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


@worker_ready.connect
def _announce_worker(sender=None, **_kwargs):
    # Beat's first heartbeat comes a minute later; record one at once so /healthz is green.
    from django.db import connections

    from citisa.services import heartbeat_record

    heartbeat_record(hostname=sender.hostname)
    connections.close_all()  # prefork children must not inherit this connection


@worker_init.connect
def _warm_up_renderer(**_kwargs):
    # Fonts and WeasyPrint's faces load once in the parent, before the pool forks, so the
    # first render of each child is not the slow one (jieba: submissions.apps, same signal).
    from bulletins.rendering import warm_up

    warm_up()
