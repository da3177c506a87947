"""Every read of distribution that a view, a task or another app needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.permissions import can

from .addresses import address_key
from .models import (
    OPEN_DELIVERY_STATUSES,
    ArchiveEntry,
    Contact,
    ContactImport,
    Delivery,
    DeliveryStatus,
    Dispatch,
    DistributionList,
    ListKind,
    Organisation,
)
from .sheets import EXPORT_HEADER

# --- The printed lines ----------------------------------------------------------------


@dataclass(frozen=True)
class PrintedLines:
    report_to: str  # the text after 「报：」
    send_to: str  # the text after 「送：」

    @property
    def report_line(self) -> str:
        return f"报：{self.report_to}"

    @property
    def send_line(self) -> str:
        return f"送：{self.send_to}"


def _list_text(dist_list: DistributionList | None) -> str:
    if dist_list is None:
        return ""
    names = "、".join(org.name for org in dist_list.organisations.all() if org.is_active)
    return f"{names}{dist_list.printed_suffix}" if names else ""


def printed_lists() -> PrintedLines:
    """The 报 and 送 texts as printed in the end matter, from the lists (two queries)."""
    lists = {
        dist_list.kind: dist_list
        for dist_list in DistributionList.objects.prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("position", "pk"))
        )
    }
    return PrintedLines(
        report_to=_list_text(lists.get(ListKind.REPORT)),
        send_to=_list_text(lists.get(ListKind.SEND)),
    )


def printed_lines() -> tuple[str, str]:
    """「报：科技部、…相关司局及部门」 and 「送：各试点产业技术创新战略联盟、…」."""
    lines = printed_lists()
    return lines.report_line, lines.send_line


# --- Lists and contacts ---------------------------------------------------------------


def lists_overview() -> list[DistributionList]:
    """Both lists with their organisations and contacts (three queries)."""
    return list(
        DistributionList.objects.prefetch_related(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk"))
                ),
            )
        )
    )


def recent_imports(*, user, limit: int = 5) -> list[ContactImport]:
    if not can(user, "distribution.manage_lists"):
        return []
    return list(ContactImport.objects.select_related("created_by")[:limit])


def access_contact_import(user, import_id) -> ContactImport:
    """An import report for those who manage the lists, else 404."""
    if not can(user, "distribution.manage_lists"):
        raise Http404
    try:
        return ContactImport.objects.select_related("created_by").get(pk=import_id)
    except (ContactImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contacts_export_rows() -> list[list]:
    rows = [EXPORT_HEADER]
    contacts = Contact.objects.select_related("organisation__distribution_list").order_by(
        "organisation__distribution_list__kind", "organisation__position", "name", "pk"
    )
    for contact in contacts:
        rows.append(
            [
                contact.organisation.distribution_list.get_kind_display(),
                contact.organisation.name,
                contact.name,
                contact.email,
                "是" if contact.is_active else "否",
            ]
        )
    return rows


# --- Who an issue goes to ----------------------------------------------------------------


def current_recipients() -> list[dict]:
    """Active contacts of active organisations, 报 before 送, in printed order; one row per
    address (the first wins). What a new dispatch copies into its deliveries."""
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


def recipients_of(dispatch: Dispatch) -> list[dict]:
    """The recipients an earlier dispatch went to (a correction notice goes to them)."""
    return list(
        dispatch.deliveries.order_by("pk").values(
            "contact_id", "list_kind", "organisation_name", "organisation_position", "name", "email"
        )
    )


# --- Dispatches and deliveries ----------------------------------------------------------


def dispatch_list(*, user) -> QuerySet[Dispatch]:
    if not can(user, "distribution.view"):
        return Dispatch.objects.none()
    return Dispatch.objects.annotate(
        total=Count("deliveries"),
        sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        opened=Count("deliveries", filter=Q(deliveries__first_downloaded_at__isnull=False)),
    ).order_by("-created_at")


def access_dispatch(user, dispatch_id) -> Dispatch:
    """The dispatch for office staff, else 404."""
    if not can(user, "distribution.view"):
        raise Http404
    try:
        return Dispatch.objects.select_related("corrects", "created_by").get(pk=dispatch_id)
    except (Dispatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_delivery(user, dispatch: Dispatch, delivery_id) -> Delivery:
    if not can(user, "distribution.view"):
        raise Http404
    try:
        return dispatch.deliveries.get(pk=delivery_id)
    except (Delivery.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Progress:
    total: int
    counts: dict[str, int]
    opened: int

    @property
    def done(self) -> bool:
        return not any(self.counts.get(status, 0) for status in OPEN_DELIVERY_STATUSES)

    @property
    def finished(self) -> int:
        return self.sent + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100

    @property
    def sent(self) -> int:
        return self.counts.get(DeliveryStatus.SENT, 0)

    @property
    def failed(self) -> int:
        return self.counts.get(DeliveryStatus.FAILED, 0)

    @property
    def waiting(self) -> int:
        return sum(self.counts.get(status, 0) for status in OPEN_DELIVERY_STATUSES)


def dispatch_progress(dispatch: Dispatch) -> Progress:
    """Counts per status and of receipts (one query)."""
    rows = dispatch.deliveries.values("status").annotate(
        n=Count("pk"), opened=Count("pk", filter=Q(first_downloaded_at__isnull=False))
    )
    counts, opened = {}, 0
    for row in rows:
        counts[row["status"]] = row["n"]
        opened += row["opened"]
    return Progress(total=sum(counts.values()), counts=counts, opened=opened)


@dataclass
class ListReceipts:
    kind: str
    label: str
    opened: list[Delivery] = field(default_factory=list)
    not_opened: list[Delivery] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.opened) + len(self.not_opened)


def dispatch_receipts(dispatch: Dispatch) -> list[ListReceipts]:
    """Per list (报, 送): who has opened the issue (first download) and who has not."""
    by_kind = {kind: ListReceipts(kind=kind, label=label) for kind, label in ListKind.choices}
    deliveries = dispatch.deliveries.only(
        "pk",
        "dispatch_id",  # the related manager reads it to attach ``dispatch``
        "list_kind",
        "organisation_name",
        "name",
        "email",
        "status",
        "first_downloaded_at",
        "download_count",
    ).order_by("list_kind", "organisation_position", "name", "pk")
    for delivery in deliveries:
        group = by_kind[delivery.list_kind]
        (group.opened if delivery.first_downloaded_at else group.not_opened).append(delivery)
    return [group for group in by_kind.values() if group.total]


def dispatch_deliveries(dispatch: Dispatch) -> QuerySet[Delivery]:
    """The per-recipient log, newest events first inside each delivery."""
    return dispatch.deliveries.order_by("list_kind", "organisation_position", "name", "pk")


# --- Archive --------------------------------------------------------------------------


def archive_open_to(user) -> bool:
    """Whether ``user`` (perhaps anonymous) may read the archive."""
    if settings.CITISA_ARCHIVE_PUBLIC:
        return True
    return can(user, "archive.view")


def archive_years() -> list[dict]:
    return list(
        ArchiveEntry.objects.values("volume_year").annotate(n=Count("pk")).order_by("-volume_year")
    )


def archive_entries(
    *, year: int | None = None, with_document: bool = False
) -> QuerySet[ArchiveEntry]:
    """Archived issues, newest first; the document only when a search shows its items."""
    deferred = ["search_text"] if with_document else ["document", "search_text"]
    entries = ArchiveEntry.objects.defer(*deferred)
    if year is not None:
        entries = entries.filter(volume_year=year)
    return entries.order_by("-volume_year", "-number")


def access_archive_entry(user, issue_id) -> ArchiveEntry:
    if not archive_open_to(user):
        raise Http404
    try:
        return ArchiveEntry.objects.get(issue_id=issue_id)
    except (ArchiveEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
