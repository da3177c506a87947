"""Writes to the 报/送 lists: organisations, contacts and the contact import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from alliances.names import normalise

from ..addresses import AddressRejected, address_key, clean_text_cell, normalise_email
from ..models import Contact, ContactImport, DistributionList, ListKind, Organisation
from ..sheets import SheetError, read_contact_rows


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
    if not errors and _has_mailbox(organisation, email):
        errors["email"] = f"“{organisation.name}”已有使用 {email} 的联系人（邮箱不区分大小写）。"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Contact.objects.create(organisation=organisation, name=name, email=email)
    except IntegrityError:
        raise ValidationError(
            {"email": f"“{organisation.name}”已有使用 {email} 的联系人（邮箱不区分大小写）。"}
        ) from None


def _has_mailbox(organisation: Organisation, email: str) -> bool:
    """Whether a contact of ``organisation`` has this mailbox, in any case of its letters
    (the identity the database's unique constraint enforces)."""
    found = organisation.contacts.annotate(key=Lower("email")).filter(key=address_key(email))
    return found.exists()


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
        existing = {
            (organisation_id, address_key(email))
            for organisation_id, email in Contact.objects.values_list("organisation_id", "email")
        }
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
                key = (organisation.pk, address_key(email))
                if key in seen:
                    reasons.append(f"与第 {seen[key]} 行重复（同一单位、同一邮箱，不区分大小写）")
                elif key in existing:
                    reasons.append(
                        f"“{organisation.name}”已有使用 {email} 的联系人（邮箱不区分大小写）"
                    )
            if reasons:
                rejected.append({"row": number, "values": values, "reasons": reasons})
                continue
            seen[(organisation.pk, address_key(email))] = number
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
