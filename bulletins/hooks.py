"""What the issue pages need to know from the floors above them, without importing them.

``bulletins`` lies below ``distribution``: it may not import it. Yet the sign-off has to
say who will receive an issue (the reach of the 报/送 lists) and, once signed, how its
delivery is going; and once the final PDF of a signed (or imported) version is stored, it
must go out and into the archive. The higher app registers one function for each in its
``AppConfig.ready`` (``distribution.apps``), the way permission rules and home panels are
registered; bulletins calls whatever is registered. With nothing registered (a site
without distribution) the questions answer ``None`` and the pages leave the blocks out,
and a stored final PDF goes nowhere.

The answers are plain data defined here, so both sides agree on their shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import IssueDocument


@dataclass(frozen=True)
class ListReach:
    """One list (报 or 送) of one issue's end matter, against the addresses on file."""

    kind: str  # "report" or "send"
    label: str  # 报 / 送
    printed: tuple[str, ...]  # the organisations printed after 「报：」/「送：」
    organisations: int  # organisations of the list that will receive it (≥ 1 address)
    addresses: int  # addresses of the list it will be e-mailed to
    missing: tuple[str, ...] = ()  # printed organisations with no address: they get nothing

    @property
    def printed_reached(self) -> int:
        return len(self.printed) - len(self.missing)


@dataclass(frozen=True)
class Reach:
    lists: tuple[ListReach, ...]
    lists_url: str = ""  # where the 报/送 lists are kept, to add what is missing

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for one in self.lists for name in one.missing)

    @property
    def addresses(self) -> int:
        return sum(one.addresses for one in self.lists)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class ListReceipts:
    label: str  # 报 / 送
    opened: int  # recipients who have opened (downloaded) the issue: 签收
    total: int


@dataclass(frozen=True)
class Delivery:
    """How the e-mailing of one signed version is going (``started`` False: not yet, the
    final PDF is still being made)."""

    total: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    opened: int = 0
    dispatch_url: str = ""
    receipts: tuple[ListReceipts, ...] = field(default_factory=tuple)
    started: bool = True

    @property
    def done(self) -> bool:
        return self.started and self.waiting == 0

    @property
    def percent(self) -> int:
        return round(100 * (self.sent + self.failed) / self.total) if self.total else 100


@dataclass(frozen=True)
class FinalPdf:
    """The final PDF of a version, just stored, and the document it was rendered from."""

    version_id: int
    issue_id: int
    edition: int
    document: IssueDocument  # as rendered (no watermark): built once, by the render
    pdf_name: str  # a name in the default storage
    pdf_sha256: str
    imported: bool  # a past issue imported from its text: archive only, nobody e-mailed
    actor: object = None  # who signed it (a User), None for an imported issue


ReachFn = Callable[..., Reach]
DeliveryFn = Callable[..., "Delivery | None"]
FinalPdfFn = Callable[..., object]

_registry: dict[str, Callable] = {}


def register_reach(fn: ReachFn) -> ReachFn:
    """``fn(*, issue_id, edition, report_to, send_to) -> Reach``: who the issue with this
    end matter would reach if it were signed now."""
    _registry["reach"] = fn
    return fn


def register_delivery(fn: DeliveryFn) -> DeliveryFn:
    """``fn(*, version_id, user) -> Delivery | None``: the delivery of a signed version
    (``started=False`` before it starts), None for a user who may not see it."""
    _registry["delivery"] = fn
    return fn


def register_final_pdf(fn: FinalPdfFn) -> FinalPdfFn:
    """``fn(*, final: FinalPdf)``: called in the transaction that records a version's final
    PDF, so what it writes commits with the record (and what it sends belongs in
    ``on_commit``)."""
    _registry["final_pdf"] = fn
    return fn


def reach(*, issue_id: int, edition: int, report_to: str, send_to: str) -> Reach | None:
    fn = _registry.get("reach")
    if fn is None:
        return None
    return fn(issue_id=issue_id, edition=edition, report_to=report_to, send_to=send_to)


def delivery(*, version_id: int | None, user) -> Delivery | None:
    fn = _registry.get("delivery")
    if fn is None or version_id is None:
        return None
    return fn(version_id=version_id, user=user)


def final_pdf_stored(*, final: FinalPdf) -> None:
    fn = _registry.get("final_pdf")
    if fn is not None:
        fn(final=final)
