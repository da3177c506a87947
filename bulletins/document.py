"""The printable content of one issue, as plain data.

This is the seam between the parts of the bulletin pipeline:

- the issue models produce it for a version of an issue (``bulletins.selectors``),
- the importer produces it from an old issue's text (``bulletins.importer``),
- the renderer turns it into the PDF and the web edition (``bulletins.rendering``).

Nothing here touches the database. Bodies are HTML that has already been sanitised by
``core.sanitise`` (the renderer sanitises again before printing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The fixed sections, in the order they are printed: defined below the apps, since a
# submission names its suggested section too; the bulletin side imports them from here.
from core.bulletin import (  # noqa: F401
    DEFAULT_SECTIONS,
    SECTION_ALLIANCES,
    SECTION_NETWORK,
    SECTION_POLICY,
)

ISSUER = "联盟试点工作联络组办公室"
BULLETIN_TITLE = "产业技术创新战略联盟试点工作"

NETWORK_ATTRIBUTION = "（联盟协发网秘书处和联盟试点工作组供稿）"


def chinese_date(value: date) -> str:
    """「2023年3月20日」."""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class Masthead:
    volume_year: int  # 2023年第6期 may be dated 2024年1月10日: the volume year is its own field
    number: int  # 第N期 within the volume year
    cumulative_number: int  # 总第N期 since issue 1
    issued_on: date
    issuer: str = ISSUER
    title: str = BULLETIN_TITLE

    @property
    def issue_line(self) -> str:
        """「2023年第1期（总第66期）」."""
        return f"{self.volume_year}年第{self.number}期（总第{self.cumulative_number}期）"

    @property
    def date_line(self) -> str:
        return chinese_date(self.issued_on)


@dataclass
class ItemDoc:
    title: str
    body_html: str  # sanitised HTML: <p>, <h4> sub-headings (一、二、), <table>, <img>, <ul>…
    # 「（XX产业技术创新战略联盟秘书处供稿）」 or a source line, printed in 楷体
    attribution: str = ""
    toc_title: str = ""  # a shorter title for 本期导读; empty means the title
    anchor: str = ""  # unique id inside the document, e.g. "item-12"; filled by IssueDocument

    @property
    def toc_label(self) -> str:
        return self.toc_title or self.title


@dataclass
class SectionDoc:
    title: str  # 「重要政策动态」; printed after 「➤」
    items: list[ItemDoc] = field(default_factory=list)
    anchor: str = ""


@dataclass
class FreeBlockDoc:
    """A block outside the sections: a 致谢 with holiday greetings, a note, a table."""

    title: str
    body_html: str
    anchor: str = ""


@dataclass
class EndMatter:
    report_to: str = ""  # the text after 「报：」
    send_to: str = ""  # the text after 「送：」
    editor: str = ""  # 本期编辑
    reviewer: str = ""  # 审核
    signer: str = ""  # 签发
    contact_lines: list[str] = field(default_factory=list)


@dataclass
class IssueDocument:
    masthead: Masthead
    sections: list[SectionDoc]
    end_matter: EndMatter = field(default_factory=EndMatter)
    free_blocks: list[FreeBlockDoc] = field(default_factory=list)  # printed after the sections
    watermark: str = ""  # 「送审稿」 on previews until the issue is signed; empty on the final
    version_label: str = ""  # e.g. "v3" or a content hash prefix, for the preview footer

    def __post_init__(self):
        self.assign_anchors()

    def assign_anchors(self) -> None:
        """Give every section, item and free block a stable, unique anchor (for the TOC
        page numbers and the PDF bookmarks)."""
        n = 0
        for s_index, section in enumerate(self.sections, start=1):
            section.anchor = section.anchor or f"section-{s_index}"
            for item in section.items:
                n += 1
                item.anchor = item.anchor or f"item-{n}"
        for b_index, block in enumerate(self.free_blocks, start=1):
            block.anchor = block.anchor or f"block-{b_index}"

    @property
    def items(self) -> list[ItemDoc]:
        return [item for section in self.sections for item in section.items]

    @property
    def title(self) -> str:
        return f"{self.masthead.title}简报 {self.masthead.issue_line}"
