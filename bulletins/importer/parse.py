"""Parse the text of an old issue into an ``IssueDocument``.

``parse_bulletin`` reads; it writes nothing and touches no database. What it could not
understand it reports in ``ParseResult.problems`` (Chinese, one sentence each, naming the
source lines) instead of guessing; what it did on purpose (joining a paragraph split by a
page break, mapping a variant section title) it lists in ``notes``. Input that is no
bulletin at all raises ``BulletinParseError``.

Saving a parsed issue is a separate step (it needs the issue models): it takes a
``ParseResult`` whose ``document`` is set and whose ``problems`` are empty.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from bulletins.document import EndMatter, FreeBlockDoc, IssueDocument, ItemDoc, Masthead, SectionDoc

from .blocks import SHAPE_PDF, detect_shape, read_blocks
from .html import render_body
from .masthead import build_masthead, read_header
from .structure import IssueStructure, StructureReader
from .text import fix_title_spaces
from .toc import compare

MAX_BYTES = 2_000_000  # an issue is about 10,000 characters; a thousand issues' worth is not one
ENCODINGS = ("utf-8-sig", "gb18030")  # old issues come from Word on Chinese Windows too


class BulletinParseError(ValueError):
    """The input is not a bulletin the importer can read; the message says why, in Chinese."""


@dataclass(frozen=True)
class SourceSpan:
    first: int  # 1-based source line numbers, inclusive
    last: int

    def __str__(self) -> str:
        return f"第{self.first}行" if self.first == self.last else f"第{self.first}–{self.last}行"


@dataclass
class ParseResult:
    shape: str  # "markdown" | "text" | "pdf-text"
    document: IssueDocument | None  # None when the masthead is incomplete (see problems)
    masthead: Masthead | None
    sections: list[SectionDoc]
    end_matter: EndMatter
    free_blocks: list[FreeBlockDoc]
    toc: list[tuple[str, list[str]]]  # 本期导读 as printed: (section title, [item titles])
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    item_spans: list[SourceSpan] = field(default_factory=list)  # per item, in document order
    removed_lines: list[tuple[int, str]] = field(default_factory=list)  # page numbers, heads

    @property
    def items(self) -> list[ItemDoc]:
        return [item for section in self.sections for item in section.items]

    @property
    def ok(self) -> bool:
        """Complete and understood: ready to be saved."""
        return self.document is not None and not self.problems


def decode_bulletin(data: bytes) -> str:
    """The text of an uploaded or read file. Refuses what is not text."""
    if len(data) > MAX_BYTES:
        raise BulletinParseError(
            f"文件太大（{len(data) // 1024} KB）：一期简报的文字不超过 {MAX_BYTES // 1024} KB。"
        )
    if data.startswith(b"%PDF"):
        raise BulletinParseError("这是 PDF 文件：请先提取其中的文字（保存为 .txt）再导入。")
    if data.startswith(b"PK\x03\x04"):
        raise BulletinParseError("这是 Word（.docx）或其他压缩格式文件：请先另存为纯文本再导入。")
    if b"\x00" in data:  # anywhere: binary content, and PostgreSQL cannot store NUL
        raise BulletinParseError("这不是文本文件（含有二进制内容）。")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulletinParseError("无法识别文件的文字编码：请另存为 UTF-8 编码的文本再导入。")


def parse_bulletin(
    text: str,
    *,
    year: int | None = None,
    number: int | None = None,
    cumulative: int | None = None,
    issued_on: date | None = None,
    today: date | None = None,
) -> ParseResult:
    """Parse one issue. ``year``/``number``/``cumulative``/``issued_on`` complete a masthead
    the text does not print (a contradiction with a printed one is a problem, not an
    override). Raises ``BulletinParseError`` for input that is no bulletin."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise BulletinParseError("文件是空的，没有可导入的内容。")
    shape = detect_shape(text)
    reading = read_blocks(text, shape)
    structure = StructureReader(reading.blocks, shape).run()
    _refuse_non_bulletin(text, structure)

    header = read_header(structure.header)
    masthead, masthead_problems = build_masthead(
        header,
        volume_year=year,
        number=number,
        cumulative_number=cumulative,
        issued_on=issued_on,
        today=today,
    )
    problems = masthead_problems + reading.problems + structure.problems
    notes = reading.notes + structure.notes

    toc_entries: list[tuple[str, list[str]]] = []
    if structure.toc is not None:
        toc_entries = [(title, list(items)) for title, items in structure.toc.entries]
        if shape != SHAPE_PDF:
            # A space the 导读 does not print is where the title was broken over two lines.
            _, pairs = compare(structure.toc, _body_titles(structure))
            for section in structure.sections:
                for item in section.items:
                    if item.title in pairs:
                        item.title = fix_title_spaces(item.title, pairs[item.title])
        problems += compare(structure.toc, _body_titles(structure))[0]
    else:
        notes.append("原文没有本期导读，未做导读与正文的核对。")
    if not (structure.end_matter.report_to or structure.end_matter.send_to):
        notes.append("原文没有版记（报、送、本期编辑、审核、签发、联系方式）。")

    sections, spans = _sections(structure)
    free_blocks = [FreeBlockDoc(b.title, render_body(b.parts)) for b in structure.free_blocks]
    document = None
    if masthead is not None:
        document = IssueDocument(
            masthead=masthead,
            sections=sections,
            end_matter=structure.end_matter,
            free_blocks=free_blocks,
        )
    return ParseResult(
        shape=shape,
        document=document,
        masthead=masthead,
        sections=sections,
        end_matter=structure.end_matter,
        free_blocks=free_blocks,
        toc=toc_entries,
        problems=problems,
        notes=notes,
        item_spans=spans,
        removed_lines=reading.removed,
    )


def _body_titles(structure: IssueStructure) -> list[tuple[str, list[str]]]:
    return [(s.match.label, [item.title for item in s.items]) for s in structure.sections]


def _sections(structure: IssueStructure) -> tuple[list[SectionDoc], list[SourceSpan]]:
    sections, spans = [], []
    for draft in structure.sections:
        items = []
        for item in draft.items:
            items.append(
                ItemDoc(
                    title=item.title.replace("**", ""),
                    body_html=render_body(item.parts),
                    attribution=item.attribution,
                )
            )
            spans.append(SourceSpan(item.first, item.last))
        sections.append(SectionDoc(title=draft.match.canonical or draft.match.printed, items=items))
    return sections, spans


def _refuse_non_bulletin(text: str, structure: IssueStructure) -> None:
    if any(section.items for section in structure.sections):
        return
    if _looks_like_csv(text):
        raise BulletinParseError("这是一个 CSV 表格，不是简报：导入的应是一期简报的全文。")
    if not structure.sections:
        raise BulletinParseError(
            "这不是一期简报：没有找到任何栏目标题（重要政策动态、联盟联络组及协发网动态、"
            "试点联盟及协发网网员单位动态）。"
        )
    raise BulletinParseError("这不是一期完整的简报：找到了栏目标题，但栏目下没有任何稿件。")


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()][:50]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
    except csv.Error:
        return False
    rows = list(csv.reader(io.StringIO("\n".join(lines)), dialect))
    widths = {len(row) for row in rows}
    return len(widths) == 1 and widths.pop() >= 2
