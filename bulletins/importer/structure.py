"""From blocks to the parts of an issue: header, 本期导读, sections with their items; the
free blocks (致谢) and the end matter (版记) after them are read by ``endmatter``.

Items are found by what the print shows: a title, body paragraphs, an attribution line.
Markdown marks titles with ``#``; in plain text and PDF text a title is a short line that
is no sentence, standing where an item can start (after an attribution, a section heading
or a finished paragraph). A paragraph that stops inside a word went on after a page break
of the original and is joined to the next one. Whatever cannot be placed becomes a
problem quoting the text, never a silent drop.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from bulletins.document import DEFAULT_SECTIONS, SECTION_ALLIANCES, SECTION_NETWORK, EndMatter

from .blocks import SHAPE_MARKDOWN, SHAPE_PDF, Block
from .endmatter import DraftFreeBlock, read_tail, starts_tail
from .html import Part
from .sections import SectionMatch, section_of
from .text import (
    SUBHEADING,
    is_attribution,
    join_lines,
    key,
    normalise_attribution,
    quote,
    squash,
    stops_mid_sentence,
    title_like,
)
from .toc import Toc, is_toc_heading, read_toc

ATTRIBUTED_SECTIONS = (SECTION_NETWORK, SECTION_ALLIANCES)  # every item names its source
SECOND_TITLE_LINE = 40  # the second line of a two-line title is short
TOC_EVIDENCE = 0.75  # a line this close to a 导读 line is that item's title, reworded
UNLISTED_TITLE = 50  # the longest title of the seed issues has 46 characters


@dataclass
class DraftItem:
    title: str
    first: int  # source lines of the whole item, title to attribution
    last: int
    heading: int = 0  # Markdown heading level of the title
    parts: list[Part] = field(default_factory=list)
    attribution: str = ""

    @property
    def lines(self) -> str:
        return f"第{self.first}行"


@dataclass
class DraftSection:
    match: SectionMatch
    first: int
    items: list[DraftItem] = field(default_factory=list)


@dataclass
class IssueStructure:
    """What :class:`StructureReader` finds in a bulletin's blocks: the header, the table of
    contents, the sections with their items, the free blocks and the end matter (版记)."""

    header: list[Block] = field(default_factory=list)
    toc: Toc | None = None
    sections: list[DraftSection] = field(default_factory=list)
    free_blocks: list[DraftFreeBlock] = field(default_factory=list)
    end_matter: EndMatter = field(default_factory=EndMatter)
    end_matter_lines: tuple[int, int] | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# item states
EXPECT_TITLE, AFTER_TITLE, IN_BODY, CLOSED = "expect-title", "after-title", "in-body", "closed"


class StructureReader:
    """Reads a bulletin's blocks, in order, into an :class:`IssueStructure`."""

    def __init__(self, blocks: list[Block], shape: str):
        self.blocks = blocks
        self.shape = shape
        self.out = IssueStructure()
        self.section: DraftSection | None = None
        self.item: DraftItem | None = None
        self.state = EXPECT_TITLE
        self.toc_keys: set[str] = set()

    def run(self) -> IssueStructure:
        index = self._header()
        index = self._toc(index)
        index = self._body(index)
        read_tail(self.blocks[index:], self.out)
        return self.out

    # ------------------------------------------------------------------ header and 导读

    def _header(self) -> int:
        for index, block in enumerate(self.blocks):
            if is_toc_heading(block) or section_of(block) is not None:
                self.out.header = self.blocks[:index]
                return index
        self.out.header = list(self.blocks)
        return len(self.blocks)

    def _toc(self, index: int) -> int:
        if index >= len(self.blocks) or not is_toc_heading(self.blocks[index]):
            return index
        toc, used = read_toc(self.blocks[index:])
        self.out.toc = toc
        self.out.notes += toc.notes
        self.out.problems += toc.problems
        self.toc_keys = {key(title) for title in toc.titles}
        return index + used

    # ------------------------------------------------------------------ sections and items

    def _body(self, index: int) -> int:
        while index < len(self.blocks):
            block = self.blocks[index]
            if block.rule:
                index += 1
                continue
            if starts_tail(block):
                break
            section = section_of(block)
            if section is not None:
                self._start_section(section, block)
            elif self.section is None:
                self.out.problems.append(
                    f"栏目标题之前有无法归类的内容（{block.lines}）：「{quote(block.text)}」。"
                )
            else:
                self._body_block(block, self.blocks[index + 1 : index + 3])
            index += 1
        self._close_item()
        return index

    def _start_section(self, match: SectionMatch, block: Block) -> None:
        self._close_item()
        if match.note:
            self.out.notes.append(match.note)
        if match.canonical is None:
            self.out.problems.append(
                f"无法识别的栏目「{match.printed}」（{block.lines}）：固定栏目只有"
                "重要政策动态、联盟联络组及协发网动态、试点联盟及协发网网员单位动态。"
            )
        order = {title: n for n, title in enumerate(DEFAULT_SECTIONS)}
        later = [
            s.match.canonical
            for s in self.out.sections
            if order.get(s.match.canonical, -1) > order.get(match.canonical, len(order))
        ]
        if later:
            self.out.problems.append(
                f"栏目「{match.label}」（{block.lines}）排在「{later[0]}」之后，"
                "与规定的栏目顺序不同（重要政策动态、联盟联络组及协发网动态、"
                "试点联盟及协发网网员单位动态）。"
            )
        seen = [s for s in self.out.sections if s.match.label == match.label]
        if seen:
            self.out.problems.append(
                f"栏目「{match.label}」出现了两次（第{seen[0].first}行和{block.lines}）；"
                "后一处的稿件并入前一处。"
            )
            self.section = seen[0]
        else:
            self.section = DraftSection(match, block.first)
            self.out.sections.append(self.section)
        self.state = EXPECT_TITLE

    def _body_block(self, block: Block, ahead: list[Block]) -> None:
        item = self.item
        if block.rows is not None:
            self._table(block)
            return
        if is_attribution(block.text):
            self._attribution(block)
            return
        if block.heading:
            self._heading(block)
            return
        if self.state in (EXPECT_TITLE, CLOSED) or item is None:
            if not (title_like(block.text) or block.bold or key(block.text) in self.toc_keys):
                self.out.problems.append(
                    f"{block.lines}的段落前面没有稿件标题：「{quote(block.text)}」；"
                    "已作为一篇无标题的稿件导入。"
                )
                self._new_item("", block)
                self._paragraph(block)
                return
            self._new_item(block.text, block)
            return
        if self.state == AFTER_TITLE:
            if self._continues_title(block, ahead):
                self._join_title(block)
            elif not block.bullet and SUBHEADING.match(block.text) and title_like(block.text):
                self._part(Part("h4", block.text), block)
            else:
                self._paragraph(block)
            return
        previous = item.parts[-1] if item.parts else None
        if (
            self.shape != SHAPE_PDF
            and previous is not None
            and previous.kind == "p"
            and stops_mid_sentence(previous.text)
            and key(block.text) not in self.toc_keys
            and not block.bold
        ):
            self.out.notes.append(
                f"「{quote(item.title, 20)}」：第{item.last}行与{block.lines}之间的段落"
                "在原文分页处断开，已接合。"
            )
            previous.text = join_lines([previous.text, block.text])
            previous.html = previous.html + block.inline_html if previous.html or block.html else ""
            item.last = block.last
            return
        if not block.bullet and SUBHEADING.match(block.text) and title_like(block.text):
            self._part(Part("h4", block.text), block)
        elif not block.bullet and self._starts_item(block, previous):
            self._new_item(block.text, block)
        else:
            self._paragraph(block)

    def _starts_item(self, block: Block, previous: Part | None) -> bool:
        if key(block.text) in self.toc_keys or block.bold:
            return True
        if self.shape == SHAPE_MARKDOWN:
            return False  # Markdown marks its titles
        if previous is not None and previous.kind == "p" and previous.text.endswith(("：", ":")):
            return False  # a line introduced by a colon belongs to the paragraph above
        if not title_like(block.text):
            return False
        if self.toc_keys and not self._in_toc(block.text):
            # Not in the 导读: a title only if it is short. The first line of a paragraph
            # cut by a page break reads like a title too (「……评价报告》主」 / 「要内容，……」),
            # but it is long; an unlisted title is reported by the 导读 check anyway.
            return len(squash(block.text)) <= UNLISTED_TITLE
        return True

    def _in_toc(self, text: str) -> bool:
        compact = key(text)
        return any(
            difflib.SequenceMatcher(None, compact, listed).ratio() >= TOC_EVIDENCE
            for listed in self.toc_keys
        )

    def _continues_title(self, block: Block, ahead: list[Block]) -> bool:
        """A title printed over two lines (PDF text, plain text): the 导读 decides when it
        can; otherwise a short second line that is no sentence, followed by the body."""
        if self.shape == SHAPE_MARKDOWN or block.bullet or SUBHEADING.match(block.text):
            return False
        combined = key(self.item.title + block.text)
        if self.toc_keys:
            if combined in self.toc_keys:
                return True
            if key(self.item.title) in self.toc_keys:
                return False
        if not title_like(block.text, limit=SECOND_TITLE_LINE) or "，" in block.text:
            return False
        if self.item.title.endswith(("、", "，")):
            return True
        following = next((b for b in ahead if not b.rule), None)
        return (
            following is not None
            and following.rows is None
            and not is_attribution(following.text)
            and not title_like(following.text)
        )

    def _join_title(self, block: Block) -> None:
        item = self.item
        item.title = join_lines([item.title, block.text])
        item.last = block.last
        self.out.notes.append(f"标题「{quote(item.title)}」印成两行（{item.lines}起），已合并。")

    def _heading(self, block: Block) -> None:
        """A Markdown heading: a sub-heading (####) inside an item, else an item title."""
        item = self.item
        if block.heading >= 4 and item is not None and self.state in (AFTER_TITLE, IN_BODY):
            self._part(Part("h4", block.text), block)
            return
        if (
            item is not None
            and self.state == AFTER_TITLE
            and not item.parts
            and block.heading == item.heading
        ):
            self._join_title(block)
            return
        self._new_item(block.text, block)

    def _table(self, block: Block) -> None:
        item = self.item
        if item is None or self.state == CLOSED:
            self.out.problems.append(f"{block.lines}的表格前面没有稿件标题；已作为无标题稿件导入。")
            self._new_item("", block)
            item = self.item
        previous = item.parts[-1] if item.parts else None
        rows = [list(row) for row in block.rows]
        if previous is not None and previous.kind == "table" and _same_width(previous, rows):
            if rows and rows[0] == previous.rows[0]:
                rows = rows[1:]  # the header printed again on the next page
                self.out.notes.append(
                    f"{block.lines}：表格在新的一页重复了表头，已去掉重复的表头。"
                )
            previous.rows.extend(rows)
            self.out.notes.append(
                f"「{quote(item.title, 20)}」：表格在原文分页处断开（{block.lines}），已接合。"
            )
            item.last = block.last
            return
        header = bool(rows) and not any(cell.strip().isdigit() for cell in rows[0])
        if not header:
            self.out.notes.append(f"{block.lines}的表格第一行不像表头，按数据行导入。")
        self._part(Part("table", rows=rows, header=header), block)

    def _attribution(self, block: Block) -> None:
        item = self.item
        if item is None or self.state == CLOSED or item.attribution:
            self.out.problems.append(
                f"{block.lines}的供稿行「{block.text}」前面没有稿件（或该稿件已有供稿行）。"
            )
            return
        item.attribution = normalise_attribution(block.text)
        item.last = block.last
        self.state = CLOSED

    def _paragraph(self, block: Block) -> None:
        self._part(Part("p", block.text, html=block.html), block)

    def _part(self, part: Part, block: Block) -> None:
        self.item.parts.append(part)
        self.item.last = block.last
        self.state = IN_BODY

    def _new_item(self, title: str, block: Block) -> None:
        self._close_item()
        self.item = DraftItem(title=title, first=block.first, last=block.last)
        self.item.heading = block.heading
        self.section.items.append(self.item)
        self.state = AFTER_TITLE

    def _close_item(self) -> None:
        item = self.item
        if item is None:
            return
        self.item = None
        label = f"「{quote(item.title)}」（{item.lines}）" if item.title else item.lines
        if not item.parts:
            self.out.problems.append(f"稿件{label}没有正文。")
        section = self.section.match.canonical if self.section else None
        if section in ATTRIBUTED_SECTIONS and not item.attribution:
            self.out.problems.append(f"稿件{label}没有供稿行（本栏目每篇稿件都应注明供稿单位）。")


def _same_width(part: Part, rows: list[list[str]]) -> bool:
    width = {len(row) for row in part.rows or []}
    return bool(rows) and width == {len(row) for row in rows}
