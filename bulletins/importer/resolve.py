"""Attribution lines matched to the alliance registry (reads only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from alliances.selectors import alliance_from_attribution, alliance_name_suggestions

if TYPE_CHECKING:
    from alliances.models import Alliance

    from .parse import ParseResult

# 「（XX产业技术创新战略联盟秘书处供稿）」: the news of one alliance.
_ALLIANCE_LINE = re.compile(r"^（(?P<name>.+?)\s*秘书处\s*供稿）$")
# The network's own secretariat is no alliance: 「（联盟协发网秘书处和联盟试点工作组供稿）」.
_NETWORK = re.compile(r"联盟协发网|协同发展网|联盟试点工作")

ALLIANCE, NETWORK, SOURCE = "alliance", "network", "source"


class AttributionMatch(NamedTuple):
    title: str  # the item's title
    attribution: str  # 「（…供稿）」 as imported
    alliance: Alliance | None  # the registry's alliance; None for the network or unknown names
    suggestions: list[tuple[str, Alliance]]  # closest registered names when unknown

    @property
    def kind(self) -> str:
        """「alliance」 for an alliance's news, 「network」 for the network's own items,
        「source」 for an editor's abridgement with its source (信息来源)."""
        return attribution_kind(self.attribution)

    @property
    def unknown(self) -> bool:
        return self.kind == ALLIANCE and self.alliance is None


def attribution_kind(attribution: str) -> str:
    match = _ALLIANCE_LINE.match(attribution)
    if match and not _NETWORK.search(match["name"]):
        return ALLIANCE
    return NETWORK if _NETWORK.search(attribution) and "供稿" in attribution else SOURCE


def attribution_name(attribution: str) -> str:
    """「（化纤产业技术创新战略联盟秘书处供稿）」 → 「化纤产业技术创新战略联盟」."""
    match = _ALLIANCE_LINE.match(attribution)
    return match["name"].strip() if match else ""


def resolve_attributions(result: ParseResult) -> list[AttributionMatch]:
    """Every item with an attribution line, in document order, with its alliance.

    Unknown alliance names come with up to five closest registered names. One query per
    attribution (a few dozen per issue)."""
    out = []
    for item in result.items:
        if not item.attribution:
            continue
        alliance, suggestions = None, []
        if attribution_kind(item.attribution) == ALLIANCE:
            alliance = alliance_from_attribution(item.attribution)
            if alliance is None:
                suggestions = alliance_name_suggestions(attribution_name(item.attribution))
        out.append(AttributionMatch(item.title, item.attribution, alliance, suggestions))
    return out
