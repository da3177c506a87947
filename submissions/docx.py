"""A .docx turned into clean, editable HTML (mammoth), for the secretariat to check.

Safety: mammoth's ``external_file_access`` stays off (linked images and files are never
fetched), the document's embedded style map is ignored, every image is re-encoded into a
fresh image file (never a ``data:`` URI), and the HTML goes through the shared nh3
allow-list, which drops ``javascript:``/``vbscript:``/``data:`` links.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import mammoth

from core.sanitise import clean_body
from core.text import html_to_text
from core.uploads import UploadRejected, reencode_image

# By style name (as Word's styles.xml names them) and by style id (documents without one).
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p.Title => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p.Subtitle => h2:fresh
p.Heading1 => h2:fresh
p.Heading2 => h3:fresh
p.Heading3 => h4:fresh
"""
_LEADING_HEADING = re.compile(r"^\s*<h[12]>(?P<title>.*?)</h[12]>", re.S)
_HEADING = re.compile(r"<(/?)h[1-6]>")
MAX_IMAGES = 30


@dataclass
class DocxResult:
    title: str
    body_html: str
    notes: list[str] = field(default_factory=list)


def convert_docx(data: bytes, *, save_image: Callable[[bytes, str], str]) -> DocxResult:
    """Convert a checked .docx. ``save_image(bytes, ext)`` stores one re-encoded image and
    returns what to put in ``src`` (its media path). Raises UploadRejected when the file
    cannot be read."""
    notes: list[str] = []
    image_count = 0

    def convert_image(image):
        nonlocal image_count
        image_count += 1
        if image_count > MAX_IMAGES:
            return {"alt": ""}
        try:
            with image.open() as stream:
                raw = stream.read(20 * 1024 * 1024 + 1)
            encoded, ext = reencode_image(raw, name=f"文档中的第{image_count}张图片")
        except (UploadRejected, OSError, KeyError, ValueError):
            notes.append(
                f"文档中的第{image_count}张图片无法读取（可能是链接到外部的图片或 EMF/WMF 等"
                "格式），已略去；如需要，请另存为 JPG/PNG 后作为正文图片上传。"
            )
            return {"alt": ""}
        return {"src": save_image(encoded, ext), "alt": image.alt_text or ""}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            include_embedded_style_map=False,
            external_file_access=False,
            convert_image=mammoth.images.img_element(convert_image),
        )
    except Exception as error:  # mammoth raises many kinds on malformed parts
        raise UploadRejected(
            "Word 文档无法读取，可能已损坏。请用 Word 重新保存为 .docx 后上传。"
        ) from error
    if image_count > MAX_IMAGES:
        notes.append(f"文档中的图片超过 {MAX_IMAGES} 张，只导入了前 {MAX_IMAGES} 张。")
    html = result.value
    title = ""
    match = _LEADING_HEADING.match(html)
    if match:
        title = html_to_text(clean_body(match.group("title"))).replace("\n", " ")[:200]
        html = html[match.end() :]
    # Sub-headings of an item (一、二、) are printed as h4, whatever level Word used.
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h4>", html)
    return DocxResult(title=title, body_html=clean_body(html), notes=notes)
