"""From an IssueDocument to HTML: the print edition (for WeasyPrint) and the web edition.

Both editions are built from the same prepared content (:func:`prepare`), so the web page
and the PDF never disagree about what an issue says. Bodies are sanitised again here,
whatever the caller did before.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from bulletins.document import IssueDocument
from core.sanitise import image_sources_rewrite, media_relative_path, sanitise_html

PRINT_TEMPLATE = "bulletins/print/issue.html"
WEB_TEMPLATE = "bulletins/web_edition.html"
PRINT_CSS = Path(__file__).resolve().parent.parent.parent / "static" / "bulletins" / "print.css"

# A table whose first row holds only <th> cells gets that row as its <thead>, so WeasyPrint
# repeats it on every page the table runs over.
_HEADLESS_TABLE = re.compile(
    r"<table>(\s*)<tbody>(\s*<tr>(?:\s*<th(?:\s[^>]*)?>.*?</th>)+\s*</tr>)", re.S
)
# A tag, its quoted attribute values included (a value may hold ">"; nh3 always quotes).
_TAG = re.compile(r"""(<(?:"[^"]*"|'[^']*'|[^>"'])*>)""")
# A run of printable ASCII (letters, digits, Latin punctuation, with the spaces in and
# around it).
_ASCII_RUN = re.compile(r" *[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])? *")


@dataclass
class PreparedItem:
    anchor: str
    title: str
    toc_label: str
    body: SafeString
    attribution: str
    title_em: float | None = None  # see balanced_title_width


# Item titles: 16pt in the 448pt text block, 28 characters a line (print.css .item-title).
TITLE_CHARS_PER_LINE = 28


def balanced_title_width(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> float | None:
    """The width (in em) that splits a title running over several lines into lines of
    about equal length — 「…第九次成员大会」 rather than a last line holding 「会」 alone
    (GB/T 9704 asks for balanced multi-line titles). None when it fits on one line.
    Latin letters and digits count as half a character."""
    length = sum(0.55 if ch.isascii() else 1 for ch in title)
    if length <= per_line:
        return None
    lines = math.ceil(length / per_line)
    return min(per_line, math.ceil(length / lines) + 1)


@dataclass
class PreparedSection:
    anchor: str
    title: str
    items: list[PreparedItem] = field(default_factory=list)


@dataclass
class PreparedBlock:
    anchor: str
    title: str
    body: SafeString


def _promote_header_rows(html: str) -> str:
    return _HEADLESS_TABLE.sub(r"<table>\1<thead>\2</thead><tbody>", html)


def _mark_latin(html: str) -> str:
    """Wrap runs of ASCII text in ``<span class="latin">`` (outside tags and attributes).

    The print CSS gives these runs the font's half-width forms (OpenType ``hwid``): every
    Latin letter, digit and space is then exactly half a character wide, as in the 宋体 of
    Word documents, so lines with Latin text still end on the character grid.
    """

    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[index] = _ASCII_RUN.sub(r'<span class="latin">\g<0></span>', parts[index])
    return "".join(parts)


def prepare_body(html: str, *, image_url, mark_latin: bool = False) -> SafeString:
    """Sanitise a body and rewrite each image's ``src`` with ``image_url(relative_path)``
    (relative to MEDIA_ROOT). Images that point anywhere else are dropped by the sanitiser."""
    cleaned = sanitise_html(html or "")
    cleaned = _promote_header_rows(cleaned)
    cleaned = image_sources_rewrite(cleaned, lambda src: _rewrite_src(src, image_url))
    if mark_latin:
        cleaned = _mark_latin(cleaned)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def _rewrite_src(src: str, image_url) -> str:
    relative = media_relative_path(src)
    return image_url(relative) if relative else ""


def prepare(document: IssueDocument, *, image_url, mark_latin: bool = False):
    """The sections (empty ones left out: they print nothing, neither in the body nor in
    本期导读) and free blocks of ``document``, with sanitised bodies."""
    document.assign_anchors()
    sections = []
    for section in document.sections:
        if not section.items:
            continue
        prepared = PreparedSection(anchor=section.anchor, title=section.title)
        for item in section.items:
            prepared.items.append(
                PreparedItem(
                    anchor=item.anchor,
                    title=item.title,
                    toc_label=item.toc_label,
                    body=prepare_body(item.body_html, image_url=image_url, mark_latin=mark_latin),
                    attribution=item.attribution,
                    title_em=balanced_title_width(item.title),
                )
            )
        sections.append(prepared)
    blocks = [
        PreparedBlock(
            anchor=block.anchor,
            title=block.title,
            body=prepare_body(block.body_html, image_url=image_url, mark_latin=mark_latin),
        )
        for block in document.free_blocks
    ]
    return sections, blocks


@lru_cache(maxsize=4)
def _read_css(path: Path, mtime: float) -> str:
    return path.read_text(encoding="utf-8")


def print_css() -> str:
    return _read_css(PRINT_CSS, PRINT_CSS.stat().st_mtime)


END_MATTER_ANCHOR = "end-matter"  # the id of the 版记 in the print template


def print_html(document: IssueDocument) -> str:
    """The print edition as one self-contained HTML page (CSS inline; images as paths
    relative to MEDIA_ROOT, which is the base URL of the render)."""
    sections, blocks = prepare(document, image_url=lambda path: path, mark_latin=True)
    masthead = document.masthead
    return render_to_string(
        PRINT_TEMPLATE,
        {
            "document": document,
            "masthead": masthead,
            "sections": sections,
            "free_blocks": blocks,
            "end": document.end_matter,
            "css": mark_safe(print_css()),  # noqa: S308 - our own file
            "subject": f"{masthead.issuer} {masthead.date_line}",
        },
    )


def default_image_url(path: str) -> str:
    return f"{settings.MEDIA_URL}{path}"


def _wrap_tables(body: SafeString) -> SafeString:
    """On a phone a wide table scrolls inside its own box instead of widening the page."""
    wrapped = body.replace("<table>", '<div class="table-wrap"><table>')
    return mark_safe(wrapped.replace("</table>", "</table></div>"))  # noqa: S308 - sanitised


def web_html(document: IssueDocument, *, image_url=None) -> str:
    sections, blocks = prepare(document, image_url=image_url or default_image_url)
    for section in sections:
        for item in section.items:
            item.body = _wrap_tables(item.body)
    for block in blocks:
        block.body = _wrap_tables(block.body)
    return render_to_string(
        WEB_TEMPLATE,
        {
            "document": document,
            "masthead": document.masthead,
            "sections": sections,
            "free_blocks": blocks,
            "end": document.end_matter,
        },
    )
