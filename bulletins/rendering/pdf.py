"""An IssueDocument to PDF with WeasyPrint, with the page of every anchor.

Preview and final come from the same HTML and CSS: the 送审稿 mark is a fixed-position
box and a margin box, outside the flow, so a preview has the same pages as the final.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from bulletins.document import IssueDocument

from .environment import check_harfbuzz_subset
from .fetcher import ProjectFileFetcher
from .markup import END_MATTER_ANCHOR, END_MATTER_MODES, print_html

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


def _base_url() -> str:
    # Images in bodies are paths relative to MEDIA_ROOT (see bulletins.sanitise).
    return Path(os.path.realpath(settings.MEDIA_ROOT)).as_uri() + "/"


def render_html_to_pdf(html: str, *, pdf_variant: str | None = None, fetcher=None):
    """Lay out and write ``html``; return (pdf bytes, WeasyPrint Document, fetcher)."""
    from weasyprint import HTML

    if pdf_variant not in PDF_VARIANTS:
        raise RenderError(f"不支持的 PDF 类型：{pdf_variant}")
    check_harfbuzz_subset()
    fetcher = fetcher or ProjectFileFetcher()
    document = HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).render()
    pdf = document.write_pdf(
        pdf_variant=pdf_variant,
        dpi=IMAGE_DPI,
        jpeg_quality=JPEG_QUALITY,
        optimize_images=True,
    )
    return pdf, document, fetcher


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
    :class:`~bulletins.rendering.environment.RenderEnvironmentError` when the machine lacks
    harfbuzz-subset.
    """
    started = time.perf_counter()
    try:
        for mode in END_MATTER_MODES:
            html = print_html(document, end_matter_mode=mode)
            pdf, weasy_document, fetcher = render_html_to_pdf(html, pdf_variant=pdf_variant)
            page_map = page_map_of(weasy_document)
            if END_MATTER_ANCHOR in page_map:
                break
            logger.info("render: 版记 did not fit in mode %s, trying the next one", mode)
        else:
            raise RenderError(f"简报 {document.masthead.issue_line} 的版记未能排入 PDF")
    except RenderError:
        raise
    except (MemoryError, RecursionError, OSError, ValueError, TypeError, KeyError) as exc:
        raise RenderError(
            f"简报 {document.masthead.issue_line} 排版失败：{type(exc).__name__}: {exc}"
        ) from exc
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
