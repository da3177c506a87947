"""Rendering of an issue: the PDF (WeasyPrint) and the web edition, from an IssueDocument.

API::

    render_pdf(document, *, pdf_variant=None) -> RenderResult   # pdf, pages, sha256, page_map
    render_pdf_to_file(document, path, *, pdf_variant=None) -> RenderResult  # atomic write
    render_web_edition(document, *, image_url=None) -> str
    warm_up()   # at worker start: checks harfbuzz-subset and the fonts, loads the faces

Nothing here touches the database.
"""

from __future__ import annotations

from bulletins.document import IssueDocument

from .environment import RenderEnvironmentError, warm_up
from .markup import web_html
from .pdf import RenderError, RenderResult, render_pdf, render_pdf_to_file


def render_web_edition(document: IssueDocument, *, image_url=None) -> str:
    """The issue as one HTML page readable on a phone. ``image_url(path)`` turns an image's
    path (relative to MEDIA_ROOT) into the URL the page should use — a permission-checked
    view in the application; by default MEDIA_URL + path."""
    return web_html(document, image_url=image_url)


__all__ = [
    "RenderEnvironmentError",
    "RenderError",
    "RenderResult",
    "render_pdf",
    "render_pdf_to_file",
    "render_web_edition",
    "warm_up",
]
