"""Thin, idempotent tasks: ids in, services do the work and check what is already done."""

from celery import shared_task

from .delivery import deliveries_send as deliveries_send_service
from .delivery import delivery_attempt
from .services import deliveries_sweep, dispatch_enqueue


def _own_queue(task) -> str | None:
    """The queue this task came from: the tasks it queues go to the same one, so a worker
    that consumes a queue of its own (the tests') also gets their children."""
    return (task.request.delivery_info or {}).get("routing_key")


@shared_task(
    bind=True,
    name="distribution.dispatch_fan_out",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
    time_limit=300,
    soft_time_limit=240,
)
def dispatch_fan_out(self, dispatch_id: int) -> int:
    """Queue one ``delivery_send`` per queued delivery of the dispatch."""
    return dispatch_enqueue(dispatch_id=dispatch_id, queue=_own_queue(self))


@shared_task(
    bind=True,
    name="distribution.deliveries_send",
    acks_late=True,
    ignore_result=True,
    time_limit=600,  # a batch hands what is left back to the queue after CITISA_DELIVERY_BATCH_SECONDS
    soft_time_limit=540,
)
def deliveries_send(self, delivery_ids: list[int]) -> dict:
    """A batch of the fan-out: each delivery attempted in turn on one connection."""
    return deliveries_send_service(delivery_ids=delivery_ids, queue=_own_queue(self))


# A single send is bounded by EMAIL_TIMEOUT; CITISA_DELIVERY_CLAIM_TIMEOUT (after which the
# sweeper takes a "sending" claim for one whose worker died) must stay well above it.
@shared_task(
    bind=True,
    name="distribution.delivery_send",
    acks_late=True,
    ignore_result=True,
    max_retries=None,  # the number of attempts is counted on the row (CITISA_DELIVERY_MAX_ATTEMPTS)
    time_limit=90,
    soft_time_limit=60,
)
def delivery_send(self, delivery_id: int) -> str:
    """One attempt at one delivery; on a passing mail-server error, again after a backoff."""
    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.result


@shared_task(
    bind=True,
    name="distribution.deliveries_sweep",
    acks_late=True,
    ignore_result=True,
    time_limit=120,
    soft_time_limit=100,
)
def deliveries_sweep_task(self) -> tuple[int, int]:
    """Fail deliveries whose worker died while sending; re-queue those whose message was lost."""
    return deliveries_sweep(queue=_own_queue(self))
