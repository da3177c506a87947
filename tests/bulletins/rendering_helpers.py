"""Reading rendered PDFs back, for the renderer's tests."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

_SUBSET = re.compile(r"^[A-Z]{6}\+")


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of every page, by ``pdftotext -layout`` (poppler), in reading order."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def squash(text: str) -> str:
    """Text without any whitespace: a title wrapped over two lines still matches."""
    return re.sub(r"\s+", "", text)


def find_in_order(haystack: str, needles: list[str]) -> list[int]:
    """Positions of ``needles`` found one after the other in ``haystack``; AssertionError
    naming the first one missing (or out of order)."""
    positions, start = [], 0
    for needle in needles:
        index = haystack.find(needle, start)
        assert index >= 0, f"not found (in order) after position {start}: {needle!r}"
        positions.append(index)
        start = index + len(needle)
    return positions


def embedded_fonts(pdf: bytes) -> list[dict]:
    """Every font used on a page: its BaseFont, whether a font file is embedded, which."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            fonts[name] = {"name": name, "files": files, "subset": bool(_SUBSET.match(name))}
    return list(fonts.values())


def outline_entries(pdf: bytes) -> list[tuple[int, str, int]]:
    """The PDF bookmarks as (level, title, page number)."""
    reader = PdfReader(io.BytesIO(pdf))
    entries = []

    def walk(nodes, level):
        for node in nodes:
            if isinstance(node, list):
                walk(node, level + 1)
            else:
                entries.append((level, node.title, reader.get_destination_page_number(node) + 1))

    walk(reader.outline, 1)
    return entries


def pages_to_png(pdf: bytes, folder: Path, stem: str, *, dpi: int = 60) -> list[Path]:
    """Write every page as ``folder/stem-NN.png`` (pdftoppm) and return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    pdf_path = folder / f"{stem}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf_path), str(folder / stem)], check=True
    )
    return sorted(folder.glob(f"{stem}-*.png"))
