"""IssueDocuments built from the seed bulletins, for the renderer's tests and benchmark.

Not an importer: the smallest code that reads seed 001 (2023年第1期, Markdown) and nothing
else. Its shapes: ``## ➤`` starts a section, ``##``/``###`` an item title, ``####`` a
sub-heading; paragraphs broken across the old page breaks are joined again; the 「…供稿）」
line is the attribution; 报/送/本期编辑/审核/签发 and the contact block close the file.
"""

from __future__ import annotations

import html
import re
from datetime import date

from bulletins.document import (
    DEFAULT_SECTIONS,
    EndMatter,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)
from tests.seeds import MD_SEED

SEED_001 = MD_SEED

_ISSUE_LINE = re.compile(r"(\d{4})年第(\d+)期（总第(\d+)期）")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ATTRIBUTION = re.compile(r"^[（(].*(供稿|信息来源).*[)）]$")
# A paragraph that ends without closing punctuation was cut by an old page break.
_ENDS_SENTENCE = tuple("。！？；：”」）)…")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def _plain(text: str) -> str:
    """Strip Markdown emphasis and the Word-conversion <sub> tags; drop a space that stood
    for the line break of a long two-line title (after 10+ characters: 「中共中央 国务院」
    keeps its space)."""
    text = text.replace("**", "").strip()
    text = re.sub(r"</?sub>", "", text)
    return re.sub(r"(?<=[^\x00-\x7f\s]{10}) (?=[^\x00-\x7f])", "", text)


def _toc_label(text: str) -> str:
    """A TOC line without the spaces the PDF extraction put between Chinese and Latin."""
    text = _plain(text)
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[\x00-\x7f])|(?<=[\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def _full_width_parens(text: str) -> str:
    if text.startswith("(") and text.endswith(")"):
        return f"（{text[1:-1]}）"
    return text


def seed_001_text() -> str:
    return SEED_001.read_text(encoding="utf-8")


def build_seed_001(*, watermark: str = "", version_label: str = "") -> IssueDocument:
    """The IssueDocument of 2023年第1期（总第66期）."""
    text = seed_001_text()
    head, _, body = text.partition("## ➤")
    body = "## ➤" + body

    year, number, cumulative = (int(g) for g in _ISSUE_LINE.search(head).groups())
    issued_on = next(
        date(*(int(g) for g in m.groups()))
        for line in head.splitlines()
        if (m := _DATE_LINE.match(line.strip()))
    )
    toc_labels = [line[2:].strip() for line in head.splitlines() if line.startswith("- ")]

    sections: list[SectionDoc] = []
    end = EndMatter()
    item: ItemDoc | None = None
    blocks: list[str] = []  # the current item's body: ("p", text) or ("h4", text)
    kinds: list[str] = []
    in_end_matter = False
    contact: list[str] = []

    def close_item():
        nonlocal item
        if item is None:
            return
        parts = []
        for kind, value in zip(kinds, blocks, strict=True):
            parts.append(f"<{kind}>{html.escape(value)}</{kind}>")
        item.body_html = "".join(parts)
        item = None
        blocks.clear()
        kinds.clear()

    for raw in body.split("\n\n"):
        chunk = raw.strip()
        if not chunk:
            continue
        if chunk == "---":
            in_end_matter = True
            continue
        if chunk.startswith(("报：", "送：")):
            close_item()
            if chunk.startswith("报："):
                end.report_to = chunk[2:].strip()
            else:
                end.send_to = chunk[2:].strip()
            continue
        for label, attr in (("本期编辑：", "editor"), ("审核：", "reviewer"), ("签发：", "signer")):
            if chunk.startswith(label):
                setattr(end, attr, chunk[len(label) :].strip())
                break
        else:
            if in_end_matter:
                line = _LINK.sub(r"\1", chunk)
                if line.startswith("电话：") and contact:
                    contact[-1] += " " + line
                else:
                    contact.append(line)
            elif chunk.startswith("## ➤"):
                close_item()
                sections.append(SectionDoc(title=DEFAULT_SECTIONS[len(sections)]))
            elif chunk.startswith("####"):
                blocks.append(_plain(chunk.lstrip("#")))
                kinds.append("h4")
            elif chunk.startswith("#"):
                close_item()
                item = ItemDoc(title=_plain(chunk.lstrip("#")), body_html="")
                sections[-1].items.append(item)
            elif _ATTRIBUTION.match(chunk):
                item.attribution = _full_width_parens(chunk)
            elif kinds and kinds[-1] == "p" and not blocks[-1].endswith(_ENDS_SENTENCE):
                blocks[-1] += _plain(chunk)
            else:
                blocks.append(_plain(chunk))
                kinds.append("p")
    close_item()
    end.contact_lines = contact

    items = [i for s in sections for i in s.items]
    assert len(items) == len(toc_labels), (len(items), len(toc_labels))
    for entry, label in zip(items, toc_labels, strict=True):
        label = _toc_label(label)
        if label != entry.title:
            entry.toc_title = label
    return IssueDocument(
        masthead=Masthead(
            volume_year=year, number=number, cumulative_number=cumulative, issued_on=issued_on
        ),
        sections=sections,
        end_matter=end,
        watermark=watermark,
        version_label=version_label,
    )
