"""From source text to printed blocks: one block per paragraph, heading, list line or table.

Old issues exist in three shapes (one of each in importer/seeds/):

- ``markdown``: headings with ``#``, ``**bold**``, links, list lines ``- …``;
- ``text``: one paragraph per line, list lines ``- …``, tables as tab-separated lines;
- ``pdf-text``: text extracted from the PDF, one printed line per source line (with a blank
  line between them), page numbers on lines of their own, a paragraph's last line ending
  in a space and its first line sometimes indented.

Every block keeps the source lines it came from, so that messages can name them and tests
can compare characters. Whatever is dropped (page numbers, running heads, Markdown
markup) is dropped here and nowhere else; page numbers and running heads are recorded.
"""

from __future__ import annotations

import html
import re
import statistics
from dataclasses import dataclass, field

from bulletins.document import BULLETIN_TITLE, DEFAULT_SECTIONS

from .text import drop_cjk_spaces, ends_sentence, join_lines, key, squash, title_like

SHAPE_MARKDOWN = "markdown"
SHAPE_TEXT = "text"
SHAPE_PDF = "pdf-text"
SHAPE_LABELS = {SHAPE_MARKDOWN: "Markdown", SHAPE_TEXT: "纯文本", SHAPE_PDF: "PDF提取文字"}

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d{1,2}[.、])\s+(?=\S)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|—{2,})\s*$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
# 「12」「- 12 -」「第12页」「第 3 页 共 16 页」
_PAGE_NUMBER = re.compile(
    r"^\s*[-—–－]?\s*(?:\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?)"
    r"\s*[-—–－]?\s*$"
)
_ISSUE_IN_LINE = re.compile(r"\d{4}\s*年\s*第\s*\S{1,3}\s*期")
_SECTION_KEYS = {key(title) for title in DEFAULT_SECTIONS}


@dataclass
class Block:
    text: str  # plain text: markup removed, hard line breaks joined
    first: int  # first source line, 1-based
    last: int  # last source line
    html: str = ""  # inline HTML of a paragraph (escaped text, <strong>)
    heading: int = 0  # Markdown heading level; 0 when not a Markdown heading
    bullet: bool = False  # a list line 「- …」
    rows: list[list[str]] | None = None  # a table, row by row
    rule: bool = False  # a horizontal rule 「---」
    bold: bool = False  # the whole block was **bold** (a title in some issues)

    @property
    def inline_html(self) -> str:
        return self.html or html.escape(self.text, quote=False)

    @property
    def lines(self) -> str:
        return f"第{self.first}行" if self.first == self.last else f"第{self.first}–{self.last}行"


@dataclass
class Reading:
    shape: str
    blocks: list[Block]
    removed: list[tuple[int, str]] = field(default_factory=list)  # page numbers, running heads
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def detect_shape(text: str) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    headings = sum(1 for line in lines if _MD_HEADING.match(line) and line.lstrip("#").strip())
    if headings >= 3:
        return SHAPE_MARKDOWN
    if len(lines) >= 10:
        long = sum(1 for line in lines if len(line) > 60)
        printed = sum(1 for line in lines if 20 <= len(line) <= 50)
        if long <= len(lines) * 0.05 and printed >= len(lines) * 0.5:
            return SHAPE_PDF
    return SHAPE_TEXT


def read_blocks(text: str, shape: str) -> Reading:
    if shape == SHAPE_PDF:
        return _read_pdf(text)
    return _read_lines(text, markdown=shape == SHAPE_MARKDOWN)


# ---------------------------------------------------------------- Markdown and plain text


def _read_lines(text: str, *, markdown: bool) -> Reading:
    """Markdown joins the lines of a paragraph (and of a list item); plain text has one
    paragraph per line."""
    reading = Reading(SHAPE_MARKDOWN if markdown else SHAPE_TEXT, [])
    pending: list[tuple[int, str]] = []  # the lines of the paragraph being read
    pending_bullet = False
    table: list[tuple[int, str]] = []

    def flush_paragraph():
        nonlocal pending_bullet
        if pending:
            block = _paragraph(pending, markdown=markdown, reading=reading)
            block.bullet = pending_bullet
            reading.blocks.append(block)
            pending.clear()
        pending_bullet = False

    def flush_table():
        if table:
            reading.blocks.append(_table(table, markdown=markdown))
            table.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        is_table_line = "\t" in stripped or (markdown and stripped.startswith("|"))
        if table and not is_table_line:
            flush_table()
        if not stripped:
            flush_paragraph()
            continue
        if is_table_line:
            flush_paragraph()
            table.append((number, stripped))
            continue
        if _PAGE_NUMBER.match(stripped):
            flush_paragraph()
            reading.removed.append((number, stripped))
            continue
        heading = _MD_HEADING.match(stripped) if markdown else None
        if heading and heading.group(2):
            flush_paragraph()
            block = _paragraph([(number, heading.group(2))], markdown=True, reading=reading)
            block.heading = len(heading.group(1))
            reading.blocks.append(block)
            continue
        if _RULE.match(stripped):
            flush_paragraph()
            reading.blocks.append(Block("", number, number, rule=True))
            continue
        bullet = _BULLET.match(stripped)
        if bullet or not markdown:
            flush_paragraph()
        if bullet:
            pending_bullet = True
            stripped = stripped[bullet.end() :]
        pending.append((number, stripped))
    flush_paragraph()
    flush_table()
    if reading.removed:
        pages = "、".join(f"第{n}行「{t}」" for n, t in reading.removed)
        reading.notes.append(f"去掉了页码：{pages}。")
    return reading


def _paragraph(pairs: list[tuple[int, str]], *, markdown: bool, reading: Reading) -> Block:
    parts = [text for _, text in pairs]
    first, last = pairs[0][0], pairs[-1][0]
    if not markdown:
        joined = join_lines(parts)
        return Block(squash(joined), first, last)
    raw = join_lines(parts)
    tags = _INLINE_TAG.findall(raw)
    if tags:
        reading.notes.append(
            f"第{first}行：去掉了行内HTML标记 {'、'.join(sorted(set(tags)))}，保留其中文字。"
        )
        raw = _INLINE_TAG.sub("", raw)
    raw = _MD_LINK.sub(lambda m: m.group(1) or m.group(2), raw)
    raw = _MD_ESCAPE.sub(r"\1", raw)
    raw = squash(raw)
    bold = bool(_BOLD.fullmatch(raw))
    inline = []
    position = 0
    for match in _BOLD.finditer(raw):
        inline.append(html.escape(raw[position : match.start()], quote=False))
        inner = match.group(1) or match.group(2)
        inline.append(f"<strong>{html.escape(inner, quote=False)}</strong>")
        position = match.end()
    inline.append(html.escape(raw[position:], quote=False))
    plain = _BOLD.sub(lambda m: m.group(1) or m.group(2), raw)
    inline_html = "".join(inline)
    return Block(
        squash(plain),
        first,
        last,
        html=inline_html if "<strong>" in inline_html else "",
        bold=bold,
    )


def _table(rows: list[tuple[int, str]], *, markdown: bool) -> Block:
    cells = []
    for _, line in rows:
        if markdown and line.startswith("|"):
            if _MD_TABLE_SEPARATOR.match(line):
                continue
            cells.append([squash(c) for c in line.strip().strip("|").split("|")])
        else:
            cells.append([squash(c) for c in line.split("\t")])
    text = " ".join(" ".join(row) for row in cells)
    return Block(text, rows[0][0], rows[-1][0], rows=cells)


# ---------------------------------------------------------------- text extracted from a PDF


def _read_pdf(text: str) -> Reading:
    """Rebuild paragraphs from printed lines.

    The extraction ends the last line of every paragraph (and every title) with a space,
    and nothing else: a line without a trailing space runs on into the next one, across
    blank lines and page breaks. A line indented by two or more spaces starts a paragraph.

    A file without those trailing spaces has lost the signal. It is then cut where a line
    is clearly shorter than a full printed line and ends a sentence or reads like a title,
    and a problem says that paragraphs and titles must be checked: full-length titles and
    paragraphs whose last line happens to be full cannot be told apart.
    """
    reading = Reading(SHAPE_PDF, [])
    lines = text.split("\n")
    content = [(n, raw) for n, raw in enumerate(lines, start=1) if raw.strip()]
    kept = []
    seen_section = False
    for number, raw in content:
        stripped = raw.strip()
        if _PAGE_NUMBER.match(stripped):
            reading.removed.append((number, stripped))
            continue
        if seen_section and _is_running_head(stripped):
            reading.removed.append((number, stripped))
            continue
        if key(stripped.lstrip("➤")) in _SECTION_KEYS:
            seen_section = True
        kept.append((number, raw))
    if reading.removed:
        pages = "、".join(f"第{n}行「{t}」" for n, t in reading.removed)
        reading.notes.append(f"去掉了页码和页眉：{pages}。")

    trailing_signal = any(raw != raw.rstrip() for _, raw in kept)
    lengths = [len(raw.strip()) for _, raw in kept if len(raw.strip()) >= 15]
    full = statistics.median(lengths) if lengths else 0

    paragraphs: list[list[tuple[int, str]]] = []
    for number, raw in kept:
        indented = raw[:2].isspace() or raw.startswith("\u3000")
        if (
            not paragraphs
            or indented
            or _ends_paragraph(
                paragraphs[-1][-1][1], raw, trailing_signal=trailing_signal, full=full
            )
        ):
            paragraphs.append([])
        paragraphs[-1].append((number, raw))
    for pairs in paragraphs:
        joined = drop_cjk_spaces(join_lines([raw for _, raw in pairs]))
        block = Block(joined, pairs[0][0], pairs[-1][0])
        bullet = _BULLET.match(joined)
        if bullet and len(joined) < 90:
            block.text, block.bullet = joined[bullet.end() :], True
        reading.blocks.append(block)
    if not trailing_signal:
        reading.problems.append(
            "这份PDF提取文字的行尾没有段末标记（段落最后一行末尾的空格），只能按句末标点和"
            "行长断段，标题和段落可能分错：请改用保留段末空格的提取结果，或整理成一段一行"
            "的纯文本后再导入。"
        )
    return reading


def _ends_paragraph(previous: str, current: str, *, trailing_signal: bool, full: float) -> bool:
    before, now = previous.strip(), current.strip()
    if trailing_signal:
        if previous == previous.rstrip():
            return False
        # An English phrase wrapped at a space (「… of primordial」 / 「follicle …」).
        wrapped = before[-1:].isascii() and before[-1:].isalnum() and now[:1].isascii()
        return not (wrapped and now[:1].isalnum() and len(before) >= full * 0.8)
    short = len(before) < full * 0.8
    return short and (ends_sentence(before) or title_like(before))


def _is_running_head(line: str) -> bool:
    compact = key(line)
    if compact in {key(BULLETIN_TITLE), key(BULLETIN_TITLE + "简报")}:
        return True
    return len(compact) <= 40 and "简报" in compact and bool(_ISSUE_IN_LINE.search(line))
