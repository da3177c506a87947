"""Upload checks: what a file *is*, decided from its bytes, never from its name.

- PDF: starts with ``%PDF-``.
- PNG / JPEG: magic bytes, then decoded by Pillow and **re-encoded by copying the pixels
  into a fresh image** (so no EXIF, comment or other hidden segment survives), downsized
  to ``MAX_IMAGE_SIDE``, in bounded memory (``core.images``).
- DOCX / XLSX: a zip (``PK\\x03\\x04``) whose ``[Content_Types].xml`` declares the main part
  of a Word document / an Excel workbook, that has that part, carries no macros
  (``vbaProject.bin``, macro-enabled content types), links to nothing outside itself but
  hyperlinks (``TargetMode="External"`` images, templates, OLE objects, frames: Word
  fetches them when the file is opened), and is not a zip bomb. The bomb checks read only
  the zip's central directory, before anything is decompressed: at most
  ``MAX_ZIP_ENTRIES`` members, ``MAX_UNZIPPED`` bytes in all and a compression ratio of at
  most ``MAX_RATIO`` for any large member. Python's zipfile stops a member at its declared
  size, so a member that lies about it fails its CRC instead of growing.
- Active content (a DTD in an Office part, JavaScript or auto actions in a PDF) is refused
  by :mod:`core.active_content`'s checks.
- SVG is never an image here: it is a document that can carry scripts and fetch URLs, and
  nothing in the stack can rasterise it safely. It is refused with a hint to save a PNG.

Original file names are kept for display only, cleaned of path parts, control and
bidirectional-override characters; stored names are always generated.

Every refusal is an :class:`UploadRejected` with a Chinese message naming the file.
"""

import hashlib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from core import images
from core.active_content import Uninspectable, office_declares_dtd, pdf_active_content

from .text import visible_text

MB = 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * MB
MAX_IMAGE_BYTES = 10 * MB
MAX_DOCX_BYTES = 20 * MB
MAX_UNZIPPED = 100 * MB
MAX_ZIP_ENTRIES = 1000  # a Word document has 10–60 members, a few hundred with many images
MAX_RATIO = 100  # deflated XML is 5–20×; only a bomb reaches 100× on a large member
MAX_RELS_BYTES = MB  # [Content_Types].xml and *.rels: a few KB in real files
_RATIO_FLOOR = MB  # small members may compress better (runs of spaces, empty cells)
MAX_IMAGE_SIDE = images.MAX_SIDE
MAX_IMAGE_PIXELS = images.MAX_PIXELS

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
LABELS = {
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
    "jpg": "JPG",
    "png": "PNG",
}
ATTACHMENT_TYPES = frozenset(CONTENT_TYPES)
IMAGE_TYPES = frozenset({"jpg", "png"})

# The main part of each kind and the content types it may declare (lower case). The
# macro-enabled ones are recognised so that the refusal can say "macros", not "wrong type".
_MAIN_PARTS = {
    "docx": (
        "word/document.xml",
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            "application/vnd.ms-word.document.macroenabled.main+xml",
        ),
    ),
    "xlsx": (
        "xl/workbook.xml",
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroenabled.main+xml",
        ),
    ),
}


class UploadRejected(ValidationError):
    pass


@dataclass
class CheckedFile:
    original_name: str
    extension: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# A file name also loses private-use and unassigned characters (beside what every typed
# line loses: ``visible_text``), which no font shows the same way twice.
_ALSO_INVISIBLE = frozenset({"Co", "Cn"})
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)


def display_name(name: str) -> str:
    """The user's file name, fit to show and to offer as a download name: no folders, no
    invisible characters, no Windows device name, at most 200 characters with its
    extension kept."""
    name = visible_text(name, also=_ALSO_INVISIBLE)
    # Windows drops trailing dots and spaces; leading ones make a hidden file.
    name = PurePosixPath(name.replace("\\", "/")).name.strip(". \t")
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    if len(name) > 200:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: 200 - len(suffix)] + suffix
    return name or "未命名文件"


def _size_text(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(1, round(n / 1024))} KB"


def sniff(data: bytes) -> str | None:
    """The type the bytes are (pdf, png, jpg, docx, xlsx), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in head


def _office_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > MAX_RELS_BYTES:  # read nothing big before the bomb checks
            return None
        content_types = archive.read(info).decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    for kind, (part, main_types) in _MAIN_PARTS.items():
        if part in names and any(t in content_types for t in main_types):
            return kind
    return None


_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>", re.I)
_EXTERNAL = re.compile(r"""\bTargetMode\s*=\s*["']External["']""", re.I)
_HYPERLINK_TYPE = re.compile(r"""\bType\s*=\s*["'][^"']*/hyperlink["']""", re.I)


def _is_bomb(infos) -> bool:
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        return True
    return any(
        i.file_size > _RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )


def _external_parts(archive, infos) -> list[str]:
    """The relationships that make Office fetch something from outside the file (all but
    hyperlinks, which are only followed when clicked)."""
    found = []
    for info in infos:
        if not info.filename.lower().endswith(".rels") or info.file_size > MAX_RELS_BYTES:
            continue
        text = archive.read(info).decode("utf-8", "replace")
        for tag in _RELATIONSHIP.findall(text):
            if _EXTERNAL.search(tag) and not _HYPERLINK_TYPE.search(tag):
                found.append(tag)
    return found


def check_office(name: str, data: bytes, kind: str) -> None:
    """Refuse a .docx/.xlsx (``kind``) that is a zip bomb, carries macros, links to outside
    content or is damaged. Reads the central directory first and decompresses only
    within the caps. Raises :class:`UploadRejected`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise UploadRejected(f"“{name}”已损坏，无法读取，请重新保存后上传。") from None
    if _is_bomb(infos):
        raise UploadRejected(
            f"“{name}”解压后过大或结构异常（可能是“压缩炸弹”），不像正常的{LABELS[kind]}文件，"
            "请用 Office 另存后重新上传。"
        )
    _check_office(name, archive, infos, kind)


def _check_office(name: str, archive, infos, kind: str) -> None:
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
        raise UploadRejected(f"“{name}”已损坏，无法读取，请重新保存后上传。") from None
    has_macros = any(PurePosixPath(i.filename).name.lower() == "vbaproject.bin" for i in infos)
    if has_macros or "macroenabled" in content_types or "vbaproject" in content_types:
        raise UploadRejected(
            f"“{name}”含有宏，出于安全考虑不能上传。请在 Office 中另存为不含宏的"
            f"{LABELS[kind]}文件后再上传。"
        )
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        bad = "?"
    if bad:
        raise UploadRejected(f"“{name}”已损坏，无法读取，请重新保存后上传。")
    if office_declares_dtd(archive, infos):
        raise UploadRejected(
            f"“{name}”中含有文档类型声明（DTD），可能用于实体扩展攻击，已拒收。"
            f"Office 保存的文件不含这种声明：请用 Office 重新保存为{LABELS[kind]}文件后再上传。"
        )
    if _external_parts(archive, infos):
        raise UploadRejected(
            f"“{name}”含有链接到外部的内容（如链接而非嵌入的图片、外部模板或对象），"
            "打开时会访问网络，不能上传。请在 Office 中把图片改为嵌入"
            "（“文件 → 信息 → 编辑指向文件的链接”中断开链接），保存后重新上传。"
        )


def check_pdf(name: str, data: bytes) -> None:
    """Refuse a PDF that carries JavaScript, launch, auto or embedded-file actions, or
    whose compressed objects cannot be inspected (see ``core.active_content``)."""
    try:
        found = pdf_active_content(data)
    except Uninspectable:
        raise UploadRejected(
            f"“{name}”中有无法检查的压缩内容（可能已加密），不能确认其中没有脚本，"
            "出于安全考虑不能上传。请用“打印为 PDF”另存一份后再上传。"
        ) from None
    if found:
        raise UploadRejected(
            f"“{name}”中含有{found}，打开时可能自动执行，出于安全考虑不能上传。"
            "请用“打印为 PDF”另存一份（不含脚本和动作）后再上传。"
        )


def reencode_image(data: bytes, *, name: str = "图片") -> tuple[bytes, str]:
    """Decode ``data`` and return ``(bytes, "jpg"|"png")`` of a fresh image with the same
    pixels (no metadata), at most ``MAX_IMAGE_SIDE`` px on its longer side, in bounded
    memory (``core.images``)."""
    too_large = (
        f"“{name}”的像素尺寸过大（超过 {MAX_IMAGE_PIXELS // 10_000} 万像素），"
        f"请缩小到长边不超过 {MAX_IMAGE_SIDE} 像素后再上传（印刷用不到更大的图片）。"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return images.reencode(data)
    except (images.TooLarge, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(too_large) from None
    except images.NotJpegOrPng:
        raise UploadRejected(f"“{name}”不是 JPG 或 PNG 图片。") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(f"“{name}”无法作为图片打开，可能已损坏或并非图片。") from None


def check_upload(upload, *, allowed=ATTACHMENT_TYPES, max_bytes=None) -> CheckedFile:
    """Read and check one uploaded file (at most ``max_bytes``, by default
    ``MAX_ATTACHMENT_BYTES``). Raises :class:`UploadRejected`."""
    max_bytes = max_bytes or MAX_ATTACHMENT_BYTES
    name = display_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            f"“{name}”有 {_size_text(size)}，超过了 {_size_text(max_bytes)} 的上限。"
        )
    if size == 0:
        raise UploadRejected(f"“{name}”是空文件。")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(f"“{name}”超过了 {_size_text(max_bytes)} 的上限。")
    if not data:
        raise UploadRejected(f"“{name}”是空文件。")
    kind = sniff(data)
    allowed_text = "、".join(LABELS[k] for k in CONTENT_TYPES if k in allowed)
    if kind is None:
        claimed = PurePosixPath(name).suffix.lower().lstrip(".")
        if _looks_like_svg(data):
            raise UploadRejected(
                f"“{name}”是 SVG 矢量图，其中可以含有脚本，出于安全考虑不能上传。"
                "请另存为 PNG 或 JPG 后再上传。"
            )
        if claimed in {"docx", "xlsx"}:
            raise UploadRejected(
                f"“{name}”的扩展名是 .{claimed}，但文件内容并不是{LABELS[claimed]}文件"
                f"（可能是改了扩展名的其他文件，或旧版 .doc/.xls）。"
                f"请用 Office 另存为 .{claimed} 后再上传。"
            )
        raise UploadRejected(f"“{name}”的文件类型不支持。只能上传 {allowed_text} 文件。")
    if kind not in allowed:
        raise UploadRejected(f"“{name}”是 {LABELS[kind]} 文件，这里只能上传 {allowed_text} 文件。")
    if kind in IMAGE_TYPES:
        data, kind = reencode_image(data, name=name)
    elif kind in _MAIN_PARTS:
        check_office(name, data, kind)
    else:
        check_pdf(name, data)
    stem = PurePosixPath(name).stem or "文件"
    return CheckedFile(
        original_name=f"{stem}.{kind}"[:200],
        extension=kind,
        content_type=CONTENT_TYPES[kind],
        data=data,
    )
