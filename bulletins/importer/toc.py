"""本期导读: read as printed, then held against the body.

The old issues were assembled by hand, and their 导读 does not always agree with the body
(「…在两会上…」 over 「…在全国两会上…」). Differences in spacing alone do not count; every
other difference is reported, with both wordings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .blocks import Block
from .sections import section_of
from .text import key, squash, title_like

TOC_HEADINGS = {key("本期导读"), key("目录"), key("本期要目")}
# 「标题 ………… 3」「标题……3」「标题\t3」: the page number a printed 导读 carries.
_PAGE = re.compile(r"^(?P<title>.*?\S)(?:\s*[.…·．\-—]{2,}\s*|\t+|\s{2,})(?P<page>\d{1,3})$")
SIMILAR = 0.5  # below this a pair is two different items, not one item worded twice


@dataclass
class Toc:
    entries: list[tuple[str, list[str]]] = field(default_factory=list)  # as printed
    canonical: list[str | None] = field(default_factory=list)  # each entry's section
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return [title for _, titles in self.entries for title in titles]


def is_toc_heading(block: Block) -> bool:
    return key(block.text) in TOC_HEADINGS


def read_toc(blocks: list[Block]) -> tuple[Toc, int]:
    """Read the 导读 that starts at ``blocks[0]`` (its heading). Returns the 导读 and the
    number of blocks it takes: it ends at a section heading marked 「➤」, at a section
    heading seen in it before (the body begins), or at a block that is no 导读 line."""
    toc = Toc()
    used = 1
    pages = 0
    for block in blocks[1:]:
        if block.rule:
            used += 1
            continue
        section = section_of(block)
        if section is not None:
            if section.arrow or section.canonical in toc.canonical:
                break
            toc.entries.append((section.printed, []))
            toc.canonical.append(section.canonical)
            if section.note:
                toc.notes.append(f"本期导读：{section.note}")
            used += 1
            continue
        if not (block.bullet or (title_like(block.text, limit=120) and not block.heading)):
            break
        text = squash(block.text)
        page = _PAGE.match(text)
        if page:
            text, pages = page["title"].strip(), pages + 1
        if not toc.entries:
            toc.entries.append(("", []))
            toc.canonical.append(None)
            toc.problems.append(f"本期导读的第一行（{block.lines}）「{text}」前面没有栏目名称。")
        toc.entries[-1][1].append(text)
        used += 1
    if pages:
        toc.notes.append(f"本期导读中{pages}行带页码，页码未保留（印刷时重新生成）。")
    return toc, used


def compare(toc: Toc, sections: list[tuple[str, list[str]]]) -> tuple[list[str], dict[str, str]]:
    """Hold the 导读 against the body's sections (canonical title, item titles).

    Returns the problems and, for every body title that has a 导读 line, that line as
    printed (for ``fix_title_spaces``)."""
    problems: list[str] = []
    pairs: dict[str, str] = {}
    toc_sections = {}
    for canonical, (_, titles) in zip(toc.canonical, toc.entries, strict=True):
        toc_sections.setdefault(canonical, []).extend(titles)
    body_sections = dict(sections)
    missing_in_body, missing_in_toc = [], []  # (section, title)
    for section in list(dict.fromkeys([*toc_sections, *body_sections])):
        in_toc = toc_sections.get(section, [])
        in_body = body_sections.get(section, [])
        label = section or "未分栏目"
        matcher = difflib.SequenceMatcher(
            None, [key(t) for t in in_toc], [key(t) for t in in_body], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for t, b in zip(in_toc[i1:i2], in_body[j1:j2], strict=True):
                    pairs[b] = t
                continue
            toc_side, body_side = in_toc[i1:i2], in_body[j1:j2]
            while toc_side and body_side:
                t, b = toc_side[0], body_side[0]
                if difflib.SequenceMatcher(None, key(t), key(b)).ratio() < SIMILAR:
                    break
                pairs[b] = t
                problems.append(
                    f"本期导读与正文的标题不一致（{label}）：导读为「{t}」，正文为「{b}」。"
                )
                toc_side, body_side = toc_side[1:], body_side[1:]
            missing_in_body += [(label, t) for t in toc_side]
            missing_in_toc += [(label, b) for b in body_side]
    for label, title in missing_in_body:
        moved = [s for s, b in missing_in_toc if key(b) == key(title)]
        if moved:
            problems.append(
                f"本期导读把「{title}」列在「{label}」下，正文中它在「{moved[0]}」栏目。"
            )
            missing_in_toc = [(s, b) for s, b in missing_in_toc if key(b) != key(title)]
            continue
        problems.append(f"本期导读列出的「{title}」（{label}）在正文中没有找到。")
    for label, title in missing_in_toc:
        problems.append(f"正文中的「{title}」（{label}）没有列入本期导读。")
    return problems, pairs
