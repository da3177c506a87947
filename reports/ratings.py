"""The rating sheet of an evaluation period: every alliance with its statistics for the
period and the level they suggest, beside the rating already recorded. The ratings and the
A级 derived from them are the registry's (``alliances.ratings``); the statistics are read
from the submissions and the bulletins (``reports.statistics``), which is why the sheet
sits on this floor."""

from __future__ import annotations

from dataclasses import dataclass

from alliances.models import ActivityLevel, ActivityRating, Alliance, EvaluationPeriod

from .statistics import AllianceRow, Period, period_statistics, suggest_level


@dataclass
class SheetLine:
    """One alliance on a period's rating sheet: its statistics for the period, the level
    they suggest, and the rating already recorded (if any)."""

    alliance: Alliance
    stats: AllianceRow
    suggestion: str
    current: ActivityRating | None

    @property
    def suggestion_label(self) -> str:
        return ActivityLevel(self.suggestion).label

    @property
    def initial_level(self) -> str:
        """The recorded level, or "" (未评): a suggestion is shown beside the field, never
        pre-selected, so that saving the sheet records only what someone chose."""
        return self.current.level if self.current else ""


def rating_sheet(period: EvaluationPeriod) -> list[SheetLine]:
    """Every registered alliance (and any other already rated in ``period``) in registry
    order, with the period's statistics and the suggested level. Three queries."""
    span = Period(period.starts_on, period.ends_on)
    rows = list(period_statistics(span, sort="code", monthly=False).rows)
    existing = {
        r.alliance_id: r
        for r in ActivityRating.objects.filter(period=period).select_related("alliance")
    }
    shown = {row.alliance.pk for row in rows}
    for rating in existing.values():  # rated here, but no longer 在册 and inactive
        if rating.alliance_id not in shown:
            rows.append(AllianceRow(alliance=rating.alliance, received=0, accepted=0, items=0))
    return [
        SheetLine(
            alliance=row.alliance,
            stats=row,
            suggestion=suggest_level(row, span),
            current=existing.get(row.alliance.pk),
        )
        for row in rows
    ]
