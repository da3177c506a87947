"""活跃度评价 read side: an alliance's ratings, the A级 derived from them, and the A级 lists
that were published in the bulletin before this system existed.

The derivation (the office's rule: three consecutive 高 make an A级活跃度联盟)::

    periods in time order:   P1   P2   P3   P4   P5
    alliance X:              高   高   较高  高   高     -> not A级 (P3..P5 = 较高 高 高)
    alliance Y:              一般 高   高   高          -> A级 (P2, P3, P4)
    alliance Z:              高   高   —    高   高     -> not A级 (P3 missing breaks it)

Take the alliance's most recent rated period; it and the two periods just before it in the
sequence of all periods (by start date) must all be rated 高. A period without a rating
for the alliance breaks the chain; fewer than three periods cannot make one.

A published list (``data/a_level_lists.json``: 2022年第3期 printed the list for 2018-2021)
is a historical fact recorded as printed; it is shown beside the derived status, never
mixed into it, because its underlying per-period ratings are not in the system.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count

from .models import ActivityLevel, ActivityRating, Alliance, EvaluationPeriod

CHAIN = 3
PUBLISHED_LISTS = Path(__file__).resolve().parent / "data" / "a_level_lists.json"


def a_level_chain(period_ids: list[int], levels: dict[int, str]) -> list[int] | None:
    """The ``CHAIN`` period ids that make the alliance A级, or None.

    ``period_ids``: every evaluation period, in time order. ``levels``: the alliance's
    level per period id (periods it was not rated in are absent).
    """
    rated = [index for index, pk in enumerate(period_ids) if pk in levels]
    if not rated or rated[-1] < CHAIN - 1:
        return None
    window = period_ids[rated[-1] - CHAIN + 1 : rated[-1] + 1]
    if all(levels.get(pk) == ActivityLevel.HIGH for pk in window):
        return window
    return None


@dataclass(frozen=True)
class PublishedList:
    title: str
    years: str
    source: str
    basis: str
    codes: frozenset[str]
    # (批次编号, 联盟名称) as the table printed them, in its order.
    printed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PublishedRow:
    number: int  # 序号 as printed
    code: str
    printed_name: str
    alliance: Alliance | None  # the registry's alliance with that 批次编号, if any


@cache
def published_a_level_lists() -> tuple[PublishedList, ...]:
    records = json.loads(PUBLISHED_LISTS.read_text(encoding="utf-8"))
    return tuple(
        PublishedList(
            title=r["title"],
            years=r["years"],
            source=r["source"],
            basis=r["basis"],
            codes=frozenset(r["codes"]),
            printed=tuple((code, r.get("names", {}).get(code, "")) for code in r["codes"]),
        )
        for r in records
    )


def published_list_rows(entry: PublishedList) -> list[PublishedRow]:
    """The rows of a published list, each with the registry's alliance of that 批次编号
    (None when the registry has none). One query."""
    by_code = {a.code: a for a in Alliance.objects.filter(code__in=entry.codes)}
    return [
        PublishedRow(number, code, name, by_code.get(code))
        for number, (code, name) in enumerate(entry.printed, start=1)
    ]


def published_lists_naming(alliance: Alliance) -> list[PublishedList]:
    """The published A级 lists that name this alliance (by its 批次编号, as printed)."""
    if not alliance.code:
        return []
    return [entry for entry in published_a_level_lists() if alliance.code in entry.codes]


@dataclass
class AllianceActivity:
    ratings: list[ActivityRating]
    a_level_periods: list[EvaluationPeriod] | None
    published: list[PublishedList]

    @property
    def is_a_level(self) -> bool:
        return self.a_level_periods is not None

    @property
    def a_level_label(self) -> str:
        if not self.a_level_periods:
            return ""
        return "、".join(p.name for p in self.a_level_periods)


def alliance_activity(alliance: Alliance) -> AllianceActivity:
    """The alliance's ratings (oldest first), its derived A级 and the published lists that
    name it. Two queries."""
    periods = list(EvaluationPeriod.objects.order_by("starts_on", "ends_on", "pk"))
    ratings = list(
        ActivityRating.objects.filter(alliance=alliance)
        .select_related("period", "recorded_by")
        .order_by("period__starts_on", "period__ends_on", "period__pk")
    )
    chain = a_level_chain([p.pk for p in periods], {r.period_id: r.level for r in ratings})
    by_id = {p.pk: p for p in periods}
    return AllianceActivity(
        ratings=ratings,
        a_level_periods=[by_id[pk] for pk in chain] if chain else None,
        published=published_lists_naming(alliance),
    )


def a_level_alliances() -> list[tuple[Alliance, list[EvaluationPeriod]]]:
    """Every alliance that is A级 by the recorded ratings, with the periods that make it so.
    Two queries."""
    periods = list(EvaluationPeriod.objects.order_by("starts_on", "ends_on", "pk"))
    period_ids = [p.pk for p in periods]
    by_id = {p.pk: p for p in periods}
    levels: dict[int, dict[int, str]] = {}
    alliances: dict[int, Alliance] = {}
    for rating in ActivityRating.objects.select_related("alliance"):
        levels.setdefault(rating.alliance_id, {})[rating.period_id] = rating.level
        alliances[rating.alliance_id] = rating.alliance
    out = []
    for alliance_id, alliance_levels in levels.items():
        chain = a_level_chain(period_ids, alliance_levels)
        if chain:
            out.append((alliances[alliance_id], [by_id[pk] for pk in chain]))
    return sorted(out, key=lambda pair: (pair[0].code is None, pair[0].code or "", pair[0].pk))


def period_summaries() -> list[tuple[EvaluationPeriod, list[int]]]:
    """Every period (newest first) with its count of ratings per level, in the order of
    ``ActivityLevel``. Two queries."""
    counts: dict[int, dict[str, int]] = {}
    for row in ActivityRating.objects.values("period", "level").annotate(n=Count("pk")):
        counts.setdefault(row["period"], {})[row["level"]] = row["n"]
    periods = EvaluationPeriod.objects.order_by("-starts_on", "-pk")
    return [
        (p, [counts.get(p.pk, {}).get(level, 0) for level in ActivityLevel.values]) for p in periods
    ]
