"""Writes of a dispatch: starting it from a publication, queueing, resending, links,
receipts and the sweeper. A delivery's status itself is written by ``distribution.delivery``."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.permissions import require

from .. import queueing
from ..addresses import address_key
from ..delivery import InvalidTransition, transition
from ..emails import subject_for
from ..models import (
    Contact,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    Dispatch,
    DispatchKind,
    new_link_nonce,
)
from ..publication import Publication, toc_of
from .archive import archive_publish

logger = logging.getLogger(__name__)


def _pdf_digest(name: str) -> tuple[str, int]:
    if not name or not default_storage.exists(name):
        raise ValidationError(f"找不到终版 PDF 文件（{name}），无法分发。")
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    if size == 0:
        raise ValidationError(f"终版 PDF 文件是空的（{name}），无法分发。")
    return digest.hexdigest(), size


def _current_recipients() -> list[dict]:
    """Active contacts of active organisations, 报 before 送, in printed order; one row per
    address (the first wins)."""
    contacts = (
        Contact.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation__distribution_list")
        .order_by(
            "organisation__distribution_list__kind",  # "report" < "send"
            "organisation__position",
            "organisation__pk",
            "name",
            "pk",
        )
    )
    seen, out = set(), []
    for contact in contacts:
        # One e-mail per mailbox: Zhang@x.cn at one organisation and zhang@x.cn at another
        # are one recipient.
        if address_key(contact.email) in seen:
            continue
        seen.add(address_key(contact.email))
        out.append(
            {
                "contact": contact,
                "list_kind": contact.organisation.distribution_list.kind,
                "organisation_name": contact.organisation.name,
                "organisation_position": contact.organisation.position,
                "name": contact.name,
                "email": contact.email,
            }
        )
    return out


def _recipients_of(dispatch: Dispatch) -> list[dict]:
    return list(
        dispatch.deliveries.order_by("pk").values(
            "contact_id", "list_kind", "organisation_name", "organisation_position", "name", "email"
        )
    )


def publication_distribute(*, publication: Publication, actor=None) -> Dispatch:
    """Start distributing a signed, rendered version of an issue (idempotent per version).

    The original edition goes to everybody on the 报 and 送 lists now; a corrected edition
    goes, as a correction notice, to exactly the recipients of the issue's last dispatch.
    Writes the ``Dispatch``, one ``Delivery`` per address (the recipients' snapshot) and the
    archive entry in one transaction, and queues the fan-out task on commit. Raises
    ValidationError when the PDF is missing. Called by the pipeline (the render job), not
    by a person: it checks no permission; ``actor`` is recorded.
    """
    from ..tasks import dispatch_fan_out

    existing = Dispatch.objects.filter(version_id=publication.version_id).first()
    if existing is not None:
        return existing
    pdf_sha256, pdf_size = _pdf_digest(publication.pdf_name)
    masthead = publication.document.masthead
    try:
        with transaction.atomic():
            original = None
            if publication.edition > 1:
                original = (
                    Dispatch.objects.filter(
                        issue_id=publication.issue_id, edition__lt=publication.edition
                    )
                    .order_by("-edition", "-created_at")
                    .first()
                )
            dispatch = Dispatch.objects.create(
                issue_id=publication.issue_id,
                version_id=publication.version_id,
                edition=publication.edition,
                kind=DispatchKind.CORRECTION if original else DispatchKind.ISSUE,
                corrects=original,
                issue_line=masthead.issue_line,
                issued_on=masthead.issued_on,
                subject=subject_for(issue_line=masthead.issue_line, correction=bool(original)),
                toc=toc_of(publication.document),
                correction_note=publication.correction_note,
                pdf_name=publication.pdf_name,
                pdf_sha256=pdf_sha256,
                pdf_size=pdf_size,
                created_by=actor,
            )
            recipients = _recipients_of(original) if original else _current_recipients()
            now = timezone.now()
            deliveries = Delivery.objects.bulk_create(
                [
                    Delivery(dispatch=dispatch, next_attempt_at=now, **recipient)
                    for recipient in recipients
                ]
            )
            DeliveryEvent.objects.bulk_create(
                [
                    DeliveryEvent(
                        delivery=delivery,
                        action="queue",
                        to_status=DeliveryStatus.QUEUED,
                        actor=actor,
                        detail="更正通知" if original else "",
                    )
                    for delivery in deliveries
                ]
            )
            archive_publish(publication=publication, pdf_sha256=pdf_sha256)
            transaction.on_commit(lambda: dispatch_fan_out.delay(dispatch.pk), robust=True)
    except IntegrityError:
        # Another caller distributed the same version at the same moment.
        existing = Dispatch.objects.filter(version_id=publication.version_id).first()
        if existing is None:
            raise
        return existing
    return dispatch


def dispatch_enqueue(*, dispatch_id: int, queue: str | None = None) -> int:
    """Queue the deliveries of the dispatch that are queued and due, in batches of
    ``CITISA_DELIVERY_BATCH`` (each batch one task, one mail-server connection), on
    ``queue`` (default: the default queue). Returns how many deliveries. Safe to run again:
    a delivery already sending or sent ignores its extra message."""

    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = list(
        Delivery.objects.filter(due, dispatch_id=dispatch_id, status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.CITISA_DELIVERY_BATCH
    for start in range(0, len(ids), size):
        queueing.queue_batch(ids[start : start + size], queue)
    Dispatch.objects.filter(pk=dispatch_id).update(fanned_out_at=now)
    return len(ids)


def delivery_resend(*, delivery_id: int, actor) -> Delivery:
    """Send a sent or failed delivery again (the editor's decision). Raises
    ``InvalidTransition`` when it is still queued or sending, PermissionDenied."""
    with transaction.atomic():
        delivery = transition(
            delivery_id=delivery_id, action="resend", actor=actor, detail="编辑要求重发"
        )
        transaction.on_commit(lambda: queueing.queue_send(delivery_id), robust=True)
    return delivery


def dispatch_resend_failed(*, dispatch_id: int, actor) -> int:
    """Send every failed delivery of the dispatch again; returns how many."""
    require(actor, "distribution.deliver")
    ids = list(
        Delivery.objects.filter(dispatch_id=dispatch_id, status=DeliveryStatus.FAILED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for delivery_id in ids:
        try:
            delivery_resend(delivery_id=delivery_id, actor=actor)
        except InvalidTransition:  # changed meanwhile
            continue
        count += 1
    return count


def delivery_link_revoke(*, delivery_id: int, actor) -> Delivery:
    """Make every download link of the delivery stop working (410)."""
    require(actor, "distribution.deliver")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.link_revoked_at is None:
            delivery.link_revoked_at = timezone.now()
            delivery.save(update_fields=["link_revoked_at"])
            DeliveryEvent.objects.create(
                delivery=delivery, action="revoke", detail="链接已撤销", actor=actor
            )
    return delivery


def delivery_link_reissue(*, delivery_id: int, actor) -> Delivery:
    """Give the delivery a new link (older links stop working) and send it by e-mail."""
    require(actor, "distribution.deliver")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.link_nonce = new_link_nonce()
        delivery.link_revoked_at = None
        delivery.save(update_fields=["link_nonce", "link_revoked_at"])
        DeliveryEvent.objects.create(
            delivery=delivery, action="reissue", detail="旧链接已失效", actor=actor
        )
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            delivery = delivery_resend(delivery_id=delivery_id, actor=actor)
    return delivery


def delivery_record_download(*, delivery: Delivery) -> bool:
    """Count a download; the first one is the receipt (签收). Returns True for the first."""
    now = timezone.now()
    with transaction.atomic():
        first = Delivery.objects.filter(pk=delivery.pk, first_downloaded_at__isnull=True).update(
            first_downloaded_at=now
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            download_count=F("download_count") + 1, last_downloaded_at=now
        )
        if first:
            DeliveryEvent.objects.create(delivery=delivery, action="receipt")
    return bool(first)


def deliveries_sweep(
    *, now=None, claim_timeout=None, lost_after=None, queue: str | None = None
) -> tuple[int, int]:
    """Mend what a stopped worker or a lost message left behind (run by beat).

    A delivery ``sending`` for longer than ``claim_timeout`` is marked failed ("interrupt",
    see ``distribution.delivery``); one ``queued`` and due for longer than ``lost_after``
    gets a new send task (on ``queue``). Returns ``(interrupted, requeued)``.
    """
    now = now or timezone.now()
    if claim_timeout is None:
        claim_timeout = timedelta(seconds=settings.CITISA_DELIVERY_CLAIM_TIMEOUT)
    if lost_after is None:
        lost_after = timedelta(seconds=settings.CITISA_DELIVERY_REQUEUE_AFTER)
    interrupted = 0
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, status_changed_at__lte=now - claim_timeout
    ).values_list("pk", flat=True)
    for delivery_id in list(stale):
        try:
            transition(
                delivery_id=delivery_id,
                action="interrupt",
                detail="发送过程中断（后台任务进程停止），无法确认对方是否已收到；请核实后单独重发。",
            )
            interrupted += 1
        except InvalidTransition:
            continue
    lost = list(
        Delivery.objects.filter(
            status=DeliveryStatus.QUEUED, next_attempt_at__lte=now - lost_after
        ).values_list("pk", flat=True)
    )
    if lost:
        Delivery.objects.filter(pk__in=lost).update(next_attempt_at=now)
        for delivery_id in lost:
            queueing.queue_send(delivery_id, queue)
    if interrupted or lost:
        logger.warning("delivery sweep: %d interrupted, %d re-queued", interrupted, len(lost))
    return interrupted, len(lost)
