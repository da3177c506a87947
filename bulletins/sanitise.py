"""The one HTML allow-list of the project (nh3), shared by submissions, items, the importer
and the renderer.

Every HTML that came from a user (the rich-text editor, a converted .docx, an imported
issue) goes through :func:`sanitise_html` in the service that stores it, and again before it
is rendered. What survives is the structure a bulletin item can have: paragraphs,
sub-headings, emphasis, lists, quotes, tables, links and images.

- Links keep only ``http``, ``https`` and ``mailto`` targets (``javascript:``, ``vbscript:``
  and ``data:`` go, which mammoth would otherwise copy through).
- Images may point only at this site: a path inside the private media (relative to
  MEDIA_ROOT, or under MEDIA_URL), or a same-site absolute path such as a submission's
  permission-checked file URL (``/submissions/12/files/3/``). Never ``http:``, ``data:`` or
  ``file:``, never ``//host``, never a path that climbs out with ``..``. The renderer's URL
  fetcher reads only from MEDIA_ROOT and the static folders, so neither side alone has to be
  perfect; whoever builds a printable document maps site URLs to media paths.
- ``<script>``, ``<style>`` and the like are removed with their content.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache
from urllib.parse import unquote

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "h3", "h4", "h5", "ul", "ol", "li", "blockquote", "hr",
        "table", "thead", "tbody", "tr", "th", "td", "img", "a", "figure", "figcaption",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SPAN = re.compile(r"^[1-9][0-9]{0,2}$")  # colspan/rowspan 1..999
_DIMENSION = re.compile(r"^[1-9][0-9]{0,3}$")  # width/height/start 1..9999
# The site's own permission-checked image URLs, e.g. a submission's file.
_SITE_PATH = re.compile(r"^/submissions/\d+/files/\d+/$")


def _media_url() -> str:
    try:
        from django.conf import settings

        return settings.MEDIA_URL or ""
    except Exception:  # settings not configured (a script): only relative paths pass
        return ""


def media_relative_path(src: str) -> str | None:
    """The path of an image inside MEDIA_ROOT that ``src`` names, or None if ``src`` is not
    such a path (a scheme such as http/data/file, a protocol-relative or other absolute path,
    a ``..`` segment, a backslash, a query or fragment)."""
    value = (src or "").strip()
    if not value or _SCHEME.match(value) or "\\" in value:
        return None
    media_url = _media_url()
    if media_url.startswith("/") and value.startswith(media_url):
        value = value[len(media_url) :]
    if value.startswith("/") or "?" in value or "#" in value:
        return None
    decoded = unquote(value)
    parts = decoded.split("/")
    if any(part in {"", ".", ".."} for part in parts) or "\\" in decoded or "\x00" in decoded:
        return None
    return decoded


def _site_path(src: str) -> bool:
    return bool(_SITE_PATH.match((src or "").strip()))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        ok = media_relative_path(value) is not None or _site_path(value)
        return value.strip() if ok else None
    if tag == "a" and attribute == "href":
        match = _SCHEME.match(value)
        return value.strip() if match and match.group(1).lower() in LINK_SCHEMES else None
    if attribute in {"colspan", "rowspan"}:
        return value.strip() if _SPAN.match(value.strip()) else None
    if attribute in {"width", "height", "start"}:
        return value.strip() if _DIMENSION.match(value.strip()) else None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_EMPTY = re.compile(r"^(?:\s|<p>\s*(?:<br\s*/?>)?\s*</p>)*$")
# An image whose source was refused is a broken image: drop it altogether.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def sanitise_html(html: str | None) -> str:
    """Return ``html`` with everything outside the allow-list removed; empty paragraphs
    alone count as empty (""). Disallowed tags are dropped with their text kept (script and
    style lose their text too); disallowed attributes and URLs are dropped. Pure."""
    if not html:
        return ""
    cleaned = _IMG_WITHOUT_SRC.sub("", _cleaner().clean(html)).strip()
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
