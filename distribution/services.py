"""Every write of distribution except a delivery's status (``distribution.delivery``):
the lists and their contacts, the contact import, starting a dispatch from a publication,
resending, links, receipts, the archive and the sweeper."""

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
from simple_history.utils import bulk_create_with_history

from accounts.permissions import require
from alliances.names import normalise

from . import queueing
from .addresses import AddressRejected, clean_text_cell, normalise_email
from .archive import document_text, segment_for_index
from .delivery import InvalidTransition, transition
from .emails import subject_for
from .models import (
    ArchiveEntry,
    Contact,
    ContactImport,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    Dispatch,
    DispatchKind,
    DistributionList,
    ListKind,
    Organisation,
    new_link_nonce,
)
from .publication import Publication, document_from_data, document_to_data, toc_of
from .sheets import SheetError, read_contact_rows

logger = logging.getLogger(__name__)


# --- Lists and contacts ---------------------------------------------------------------


def distribution_list_ensure(*, kind: str, title: str, printed_suffix: str = "", actor=None):
    """The list of ``kind``, created with ``title`` and ``printed_suffix`` if missing."""
    dist_list, _ = DistributionList.objects.get_or_create(
        kind=ListKind(kind), defaults={"title": title, "printed_suffix": printed_suffix}
    )
    return dist_list


def organisation_add(
    *, distribution_list: DistributionList, name: str, position: int | None = None, actor=None
) -> Organisation:
    """Add an organisation at the end of the list (or at ``position``). Raises
    ValidationError for an empty name or one already on the list."""
    try:
        name = clean_text_cell(name, label="单位名称", max_length=60)
    except AddressRejected as error:
        raise ValidationError({"name": str(error)}) from None
    key = normalise(name)
    for other in distribution_list.organisations.all():
        if normalise(other.name) == key:
            raise ValidationError({"name": f"“{other.name}”已在{distribution_list}中。"})
    if position is None:
        last = distribution_list.organisations.order_by("-position").first()
        position = (last.position + 1) if last else 1
    return Organisation.objects.create(
        distribution_list=distribution_list, name=name, position=position
    )


def contact_add(*, organisation: Organisation, name: str, email: str, actor=None) -> Contact:
    """Add a contact. The address is normalised; raises ValidationError (in Chinese) for
    a bad name or address, or one the organisation already has."""
    errors = {}
    try:
        name = clean_text_cell(name, label="姓名", max_length=50)
    except AddressRejected as error:
        errors["name"] = str(error)
    try:
        email = normalise_email(email)
    except AddressRejected as error:
        errors["email"] = str(error)
    if not errors and organisation.contacts.filter(email=email).exists():
        errors["email"] = f"“{organisation.name}”已有使用 {email} 的联系人。"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Contact.objects.create(organisation=organisation, name=name, email=email)
    except IntegrityError:
        raise ValidationError(
            {"email": f"“{organisation.name}”已有使用 {email} 的联系人。"}
        ) from None


def contact_set_active(*, contact: Contact, is_active: bool, actor=None) -> Contact:
    contact.is_active = is_active
    contact.save(update_fields=["is_active"])
    return contact


def _list_kind(raw: str) -> str | None:
    text = normalise(raw)
    if text in {"报", "报送", "报送单位", "report"}:
        return ListKind.REPORT
    if text in {"送", "抄送", "送达", "送达单位", "send"}:
        return ListKind.SEND
    return None


def contacts_import(*, data: bytes, filename: str, actor) -> ContactImport:
    """Import contacts from a CSV or XLSX sheet (see ``distribution.sheets``).

    Every good row is added; every other row is kept in the returned ``ContactImport``
    with the reasons it was refused (bad or duplicate address, unknown organisation…).
    Raises ``SheetError`` (nothing written) when the file cannot be read at all.
    """
    rows = read_contact_rows(data, filename)
    organisations: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("distribution_list"):
        organisations.setdefault(normalise(organisation.name), []).append(organisation)
    list_titles = dict(ListKind.choices)
    with transaction.atomic():
        existing = set(Contact.objects.values_list("organisation_id", "email"))
        seen: dict[tuple[int, str], int] = {}
        new_contacts, rejected = [], []
        for number, values in rows:
            reasons = []
            kind = None
            raw_list = values.get("list", "").strip()
            if raw_list:
                kind = _list_kind(raw_list)
                if kind is None:
                    reasons.append(f"名单“{raw_list}”不存在（应填“报”或“送”）")
            organisation = None
            try:
                org_name = clean_text_cell(values["organisation"], label="单位", max_length=60)
            except AddressRejected as error:
                reasons.append(str(error))
            else:
                candidates = [
                    org
                    for org in organisations.get(normalise(org_name), [])
                    if kind is None or org.distribution_list.kind == kind
                ]
                if not candidates:
                    where = f"“{list_titles[kind]}”名单" if kind else "报、送名单"
                    reasons.append(f"未知单位“{org_name}”（{where}中没有该单位，请先添加单位）")
                elif len(candidates) > 1:
                    reasons.append(f"单位“{org_name}”在报、送两个名单中都有，请填写“名单”列")
                else:
                    organisation = candidates[0]
            try:
                name = clean_text_cell(values["name"], label="姓名", max_length=50)
            except AddressRejected as error:
                reasons.append(str(error))
            email = None
            try:
                email = normalise_email(values["email"])
            except AddressRejected as error:
                reasons.append(f"{error}：“{values['email']}”")
            if organisation and email:
                key = (organisation.pk, email)
                if key in seen:
                    reasons.append(f"与第 {seen[key]} 行重复（同一单位、同一邮箱）")
                elif key in existing:
                    reasons.append(f"“{organisation.name}”已有使用 {email} 的联系人")
            if reasons:
                rejected.append({"row": number, "values": values, "reasons": reasons})
                continue
            seen[(organisation.pk, email)] = number
            new_contacts.append(Contact(organisation=organisation, name=name, email=email))
        if new_contacts:
            try:
                with transaction.atomic():
                    bulk_create_with_history(new_contacts, Contact, default_user=actor)
            except IntegrityError:
                raise SheetError(
                    "导入时另有人同时修改了联系人，未导入任何行，请重新上传。"
                ) from None
        return ContactImport.objects.create(
            filename=filename[:200],
            created_by=actor,
            total_rows=len(rows),
            created_count=len(new_contacts),
            rejected=rejected,
        )


# --- Dispatch -------------------------------------------------------------------------


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
        if contact.email in seen:
            continue
        seen.add(contact.email)
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
    from .tasks import dispatch_fan_out

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
            transaction.on_commit(lambda: dispatch_fan_out.delay(dispatch.pk))
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
        transaction.on_commit(lambda: queueing.queue_send(delivery_id))
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


# --- Archive --------------------------------------------------------------------------


def archive_publish(*, publication: Publication, pdf_sha256: str) -> ArchiveEntry:
    """Put the issue in the archive, or replace its entry by a later edition."""
    document = publication.document
    masthead = document.masthead
    entry = ArchiveEntry.objects.filter(issue_id=publication.issue_id).first()
    if entry is not None and entry.edition > publication.edition:
        return entry
    values = {
        "version_id": publication.version_id,
        "edition": publication.edition,
        "volume_year": masthead.volume_year,
        "number": masthead.number,
        "cumulative_number": masthead.cumulative_number,
        "issue_line": masthead.issue_line,
        "issued_on": masthead.issued_on,
        "document": document_to_data(document),
        "pdf_name": publication.pdf_name,
        "pdf_sha256": pdf_sha256,
        "search_text": segment_for_index(document_text(document)),
    }
    entry, _ = ArchiveEntry.objects.update_or_create(issue_id=publication.issue_id, defaults=values)
    return entry


def archive_reindex() -> int:
    """Cut every archived issue into terms again (after ``archive.DOMAIN_WORDS`` changed)."""
    count = 0
    for entry in ArchiveEntry.objects.only("pk", "document"):
        text = document_text(document_from_data(entry.document))
        ArchiveEntry.objects.filter(pk=entry.pk).update(search_text=segment_for_index(text))
        count += 1
    return count
