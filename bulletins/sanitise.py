"""The one HTML allowlist of the project (nh3), shared by submissions, items and the renderer.

Every HTML that came from a user (the rich-text editor, a converted .docx, an imported issue)
goes through :func:`sanitise_html` in the service that stores it, and again before it is
rendered. What survives is the structure a bulletin item can have: paragraphs, sub-headings,
emphasis, lists, tables, links and images.

- Links keep only ``http``, ``https`` and ``mailto`` targets (``javascript:``, ``vbscript:``
  and ``data:`` go, which mammoth would otherwise copy through).
- Images keep only same-site paths (``/submissions/…``): an ``<img>`` pointing elsewhere
  would make every reader's browser (or the PDF renderer) fetch from a third party.
- ``<script>``, ``<style>`` and the like are removed with their content.
"""

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
_LOCAL_PATH = re.compile(r"^/(?![/\\])[\w\-./%]*$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        return value if _LOCAL_PATH.match(value) else None
    if attr in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 4 else None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
    link_rel="noopener noreferrer nofollow",
    attribute_filter=_attribute_filter,
    strip_comments=True,
)
_EMPTY = re.compile(r"^(?:\s|<p>\s*(?:<br\s*/?>)?\s*</p>)*$")
# An image whose source was refused is a broken image: drop it altogether.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def sanitise_html(value: str | None) -> str:
    """The allowlisted form of ``value``; empty paragraphs alone count as empty ("")."""
    cleaned = _IMG_WITHOUT_SRC.sub("", _CLEANER.clean(value or "")).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|blockquote|figcaption)>|<br\s*/?>", re.I)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str:
    """Plain text of (sanitised) HTML: one line per block, for search, diffs and e-mails."""
    text = _BLOCK_END.sub("\n", value or "")
    text = _CELL_END.sub("\t", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
