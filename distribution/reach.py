"""What distribution tells the issue pages (``bulletins.hooks``): whom an issue's end matter
would reach if it were signed now, and how the delivery of a signed version is going.

Registered when the app loads (``DistributionConfig.ready``). The reach is computed from
the same recipients a dispatch copies (``selectors.current_recipients``; for a corrected
edition, the recipients of the issue's last dispatch), so what the signer is shown is what
will happen.
"""

from __future__ import annotations

import re

from django.db.models import Count, Q
from django.urls import reverse

from accounts.permissions import can
from alliances.names import normalise
from bulletins import hooks

from .models import OPEN_DELIVERY_STATUSES, DeliveryStatus, Dispatch, DistributionList, ListKind
from .selectors import current_recipients, recipients_of

# The printed lists separate organisations with 、 (sometimes ， or ；, or a new line).
_SEPARATORS = re.compile(r"[、，,；;\n]+")


def printed_names(text: str, suffix: str = "") -> list[str]:
    """The organisations printed in one line of the end matter, without the list's printed
    suffix: 「科技部、…、国家开发银行相关司局及部门」 → ["科技部", …, "国家开发银行"]."""
    names = []
    for part in _SEPARATORS.split(text or ""):
        name = part.strip().rstrip("。.")
        if suffix and name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)].strip()
        if name and name not in names:
            names.append(name)
    return names


def _recipients_for(issue_id: int, edition: int) -> list[dict]:
    if edition > 1:
        original = (
            Dispatch.objects.filter(issue_id=issue_id, edition__lt=edition)
            .order_by("-edition", "-created_at")
            .first()
        )
        if original is not None:
            return recipients_of(original)
    return current_recipients()


@hooks.register_reach
def issue_reach(*, issue_id: int, edition: int, report_to: str, send_to: str) -> hooks.Reach:
    """See ``bulletins.hooks.register_reach``. Three queries."""
    suffixes = dict(DistributionList.objects.values_list("kind", "printed_suffix"))
    recipients = _recipients_for(issue_id, edition)
    reached = {normalise(row["organisation_name"]) for row in recipients}
    lists = []
    for kind, text in ((ListKind.REPORT, report_to), (ListKind.SEND, send_to)):
        printed = printed_names(text, suffixes.get(kind, ""))
        rows = [row for row in recipients if row["list_kind"] == kind]
        lists.append(
            hooks.ListReach(
                kind=kind,
                label=ListKind(kind).label,
                printed=tuple(printed),
                organisations=len({row["organisation_name"] for row in rows}),
                addresses=len(rows),
                missing=tuple(name for name in printed if normalise(name) not in reached),
            )
        )
    return hooks.Reach(lists=tuple(lists), lists_url=reverse("distribution:lists"))


def dispatch_delivery(dispatch: Dispatch) -> hooks.Delivery:
    """Progress and receipts of one dispatch (one query)."""
    rows = list(
        dispatch.deliveries.values("list_kind").annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            waiting=Count("pk", filter=Q(status__in=OPEN_DELIVERY_STATUSES)),
            opened=Count("pk", filter=Q(first_downloaded_at__isnull=False)),
        )
    )
    by_kind = {row["list_kind"]: row for row in rows}
    total = {key: sum(row[key] for row in rows) for key in ("sent", "failed", "waiting", "opened")}
    return hooks.Delivery(
        total=sum(row["total"] for row in rows),
        sent=total["sent"],
        failed=total["failed"],
        waiting=total["waiting"],
        opened=total["opened"],
        dispatch_url=reverse("distribution:dispatch", args=[dispatch.pk]),
        receipts=tuple(
            hooks.ListReceipts(label=label, opened=row["opened"], total=row["total"])
            for kind, label in ListKind.choices
            if (row := by_kind.get(kind))
        ),
    )


@hooks.register_delivery
def version_delivery(*, version_id: int, user) -> hooks.Delivery | None:
    """See ``bulletins.hooks.register_delivery``."""
    if not can(user, "distribution.view"):
        return None
    dispatch = Dispatch.objects.filter(version_id=version_id).first()
    return dispatch_delivery(dispatch) if dispatch is not None else hooks.Delivery(started=False)


def latest_delivery(user) -> dict:
    """The home panels' block: the delivery of the most recently dispatched issue."""
    if not can(user, "distribution.view"):
        return {}
    dispatch = Dispatch.objects.order_by("-created_at", "-pk").first()
    if dispatch is None:
        return {}
    delivery = dispatch_delivery(dispatch)
    # The shape of ``bulletins.confirmation.delivery_context``: one template shows both.
    return {
        "delivery_block": {
            "issue_id": dispatch.issue_id,
            "issue_line": dispatch.issue_line,
            "delivery": delivery,
            "final_failed": False,
            "pending": not delivery.done,
            "panel": True,
        }
    }
