"""An uploaded picture re-encoded in bounded memory.

Decoding is what costs: a 12 KB 1-bit PNG of 6,300 × 6,300 px decoded, turned to RGBA and
resampled took ~800 MB in the web process, and six at once 3.4 GB. So:

- the size is read from the header (``Image.open`` is lazy) and refused above
  ``MAX_PIXELS`` before a pixel is decoded;
- a JPEG is decoded at a reduced scale (``Image.draft``: libjpeg's 1/2, 1/4, 1/8 DCT
  scaling) straight to about the printed size — a bulletin's page is ~160 mm wide, ~1,900
  px at 300 dpi, so nothing larger than ``MAX_SIDE`` is ever needed;
- any other picture is decoded in its own mode (1 byte a pixel for 1-bit, grey and
  palette pictures, 4 for colour), then reduced by an integer factor and converted to
  RGB(A) a band of rows at a time, so no full-size RGBA copy is ever made; the last,
  small step resamples with Lanczos;
- one picture is decoded at a time per process (``_ONE_AT_A_TIME``): six uploads at once
  cost one's peak, not six, and wait a fraction of a second each;
- afterwards the freed memory is handed back to the system (``malloc_trim``: glibc keeps
  large freed arenas otherwise, and the process would stay at its peak).

Measured by bench/bench_upload_memory.py (peak per upload ≤ 200 MB, back to baseline).
"""

import ctypes
import ctypes.util
import io
import threading

from PIL import Image, ImageFile

MAX_SIDE = 2000
MAX_PIXELS = 25_000_000
_BAND_ROWS = 256  # rows of the reduced picture converted at a time
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class TooLarge(ValueError):
    """More than ``MAX_PIXELS`` pixels, by the header."""


class NotJpegOrPng(ValueError):
    """A picture Pillow reads, in another format."""


def _release_memory() -> None:
    """Give freed heap back to the system (glibc only; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _has_alpha(image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def _load_strictly(image) -> None:
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported (the
    # worker imports it at start); an upload check must still refuse a truncated file.
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _reduced(image, mode: str):
    """``image`` (decoded, any mode) as ``mode``, shrunk by the integer factor that brings
    its longer side nearest above ``MAX_SIDE``, converted a band at a time."""
    factor = max(1, max(image.size) // MAX_SIDE)
    if factor == 1:
        return image.convert(mode)
    # 1-bit and palette pictures cannot be averaged in their own mode: their bands are
    # converted first (1-bit to grey, not colour; a band is small), colour and grey ones
    # are reduced first.
    width, height = image.size
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    step = _BAND_ROWS * factor
    for top in range(0, height, step):
        band = image.crop((0, top, width, min(top + step, height)))
        if band.mode not in {"L", "RGB", "RGBA", "LA"}:
            band = band.convert("L" if band.mode == "1" else mode)
        band = band.reduce(factor)
        out.paste(band.convert(mode) if band.mode != mode else band, (0, top // factor))
        del band
    return out


def reencode(data: bytes) -> tuple[bytes, str]:
    """``(bytes, "jpg"|"png")``: a fresh picture with ``data``'s pixels, no metadata, at
    most ``MAX_SIDE`` px on its longer side. Raises :class:`TooLarge`, or what Pillow
    raises for a file it cannot read (``UnidentifiedImageError``, ``OSError``,
    ``SyntaxError``, ``ValueError``, ``Image.DecompressionBombError``) and
    :class:`NotJpegOrPng`."""
    with _ONE_AT_A_TIME:
        try:
            return _reencode(data)
        finally:
            _release_memory()


def _reencode(data: bytes) -> tuple[bytes, str]:
    source = Image.open(io.BytesIO(data))
    if source.format not in {"JPEG", "PNG"}:
        raise NotJpegOrPng(source.format)
    if source.width * source.height > MAX_PIXELS:
        raise TooLarge
    has_alpha = _has_alpha(source)
    mode = "RGBA" if has_alpha else "RGB"
    if source.format == "JPEG":
        source.draft("RGB" if source.mode != "L" else "L", (MAX_SIDE, MAX_SIDE))
    _load_strictly(source)
    orientation = source.getexif().get(0x0112)  # after loading: a PNG's getexif() loads
    pixels = _reduced(source, mode)
    del source
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if orientation in _TRANSPOSE:
        pixels = pixels.transpose(_TRANSPOSE[orientation])
    fresh = Image.new(mode, pixels.size)  # a new image: nothing but pixels is carried over
    fresh.paste(pixels, (0, 0))
    del pixels
    out = io.BytesIO()
    if has_alpha:
        fresh.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    fresh.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg"
