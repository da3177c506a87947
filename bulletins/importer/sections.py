"""Section headings (栏目) and the printed variants of the three fixed ones."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bulletins.document import DEFAULT_SECTIONS, SECTION_ALLIANCES

from .blocks import Block
from .text import key, squash

ARROW = "➤"
# Wordings old issues print for the fixed sections (as in the seed bulletins in importer/seeds/). Others
# are recognised when marked 「➤」 and close enough to a fixed title.
VARIANTS = {
    key("试点联盟动态及协发网网员单位动态"): SECTION_ALLIANCES,
}
_CANONICAL = {key(title): title for title in DEFAULT_SECTIONS}
CLOSE_ENOUGH = 0.8  # a 「➤」 heading this close to a fixed title is that section


@dataclass(frozen=True)
class SectionMatch:
    canonical: str | None  # one of DEFAULT_SECTIONS; None for an unknown 「➤」 heading
    printed: str  # the heading as printed, without 「➤」
    arrow: bool  # printed with 「➤」
    note: str = ""  # set when the printed wording is a variant

    @property
    def label(self) -> str:
        return self.canonical or self.printed


def section_of(block: Block) -> SectionMatch | None:
    """The section this block heads, or None when it is no section heading.

    A heading marked 「➤」 is always a section heading; without the mark only the fixed
    titles and their known variants count (a title in a body line must not start one).
    """
    text = squash(block.text)
    arrow = text.startswith(ARROW)
    printed = squash(text.lstrip(ARROW))
    if not printed or len(printed) > 30:
        return None
    compact = key(printed)
    if compact in _CANONICAL:
        return SectionMatch(_CANONICAL[compact], printed, arrow)
    if compact in VARIANTS:
        canonical = VARIANTS[compact]
        return SectionMatch(canonical, printed, arrow, _variant_note(printed, canonical, block))
    if not arrow:
        return None
    close = difflib.get_close_matches(compact, list(_CANONICAL), n=1, cutoff=CLOSE_ENOUGH)
    if close:
        canonical = _CANONICAL[close[0]]
        return SectionMatch(canonical, printed, arrow, _variant_note(printed, canonical, block))
    return SectionMatch(None, printed, arrow)


def _variant_note(printed: str, canonical: str, block: Block) -> str:
    return f"栏目「{printed}」（{block.lines}）按「{canonical}」导入。"
