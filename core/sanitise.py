"""The one allow-list for HTML in bulletin and submission bodies, and the one reader of
their images' sources.

Everything that writes a body (editor, importer, submission) runs it through
:func:`sanitise_html` (a submission's through :func:`clean_body`), and the renderer runs it
again before printing. The list is what a
bulletin item can hold: paragraphs, inline emphasis, sub-headings (h3–h5), lists, quotes,
tables and images.

Images may point only into the project's private media (a path relative to MEDIA_ROOT,
or the same path under MEDIA_URL): never ``http:``, ``data:`` or ``file:`` and never a path
that climbs out with ``..``. The renderer's URL fetcher enforces the same on its side, so
neither alone has to be perfect. Links may be http, https or mailto only.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.canonical import canonical

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "h3", "h4", "h5", "ul", "ol", "li", "blockquote",
        "table", "thead", "tbody", "tr", "th", "td", "img", "a",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "img": {"src", "alt", "width", "height"},
    "a": {"href"},
}

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SPAN = re.compile(r"^[1-9][0-9]{0,2}$")  # colspan/rowspan 1..999
_DIMENSION = re.compile(r"^[1-9][0-9]{0,3}$")  # width/height in pixels, 1..9999


def _media_url() -> str:
    try:
        return settings.MEDIA_URL or ""
    except ImproperlyConfigured:  # settings not configured (a script): only relative paths pass
        return ""


def media_relative_path(src: str) -> str | None:
    """The path of an image inside MEDIA_ROOT that ``src`` names, or None if ``src`` is not
    allowed (a scheme such as http/data/file, a protocol-relative or other absolute path, a
    ``..`` segment, a backslash, a query or fragment)."""
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


# Longer than any name the project stores (``submissions/<id>/<uuid hex>.jpg``, renditions):
# a longer one cannot name a stored file and would make the file system raise.
MAX_MEDIA_PATH = 255


def media_path_from_url(path: str) -> str | None:
    """The media path that an image URL's ``<path:path>`` names, or None when it cannot
    name a stored file: the same refusals as :func:`media_relative_path`, plus any control
    or format character and more than ``MAX_MEDIA_PATH`` characters. Every view that maps a
    URL to a stored file asks this before the path reaches the file system or a query
    (a NUL makes both raise instead of answering 404)."""
    value = path or ""
    if len(value) > MAX_MEDIA_PATH or any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        return None
    return value if media_relative_path(value) == value else None


# Whose pictures a body may show, while one ``sanitise_html(…, keep_image=…)`` runs: nh3
# calls the attribute filter back in the calling thread, so a context variable carries it.
_keep_image: ContextVar[Callable[[str], bool] | None] = ContextVar("keep_image", default=None)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        path = media_relative_path(value)
        keep = _keep_image.get()
        if path is None or (keep is not None and not keep(path)):
            return None
        return value.strip()
    if tag == "a" and attribute == "href":
        match = _SCHEME.match(value)
        return value.strip() if match and match.group(1).lower() in LINK_SCHEMES else None
    if attribute in {"colspan", "rowspan"}:
        return value.strip() if _SPAN.match(value.strip()) else None
    if attribute in {"width", "height"}:
        return value.strip() if _DIMENSION.match(value.strip()) else None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener",
        strip_comments=True,
    )


def sanitise_html(html: str, *, keep_image: Callable[[str], bool] | None = None) -> str:
    """Return ``html`` with everything outside the bulletin allow-list removed.

    ``keep_image(path)``, when given, decides for each picture (by its path inside
    MEDIA_ROOT) whether the body may show it; a picture it refuses is dropped like one with
    a forbidden source. The check runs on the parsed attribute, so no spelling of the tag
    escapes it.

    Disallowed tags are dropped with their text kept (script and style lose their text
    too); disallowed attributes and URLs are dropped; what is left is spelt the way the
    editor writes it back (:mod:`core.canonical`), and cleaned again after that rewrite.
    Pure: writes and raises nothing.
    """
    if not html:
        return ""
    token = _keep_image.set(keep_image)
    try:
        return _cleaner().clean(canonical(_cleaner().clean(html)))
    finally:
        _keep_image.reset(token)


_EMPTY = re.compile(r"^(?:\s|<p>\s*(?:<br\s*/?>)?\s*</p>)*$")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
# An image whose source the allow-list refused is a broken image: drop it altogether.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean_body(value: str | None, *, keep_image: Callable[[str], bool] | None = None) -> str:
    """The allow-listed body of a submission (``keep_image`` as for :func:`sanitise_html`);
    empty paragraphs and images without a source are dropped, and nothing but them is ""."""
    cleaned = _IMG_WITHOUT_SRC.sub("", sanitise_html(value or "", keep_image=keep_image))
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


# --- images' sources ----------------------------------------------------------------------
# The one pattern for an <img>'s src: the tag up to ``src=`` (group 1), then the value in
# double quotes (group 2, what nh3 writes) or single quotes (group 3, hand-written HTML).
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\ssrc=)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _src_of(match: re.Match) -> str:
    raw = match[2] if match[2] is not None else match[3]
    return html_lib.unescape(raw)


def image_sources(html: str | None) -> list[str]:
    """The ``src`` of every image in ``html``, in order, HTML entities decoded."""
    return [_src_of(match) for match in _IMG_SRC.finditer(html or "")]


def image_sources_rewrite(html: str | None, rewrite: Callable[[str], str | None]) -> str:
    """``html`` with each image's ``src`` replaced by ``rewrite(src)`` (given and returning
    the decoded value); an image whose ``rewrite`` returns None keeps its ``src``."""

    def replace(match: re.Match) -> str:
        new = rewrite(_src_of(match))
        if new is None:
            return match[0]
        return f'{match[1]}"{html_lib.escape(new)}"'

    return _IMG_SRC.sub(replace, html or "")
