"""How active each alliance was in a period: submissions received and accepted, items
published, and the alliances that sent nothing.

It reads several apps, so it sits on the reports floor above them: the alliances come
from the registry, and the submissions are counted through their selector
(``submissions.selectors.submissions_received``), the published items here (only this
report asks for them). One query for the table, one for the months,
whatever the number of alliances.

Not scoped to a user: the views call it after checking ``alliance.statistics``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from alliances.models import ActivityLevel, Alliance
from bulletins.models import Item
from submissions.selectors import ACCEPTED_STATUSES, submissions_received


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included, in the site's time zone (Asia/Shanghai):
    a submission sent at 00:00 on ``first_day`` counts, one sent at 00:00 on the day after
    ``last_day`` does not."""

    first_day: date
    last_day: date
    is_year: bool = False

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), is_year=True)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{self.first_day.year}年"
        return f"{_cn_date(self.first_day)}至{_cn_date(self.last_day)}"

    @property
    def slug(self) -> str:
        """For file names: 「2024年」 or 「20240101-20240630」."""
        if self.is_year:
            return f"{self.first_day.year}年"
        return f"{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        out, month = [], self.first_day.replace(day=1)
        while month <= self.last_day:
            out.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return out


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class AllianceRow:
    alliance: Alliance
    received: int
    accepted: int
    items: int

    @property
    def rate(self) -> float | None:
        """Accepted / received, or None when nothing was received."""
        return self.accepted / self.received if self.received else None

    @property
    def rate_label(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.0%}"

    @property
    def sent_nothing(self) -> bool:
        return self.received == 0 and self.items == 0


@dataclass
class Report:
    period: Period
    sort: str
    rows: list[AllianceRow]
    monthly: list[tuple[date, int]] = field(default_factory=list)

    @property
    def totals(self) -> AllianceRow:
        return AllianceRow(
            alliance=None,
            received=sum(r.received for r in self.rows),
            accepted=sum(r.accepted for r in self.rows),
            items=sum(r.items for r in self.rows),
        )

    @property
    def silent(self) -> list[Alliance]:
        """The alliances that sent nothing: no submission received, no item published."""
        rows = sorted((r for r in self.rows if r.sent_nothing), key=_code_order)
        return [r.alliance for r in rows]


# --- sorting: a whitelist of columns; anything else falls back to the default -------------
def _code_order(row: AllianceRow):
    code = row.alliance.code
    # Pilot codes (102) first, then network codes (D106), then alliances without a code.
    return (code is None, (code or "").startswith("D"), code or "", row.alliance.full_name)


SORT_COLUMNS = {
    "name": ("联盟", lambda r: r.alliance.short_name),
    "code": ("批次编号", _code_order),
    "received": ("收到投稿", lambda r: r.received),
    "accepted": ("采用", lambda r: r.accepted),
    "rate": ("采用率", lambda r: -1 if r.rate is None else r.rate),
    "items": ("刊发稿件", lambda r: r.items),
}
DEFAULT_SORT = "-items"


def sort_param(value) -> str:
    """``value`` if it names a sortable column (``items`` ascending, ``-items`` descending),
    else the default: a hand-edited ``?sort=`` never fails and never reaches the ORM."""
    value = (value or "").strip()
    return value if value.lstrip("-") in SORT_COLUMNS and value.count("-") <= 1 else DEFAULT_SORT


def sort_rows(rows: list[AllianceRow], sort: str) -> list[AllianceRow]:
    sort = sort_param(sort)
    key = SORT_COLUMNS[sort.lstrip("-")][1]
    # Ties stay in registry order (stable sort on a list already in code order).
    ordered = sorted(rows, key=_code_order)
    return sorted(ordered, key=key, reverse=sort.startswith("-"))


# --- the counting ---------------------------------------------------------------------------
def _count_per_alliance(queryset: QuerySet):
    per_alliance = (
        queryset.filter(alliance=OuterRef("pk"))
        .order_by()
        .values("alliance")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_alliance, output_field=IntegerField()), Value(0))


def items_published(*, first_day, last_day) -> QuerySet[Item]:
    """Items of published issues dated (印发日期) from ``first_day`` to ``last_day``
    inclusive. Published = signed at least once: imported past issues are signed on import,
    and an issue being corrected stays published. Not scoped to a user: for reports whose
    view has checked the permission."""
    return Item.objects.filter(
        issue__signed_version__isnull=False,
        issue__issued_on__gte=first_day,
        issue__issued_on__lte=last_day,
    )


def alliances_with_activity(period: Period) -> QuerySet[Alliance]:
    """Every registered (在册) alliance, and any other that was active in the period,
    annotated with ``received``, ``accepted`` and ``items``: one query."""
    received = submissions_received(start=period.start, end=period.end)
    items = items_published(first_day=period.first_day, last_day=period.last_day)
    return (
        Alliance.objects.annotate(
            received=_count_per_alliance(received),
            accepted=_count_per_alliance(received.filter(status__in=ACCEPTED_STATUSES)),
            items=_count_per_alliance(items),
        )
        .filter(Q(is_active=True) | Q(received__gt=0) | Q(items__gt=0))
        .order_by("code", "full_name")
    )


def monthly_received(period: Period) -> list[tuple[date, int]]:
    """Submissions received per calendar month (months with none included): one query."""
    counts = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["n"]
        for row in submissions_received(start=period.start, end=period.end)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    return [(month, counts.get(month, 0)) for month in period.months()]


def period_statistics(period: Period, *, sort: str = DEFAULT_SORT, monthly=True) -> Report:
    rows = [
        AllianceRow(alliance=a, received=a.received, accepted=a.accepted, items=a.items)
        for a in alliances_with_activity(period)
    ]
    sort = sort_param(sort)
    return Report(
        period=period,
        sort=sort,
        rows=sort_rows(rows, sort),
        monthly=monthly_received(period) if monthly else [],
    )


# --- the suggestion for 活跃度评价 -----------------------------------------------------------
# Items published per year of the period (a period shorter than a year counts as one year).
HIGH_ITEMS_PER_YEAR = 4
FAIRLY_HIGH_ITEMS_PER_YEAR = 2

SUGGESTION_RULE = (
    f"建议等级只看本评价期内在简报上刊发的稿件数（按评价期年数折算，不足一年按一年计）："
    f"每年 {HIGH_ITEMS_PER_YEAR} 篇及以上建议“高”，{FAIRLY_HIGH_ITEMS_PER_YEAR} 篇及以上建议“较高”；"
    "有刊发稿件或有投稿建议“一般”；既无投稿也无刊发建议“不活跃”。"
    "刊发情况只是活跃度的信号之一，建议仅供参考，评价结论由评价人决定。"
)


def suggest_level(row: AllianceRow, period: Period) -> str:
    years = max(1, math.ceil(period.days / 365.25 - 0.01))
    if row.items >= HIGH_ITEMS_PER_YEAR * years:
        return ActivityLevel.HIGH
    if row.items >= FAIRLY_HIGH_ITEMS_PER_YEAR * years:
        return ActivityLevel.FAIRLY_HIGH
    if row.items or row.received:
        return ActivityLevel.AVERAGE
    return ActivityLevel.INACTIVE
