"""Queueing the send tasks. One place, so that tests can stand in for the broker and so
that tasks queued by a task go to the queue it came from."""

from __future__ import annotations


def _options(queue: str | None, countdown: float | None = None) -> dict:
    options = {"queue": queue} if queue else {}
    if countdown is not None:
        options["countdown"] = countdown
    return options


def queue_send(delivery_id: int, queue: str | None = None, *, countdown: float | None = None):
    """One attempt at one delivery (resends, retries, the sweeper)."""
    # Imported here: tasks.py imports this module's services (a task runs what is queued
    # here), so a top-level import would close a loop; Celery's pair, resolved at call time.
    from .tasks import delivery_send

    delivery_send.apply_async((delivery_id,), **_options(queue, countdown))


def queue_batch(delivery_ids: list[int], queue: str | None = None) -> None:
    """Attempts at several deliveries, one after the other on one mail-server connection
    (the fan-out)."""
    # Imported here: tasks.py imports the services that call this (a task runs what is queued
    # here), so a top-level import would close a loop; Celery's pair, resolved at call time.
    from .tasks import deliveries_send

    deliveries_send.apply_async((list(delivery_ids),), **_options(queue))
