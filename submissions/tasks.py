"""Thin, idempotent tasks: each calls a service that checks whether its work is done."""

from celery import shared_task

from . import notifications

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "time_limit": 120,
    "soft_time_limit": 90,
    "ignore_result": True,
}


@shared_task(name="submissions.send_event_email", **RETRY)
def send_event_email(event_id: int):
    notifications.event_email_send(event_id=event_id)


@shared_task(name="submissions.send_call_reminders", **(RETRY | {"time_limit": 900}))
def send_call_reminders():
    notifications.call_reminders_send()


@shared_task(name="submissions.sweep_event_emails", **RETRY)
def sweep_event_emails():
    for event_id in notifications.unsent_event_ids():
        send_event_email.delay(event_id)
