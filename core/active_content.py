"""Active content in uploaded documents: refused, with the reason named.

- **Office (.docx/.xlsx)**: an XML part that declares a DTD (``<!DOCTYPE``/``<!ENTITY``).
  Office never writes one; a parser that expands its entities can be made to build
  gigabytes from a few KB ("billion laughs") or to read files. Every member that looks
  like XML is read decompressed in chunks — within the zip checks' caps, which run first —
  and searched in UTF-8, UTF-16 and UTF-7 (where ``<`` is ``+ADw-``).
- **PDF**: JavaScript, launch, auto, form and embedded-file actions (``/JavaScript``,
  ``/JS``, ``/Launch``, ``/AA``, ``/EmbeddedFile(s)``, ``/GoToE``, ``/RichMedia``, ``/XFA``,
  ``/SubmitForm``, ``/ImportData``, and an inline ``/OpenAction`` that is not a go-to; an
  ``/OpenAction`` that is a destination or names an object is fine — pdfTeX and
  LibreOffice write one in every file, and the object it names is scanned like the rest). Names are compared
  after decoding ``#xx`` escapes (``/J#61vaScript``). The objects outside streams are
  scanned as they are; objects packed into compressed object streams (``/Type /ObjStm``)
  are inflated with zlib, at most ``MAX_INFLATED`` bytes each and in all; an object stream
  that cannot be inflated so (another filter, encrypted, too large) cannot be inspected
  and the file is refused. Other streams (page content, images, fonts) are skipped: their
  bytes hold no objects, and scanning binary data for two-letter names would refuse good
  files by chance.

Both raise :class:`core.uploads.UploadRejected` through the caller (they return the reason).
"""

import re
import zlib

KB = 1024
MB = 1024 * KB
MAX_INFLATED = 20 * MB  # all object streams of one PDF, inflated
_CHUNK = 256 * KB

# --- Office ---------------------------------------------------------------------------------
_DTD_TOKENS = (
    *(
        token.encode(encoding)
        for token in ("<!doctype", "<!entity")
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ),
    b"+adw-!doctype",
    b"+adw-!entity",
)
_OVERLAP = max(len(t) for t in _DTD_TOKENS)
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?(?:\s|\x00)*(?:<|\+ADw-)")


def office_declares_dtd(archive, infos) -> bool:
    """True when an XML member of the zip ``archive`` declares a DTD. Reads each member in
    chunks (call after the zip-bomb checks)."""
    for info in infos:
        if info.is_dir():
            continue
        with archive.open(info) as stream:
            head = stream.read(_CHUNK)
            if not _XML_START.match(head):
                continue  # an image or other binary part: not XML
            tail = b""
            chunk = head
            while chunk:
                window = tail + chunk.lower()
                if any(token in window for token in _DTD_TOKENS):
                    return True
                tail = window[-_OVERLAP:]
                chunk = stream.read(_CHUNK)
    return False


# --- PDF ------------------------------------------------------------------------------------
ACTIVE_NAMES = {
    b"JavaScript": "JavaScript 脚本",
    b"JS": "JavaScript 脚本",
    b"Launch": "启动外部程序的动作（/Launch）",
    b"AA": "打开或浏览时自动执行的动作（/AA）",
    b"EmbeddedFile": "嵌入的文件",
    b"EmbeddedFiles": "嵌入的文件",
    b"RichMedia": "嵌入的多媒体（/RichMedia）",
    b"XFA": "XFA 动态表单（可含脚本）",
    b"SubmitForm": "提交表单的动作（/SubmitForm）",
    b"ImportData": "导入数据的动作（/ImportData）",
    b"GoToE": "打开嵌入文件的动作（/GoToE）",
}
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}\x00]*)")
_REFERENCE = re.compile(rb"\d+\s+\d+\s+R\b")
_GOTO = re.compile(rb"/S\s*/GoTo(?![A-Za-z#])")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"\bendstream\b")
_OBJ = re.compile(rb"\bobj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


class Uninspectable(Exception):
    """An object stream that cannot be inflated within the caps."""


def _decoded(name: bytes) -> bytes:
    return _HEX.sub(lambda m: bytes([int(m[1], 16)]), name)


def _names(text: bytes):
    """Each name in ``text`` (decoded) with what follows it."""
    for match in _NAME.finditer(text):
        yield _decoded(match[1]), text[match.end() : match.end() + 64]


def _harmless_open_action(value: bytes) -> bool:
    """A destination (``[3 0 R /Fit]``), a reference (the object it names is scanned like
    every other, so a script or launch there is found by its own name) or a go-to action."""
    value = value.lstrip()
    if value.startswith(b"[") or _REFERENCE.match(value):
        return True
    return value.startswith(b"<<") and bool(_GOTO.search(value.split(b">>")[0]))


def _active_in(text: bytes) -> str | None:
    """The first active name in ``text``; an automatic open action only when nothing more
    specific (the script it runs) is named."""
    automatic = None
    for name, after in _names(text):
        if name in ACTIVE_NAMES:
            return ACTIVE_NAMES[name]
        if name == b"OpenAction" and not _harmless_open_action(after):
            automatic = "打开时自动执行的动作（/OpenAction）"
    return automatic


def _streams(data: bytes):
    """``(text outside streams before it, the stream's dictionary, its data)`` for each
    stream, then ``(the rest, b"", None)``."""
    pos = 0
    for match in _STREAM.finditer(data):
        if match.start() < pos:
            continue  # "stream" inside a stream's data
        before = data[pos : match.start()]
        objs = [m.end() for m in _OBJ.finditer(before[-64 * KB :])]
        dictionary = before[-64 * KB :][objs[-1] :] if objs else before[-2 * KB :]
        start = match.end()
        length = _LENGTH.search(dictionary)
        end = start + int(length[1]) if length else -1
        if not length or not data[end : end + 32].lstrip().startswith(b"endstream"):
            found = _ENDSTREAM.search(data, start)
            end = found.start() if found else len(data)
        yield before, dictionary, data[start:end]
        found = _ENDSTREAM.search(data, end)
        pos = found.end() if found else len(data)
    yield data[pos:], b"", None


def _inflate(dictionary: bytes, raw: bytes, budget: int) -> bytes:
    names = [name for name, _ in _names(dictionary)]
    filters = [n for n in names if n.endswith(b"Decode") or n in {b"Fl", b"AHx", b"A85"}]
    if filters != [b"FlateDecode"] and filters != [b"Fl"]:
        raise Uninspectable
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, budget + 1)
    except zlib.error:
        raise Uninspectable from None
    if len(out) > budget or inflater.unconsumed_tail:
        raise Uninspectable
    return out


def pdf_active_content(data: bytes) -> str | None:
    """What active content the PDF ``data`` carries (a Chinese phrase), or None. Raises
    :class:`Uninspectable` when an object stream cannot be inflated within the caps."""
    budget = MAX_INFLATED
    for outside, dictionary, raw in _streams(data):
        if found := _active_in(outside):
            return found
        if raw is None or b"ObjStm" not in {name for name, _ in _names(dictionary)}:
            continue
        objects = _inflate(dictionary, raw, budget)
        budget -= len(objects)
        if found := _active_in(objects):
            return found
    return None
