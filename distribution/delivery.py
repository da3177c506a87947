"""The one writer of ``Delivery.status``, and one attempt at sending a delivery.

::

                  claim                    mark_sent
    ┌────────┐ ───────────▶ ┌─────────┐ ─────────────▶ ┌──────┐
    │ queued │              │ sending │                │ sent │
    └────────┘ ◀─────────── └─────────┘                └──────┘
      ▲    ▲      retry        │    │ fail / interrupt     │
      │    │                   │    ▼                      │
      │    │                   │  ┌────────┐               │
      │    └──── resend ───────┼──│ failed │               │
      │                        │  └────────┘               │
      └──────────────────────── resend (editor) ───────────┘

    status    action     to       rule (accounts.permissions)     effects
    queued    claim      sending  the system only                 attempts + 1
    sending   mark_sent  sent     the system only                 sent_at; error cleared
    sending   retry      queued   the system only                 the error kept
    sending   fail       failed   the system only                 the error kept
    sending   interrupt  failed   the system only (the sweeper)   the reason kept
    failed    resend     queued   distribution.deliver (编辑,     attempts 0, due now
    sent      resend     queued   管理员)

The table (``TRANSITIONS``, keyed ``(status, action)`` in the shape of
``core.statemachine``) is written by ``delivery_transition`` alone; the effects of each action
beyond the status are one function each, named in the move.

Exactly-once, and where it cannot be had. The job may run twice, a message may be
delivered twice, two workers may hold messages for the same delivery. Each attempt:

1. ``claim`` in its own transaction: lock the row (``select_for_update``; on SQLite the
   IMMEDIATE transaction takes the write lock), go on only if it is ``queued``, set
   ``sending`` and commit. A second message for the same delivery finds ``sending`` or
   ``sent`` and does nothing. No lock is held while talking to the mail server.
2. Send the message.
3. ``mark_sent`` (or ``retry`` / ``fail``) in a second transaction.

A worker killed between 2 and 3 leaves the row ``sending``; nobody can know whether the
server accepted the message. The sweeper then marks it ``failed`` with that reason
("interrupt") instead of sending again: at most one e-mail per recipient from the job,
and the editor sees the few rows to check and resend by hand. The sweeper only judges a
claim older than ``CITISA_DELIVERY_CLAIM_TIMEOUT``, longer than the task's hard time limit,
so a live attempt is never judged.
"""

from __future__ import annotations

import contextlib
import logging
import random
import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import models, transaction
from django.utils import timezone

from accounts.permissions import may_move
from core.statemachine import InvalidTransition, moves_named
from core.statemachine import Move as BaseMove

from .emails import delivery_message
from .models import Delivery, DeliveryEvent, DeliveryStatus

logger = logging.getLogger(__name__)

S = DeliveryStatus

__all__ = ["DeliveryAction", "InvalidTransition", "delivery_attempt", "delivery_transition"]


class DeliveryAction(models.TextChoices):
    CLAIM = "claim", "开始发送"
    MARK_SENT = "mark_sent", "已发送"
    RETRY = "retry", "发送失败，稍后重试"
    FAIL = "fail", "发送失败"
    INTERRUPT = "interrupt", "发送中断"
    RESEND = "resend", "重新发送"


A = DeliveryAction

# ``fn(delivery, now, detail)``: the fields one action sets beyond the status (returned, to be
# saved with it).
Effect = Callable[[Delivery, datetime, str], list[str]]


@dataclass(frozen=True)
class Move(BaseMove):
    effect: Effect | None = None


def _claimed(delivery: Delivery, now: datetime, detail: str) -> list[str]:
    delivery.attempts += 1
    return ["attempts"]


def _sent(delivery: Delivery, now: datetime, detail: str) -> list[str]:
    delivery.sent_at = now
    delivery.last_error = ""
    return ["sent_at", "last_error"]


def _failed(delivery: Delivery, now: datetime, detail: str) -> list[str]:
    """retry, fail, interrupt: the reason is kept for the editor to read."""
    delivery.last_error = detail[:500]
    return ["last_error"]


def _resent(delivery: Delivery, now: datetime, detail: str) -> list[str]:
    delivery.attempts = 0
    delivery.next_attempt_at = now
    return ["attempts", "next_attempt_at"]


def _system(target: str, action: DeliveryAction, effect: Effect) -> Move:
    return Move(target, None, action.label, system=True, effect=effect)


_RESEND = Move(S.QUEUED, "distribution.deliver", A.RESEND.label, effect=_resent)

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.QUEUED, A.CLAIM): _system(S.SENDING, A.CLAIM, _claimed),
    (S.SENDING, A.MARK_SENT): _system(S.SENT, A.MARK_SENT, _sent),
    (S.SENDING, A.RETRY): _system(S.QUEUED, A.RETRY, _failed),
    (S.SENDING, A.FAIL): _system(S.FAILED, A.FAIL, _failed),
    (S.SENDING, A.INTERRUPT): _system(S.FAILED, A.INTERRUPT, _failed),
    (S.FAILED, A.RESEND): _RESEND,
    (S.SENT, A.RESEND): _RESEND,
}
# How each event reads in the history: the moves, and the events that move no status.
ACTION_LABELS = {
    "queue": "进入发送队列",
    **{action.value: action.label for action in DeliveryAction},
    "revoke": "撤销下载链接",
    "reissue": "重新签发下载链接",
    "receipt": "签收（首次下载）",
}


def delivery_transition(
    *, delivery_id: int, action: str, actor=None, detail: str = "", **changes
) -> Delivery:
    """Move one delivery by ``action`` (see the table). Locks the row, checks the move and
    the actor, saves, and writes a ``DeliveryEvent`` in the same transaction.

    ``changes`` are further fields to save with the move (``next_attempt_at``).
    Raises ``InvalidTransition`` when the move is not allowed from the current status,
    ``PermissionDenied`` when the actor may not make it (asked first, before the row is
    read). Queues nothing: callers queue the send task in ``on_commit``.
    """
    named = moves_named(TRANSITIONS, action)
    if not named:
        raise InvalidTransition(f"未知的发送操作：{action}")
    if not any(may_move(actor, move) for move in named):
        raise PermissionDenied
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        move = TRANSITIONS.get((delivery.status, action))
        if move is None:
            raise InvalidTransition(
                f"该邮件当前状态为“{delivery.get_status_display()}”，"
                f"不能{ACTION_LABELS[action]}（可能已经处理过，请刷新页面查看）。",
                code="stale",
            )
        now = timezone.now()
        from_status = delivery.status
        delivery.status = move.target
        delivery.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if move.effect is not None:
            fields += move.effect(delivery, now, detail)
        for field, value in changes.items():
            if field == "status":
                raise ValueError("the status is the move's, not a change")
            setattr(delivery, field, value)
            fields.append(field)
        delivery.save(update_fields=list(dict.fromkeys(fields)))
        DeliveryEvent.objects.create(
            delivery=delivery,
            action=action,
            from_status=from_status,
            to_status=move.target,
            detail=detail[:500],
            actor=actor,
        )
    return delivery


@dataclass(frozen=True)
class Outcome:
    result: str  # "sent" | "skipped" | "retry" | "failed"
    retry_in: float | None = None  # seconds, for "retry"


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: base, 2×base, 4×base… capped at one hour."""
    base = settings.CITISA_DELIVERY_RETRY_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), 3600)
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security


def _describe(error: Exception) -> tuple[str, bool]:
    """(reason in Chinese, whether trying again later may help)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        text = "；".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in error.recipients.values()
        )
        permanent = all(code >= 500 for code in codes)
        kind = "邮件服务器拒收该地址" if permanent else "邮件服务器暂时不接收该地址"
        return f"{kind}（{text}）", not permanent
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        permanent = error.smtp_code >= 500
        kind = "邮件服务器拒绝发送" if permanent else "邮件服务器暂时拒绝"
        return f"{kind}（{error.smtp_code} {message}）", not permanent
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"邮件服务器断开了连接（{error}）", True
    if isinstance(error, (ConnectionError, socket.timeout, TimeoutError, OSError)):
        return f"无法连接邮件服务器（{type(error).__name__}: {error}）", True
    if isinstance(error, smtplib.SMTPException):
        return f"邮件发送出错（{type(error).__name__}: {error}）", True
    return f"内部错误（{type(error).__name__}），请联系系统管理员", False


def delivery_attempt(*, delivery_id: int, connection=None) -> Outcome:
    """Send one delivery if it is still queued (see the module docstring), on
    ``connection`` (an open e-mail backend) or a connection of its own.

    Writes the claim, then the outcome, each in its own transaction. Returns what the task
    should do next; never raises for a mail-server error.
    """

    try:
        delivery = delivery_transition(delivery_id=delivery_id, action=A.CLAIM)
    except (InvalidTransition, Delivery.DoesNotExist):
        return Outcome("skipped")
    attempts = delivery.attempts
    if connection is not None:
        _open_quietly(connection)  # only now: a batch with nothing left to send opens nothing
    try:
        message = delivery_message(delivery)
        message.connection = connection
        message.send()
    except Exception as error:
        reason, transient = _describe(error)
        if not transient or attempts >= settings.CITISA_DELIVERY_MAX_ATTEMPTS:
            if transient:
                reason = f"尝试 {attempts} 次后仍失败：{reason}"
            else:
                logger.warning("delivery %s failed for good: %s", delivery.pk, reason)
            delivery_transition(delivery_id=delivery.pk, action=A.FAIL, detail=reason)
            return Outcome("failed")
        delay = backoff_seconds(attempts)
        delivery_transition(
            delivery_id=delivery.pk,
            action=A.RETRY,
            detail=f"第 {attempts} 次发送失败，约 {round(delay)} 秒后重试：{reason}",
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return Outcome("retry", retry_in=delay)
    delivery_transition(delivery_id=delivery.pk, action=A.MARK_SENT)
    return Outcome("sent")


def deliveries_send(
    *, delivery_ids: list[int], queue: str | None = None, budget_seconds: float | None = None
) -> dict[str, int]:
    """Attempt each delivery in turn on one mail-server connection (opened once, opened
    anew after an error). A delivery that should be tried again later gets a send task of
    its own with its backoff; one that fails does not stop the others. Deliveries left
    when ``budget_seconds`` have passed go back to the queue as a new batch, so a batch
    never runs into the task's time limit. Returns the count of each result.
    """
    # Imported here: queueing imports the task module, which imports this one (its tasks
    # run these sends); the tasks are looked up when a batch is queued.
    from .queueing import queue_batch, queue_send

    budget = settings.CITISA_DELIVERY_BATCH_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    results: dict[str, int] = {}
    connection = get_connection()
    try:
        for index, delivery_id in enumerate(delivery_ids):
            if index and time.monotonic() - started > budget:
                queue_batch(delivery_ids[index:], queue)
                results["requeued"] = len(delivery_ids) - index
                break
            outcome = delivery_attempt(delivery_id=delivery_id, connection=connection)
            results[outcome.result] = results.get(outcome.result, 0) + 1
            if outcome.result in ("retry", "failed"):
                connection.close()  # the session may be in any state after an error
            if outcome.retry_in is not None:
                queue_send(delivery_id, queue, countdown=outcome.retry_in)
    finally:
        connection.close()
    return results


def _open_quietly(connection) -> None:
    """Open the connection if it is not; a server that is down is reported by the attempt
    itself (the backend opens again when it sends), not here."""
    with contextlib.suppress(Exception):  # the attempt that follows records the error
        connection.open()
