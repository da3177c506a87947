"""What the renderer needs from the machine, checked once at start-up (:func:`warm_up`).

- ``libharfbuzz-subset0``: without it WeasyPrint embeds whole CJK fonts through a slow
  fallback (a two-page render took 22 s instead of 0.6 s).
- The faces of the bulletin, from Debian packages. Fontconfig never says "missing": it
  substitutes another face. So the check renders a sample in every face and reads the
  names of the fonts embedded in the PDF.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from .fetcher import ProjectFileFetcher
from .harfbuzz import RenderEnvironmentError, check_harfbuzz_subset
from .pdf import render_html_to_pdf


@dataclass(frozen=True)
class RequiredFace:
    family: str
    weight: str  # "normal" | "bold"
    pdf_name: str  # how WeasyPrint names the embedded font (after the ABCDEF+ prefix)
    package: str  # the Debian package that provides it
    sample: str


REQUIRED_FACES = (
    RequiredFace("Noto Serif CJK SC", "normal", "Noto-Serif-CJK-SC", "fonts-noto-cjk", "正文"),
    RequiredFace("Noto Serif CJK SC", "bold", "Noto-Serif-CJK-SC-Bold", "fonts-noto-cjk", "简报"),
    RequiredFace("LXGW WenKai", "normal", "LXGW-WenKai", "fonts-lxgw-wenkai", "供稿"),
    RequiredFace("DejaVu Sans", "normal", "DejaVu-Sans", "fonts-dejavu-core", "➤"),
)

_lock = threading.Lock()
_checked = False


def _sample_html(faces) -> str:
    spans = "".join(
        f"<p style=\"font-family: '{f.family}'; font-weight: {f.weight}\">{f.sample}</p>"
        for f in faces
    )
    return f'<html lang="zh-CN"><body>{spans}</body></html>'


def embedded_font_names(pdf: bytes) -> set[str]:
    """The BaseFont names in ``pdf`` without their subset prefix (``ABCDEF+``)."""
    # pypdf costs a tenth of a second to import; only this start-up check reads a PDF.
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object().get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names


def check_fonts(faces=REQUIRED_FACES) -> None:
    """Render a sample in every face; raise naming the Debian package of a face that
    fontconfig replaced with another."""
    # Through the renderer's own path, so that the faces stay loaded in its font map.
    pdf, _, _ = render_html_to_pdf(_sample_html(faces), fetcher=ProjectFileFetcher(roots=[]))
    names = embedded_font_names(pdf)
    missing = [f for f in faces if f.pdf_name not in names]
    if missing:
        listing = "；".join(
            f"{f.family}{'（粗体）' if f.weight == 'bold' else ''}：Debian 软件包 {f.package}"
            for f in missing
        )
        packages = " ".join(sorted({f.package for f in missing}))
        raise RenderEnvironmentError(
            f"缺少简报所需字体：{listing}。请安装：apt-get install {packages}"
        )


def warm_up(*, force: bool = False) -> None:
    """Import WeasyPrint, check harfbuzz-subset and the fonts, and load the faces once.

    Call at worker start (Celery ``worker_process_init``): the first render of a process
    otherwise pays for loading Pango, fontconfig and the CJK faces. Raises
    :class:`RenderEnvironmentError` naming the missing Debian package.
    """
    global _checked
    with _lock:
        if _checked and not force:
            return
        check_harfbuzz_subset()
        check_fonts()
        _checked = True
