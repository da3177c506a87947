"""An IssueDocument to PDF with WeasyPrint, with the page of every anchor.

Preview and final come from the same HTML and CSS: the 送审稿 mark is a fixed-position
box and a margin box, outside the flow, so a preview has the same pages as the final.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from bulletins.document import IssueDocument

from .fetcher import ProjectFileFetcher
from .harfbuzz import RenderEnvironmentError, check_harfbuzz_subset
from .markup import END_MATTER_ANCHOR, print_html

logger = logging.getLogger(__name__)

PDF_VARIANTS = {None, "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1"}
# Embedded photographs are downsampled to this resolution: a bulletin picture is at most
# the text width, and a 24-megapixel photo would otherwise make the PDF tens of MB.
IMAGE_DPI = 200
JPEG_QUALITY = 85


class RenderError(RuntimeError):
    """The issue could not be rendered. The message says why, in Chinese."""


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    sha256: str
    # {anchor: page number (1-based)} for every section, item and free block printed
    page_map: dict[str, int] = field(default_factory=dict)
    refused_urls: list[str] = field(default_factory=list)  # what the fetcher would not read
    seconds: float = 0.0

    def page_of(self, anchor: str) -> int | None:
        return self.page_map.get(anchor)


# One font configuration for the life of the process: a fresh one per render (WeasyPrint's
# default) loads every CJK face again and holds ~180 MB more at peak. Pango's font map is
# not thread-safe, so renders in one process take turns (a worker renders one at a time).
_font_config = None
_render_lock = threading.Lock()


def _shared_font_config():
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
        atexit.register(_release_font_config)
    return _font_config


def _release_font_config():
    # Free Pango's objects while the interpreter is still whole: left to the final garbage
    # collection, cffi unrefs them after GObject's own state is gone and the process
    # segfaults on exit.
    global _font_config
    _font_config = None
    gc.collect()


def _base_url() -> str:
    # Images in bodies are paths relative to MEDIA_ROOT (see core.sanitise).
    return Path(os.path.realpath(settings.MEDIA_ROOT)).as_uri() + "/"


def render_html_to_pdf(html: str, *, pdf_variant: str | None = None, fetcher=None):
    """Lay out and write ``html``; return (pdf bytes, WeasyPrint Document, fetcher)."""
    if pdf_variant not in PDF_VARIANTS:
        raise RenderError(f"不支持的 PDF 类型：{pdf_variant}")
    check_harfbuzz_subset()
    fetcher = fetcher or ProjectFileFetcher()
    with _render_lock:
        document = HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).render(
            font_config=_shared_font_config()
        )
        settle_end_matter(document)
        pdf = document.write_pdf(
            pdf_variant=pdf_variant,
            dpi=IMAGE_DPI,
            jpeg_quality=JPEG_QUALITY,
            optimize_images=True,
        )
    return pdf, document, fetcher


def _find_box(box, element_id):
    element = getattr(box, "element", None)
    if (
        element is not None
        and element.get("id") == element_id
        and not getattr(box, "pseudo_type", None)
    ):
        return box
    for child in getattr(box, "children", ()):
        found = _find_box(child, element_id)
        if found is not None:
            return found
    return None


def settle_end_matter(weasy_document, anchor: str = END_MATTER_ANCHOR) -> float:
    """Move the 版记 down to the foot of the last page, as GB/T 9704 places it; return by
    how much (CSS px; 0 when it stays).

    CSS cannot push a block to the bottom of the page it ends on (WeasyPrint's
    ``float: footnote`` can, but silently drops the footnote when it does not fit). So the
    版记 is laid out in the flow, kept whole, and this moves the laid-out box before the
    PDF is drawn: one layout, no second render. It stays where it is when it is not
    entirely on the last page (taller than a page) or the page layout is not what we
    expect — the content is never lost, only its position is not adjusted.
    """
    pages = weasy_document.pages
    holders = [page for page in pages if anchor in page.anchors]
    if len(holders) != 1 or holders[0] is not pages[-1]:
        return 0.0
    page = holders[0]
    page_box = getattr(page, "_page_box", None)
    box = _find_box(page_box, anchor) if page_box is not None else None
    if box is None:
        return 0.0
    area_bottom = page_box.content_box_y() + page_box.height
    dy = area_bottom - (box.position_y + box.margin_height())
    if dy <= 0.5:
        return 0.0
    box.translate(dy=dy)
    x1, y1, x2, y2 = page.anchors[anchor]
    page.anchors[anchor] = (x1, y1 + dy, x2, y2 + dy)
    page.bookmarks[:] = [
        (level, label, (bx, by + dy), state) if label == "版记" else (level, label, (bx, by), state)
        for level, label, (bx, by), state in page.bookmarks
    ]
    return dy


def page_map_of(weasy_document) -> dict[str, int]:
    pages: dict[str, int] = {}
    for number, page in enumerate(weasy_document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def render_pdf(document: IssueDocument, *, pdf_variant: str | None = None) -> RenderResult:
    """Render ``document`` to PDF bytes (``pdf_variant='pdf/a-3b'`` for the archived final).

    Pure: writes nothing. Raises :class:`RenderError` with a Chinese message on failure
    (the original exception is chained), and
    :class:`~bulletins.rendering.harfbuzz.RenderEnvironmentError` when the machine lacks
    harfbuzz-subset.
    """
    started = time.perf_counter()
    try:
        html = print_html(document)
        pdf, weasy_document, fetcher = render_html_to_pdf(html, pdf_variant=pdf_variant)
    except (RenderError, RenderEnvironmentError):
        raise
    except Exception as exc:  # whatever breaks inside WeasyPrint or the template
        raise RenderError(
            f"简报 {document.masthead.issue_line} 排版失败：{type(exc).__name__}: {exc}"
        ) from exc
    page_map = page_map_of(weasy_document)
    known = {s.anchor for s in document.sections} | {i.anchor for i in document.items}
    known |= {b.anchor for b in document.free_blocks}
    result = RenderResult(
        pdf=pdf,
        pages=len(weasy_document.pages),
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_map={anchor: page for anchor, page in page_map.items() if anchor in known},
        refused_urls=list(fetcher.refused),
        seconds=time.perf_counter() - started,
    )
    logger.info(
        "rendered %s: %d pages, %d bytes, %.2f s",
        document.masthead.issue_line,
        result.pages,
        len(pdf),
        result.seconds,
    )
    return result


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and
    ``os.replace``: readers see the old file or the new one, never half of one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o640)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def render_pdf_to_file(
    document: IssueDocument, path: str | os.PathLike, *, pdf_variant: str | None = None
) -> RenderResult:
    """Render ``document`` and write the PDF to ``path`` atomically. If the render fails,
    ``path`` is left as it was (a previous good file stays in place)."""
    result = render_pdf(document, pdf_variant=pdf_variant)
    write_atomically(path, result.pdf)
    return result
