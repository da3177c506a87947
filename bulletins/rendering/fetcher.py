"""The only way the renderer reads a file: the project's static files and media, from disk.

WeasyPrint's default fetcher follows any URL: it fetches ``http://`` images and CSS, and
embeds the target of ``<a rel=attachment href=file:///etc/passwd>`` into the PDF. This one
serves ``file:`` URLs whose real path (after resolving symlinks and ``..``) lies inside
MEDIA_ROOT or the static folders, and refuses everything else — other schemes, other
paths, folders, files above the size cap. A refusal is a warning in WeasyPrint (the image
is left out), and is recorded so the caller can report it.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 25 * 1024 * 1024  # an image larger than this is not a bulletin picture


class RefusedURL(ValueError):
    """The renderer may not read this URL."""


def allowed_roots() -> list[Path]:
    """MEDIA_ROOT and the static folders, resolved."""
    roots = [settings.MEDIA_ROOT, *settings.STATICFILES_DIRS]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(settings.STATIC_ROOT)
    return [Path(os.path.realpath(root)) for root in roots if root]


class ProjectFileFetcher(URLFetcher):
    """A WeasyPrint URL fetcher limited to ``roots`` (default: :func:`allowed_roots`)."""

    def __init__(self, roots: list[Path] | None = None, **kwargs):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, **kwargs)
        self.roots = (
            [Path(os.path.realpath(r)) for r in roots] if roots is not None else allowed_roots()
        )
        self.refused: list[str] = []
        self.served: list[str] = []

    def resolve(self, url: str) -> Path:
        """The file ``url`` names, or :class:`RefusedURL`."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
            raise RefusedURL(f"只允许读取本系统的静态文件和媒体文件：{url[:200]}")
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"路径不在静态文件或媒体目录内：{url[:200]}")
        if not path.is_file():
            raise RefusedURL(f"文件不存在：{url[:200]}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RefusedURL(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）：{url[:200]}")
        return path

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
        except RefusedURL:
            self.refused.append(url)
            logger.warning("render: refused to fetch %s", url[:200])
            raise
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
