"""Hostile uploads, one row per attack per entry path.

Entry paths: the submission form's body images, its attachments and its .docx import (as
the secretariat), the web import of an old issue (editor) and the contact-list import
(editor). Each row expects a refusal with a Chinese message (or, where that is the better
design, an upload neutralised on the way in: a JPEG with a ZIP or a script appended is
re-encoded from its pixels). For every refusal: what was typed and the other, valid
upload of the same request are kept, and nothing of the refused file is written to
MEDIA_ROOT.
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from core.uploads import check_upload, display_name
from distribution.models import Contact, ContactImport
from submissions.models import Submission, SubmissionFile
from tests.seeds import MD_SEED
from tests.submissions.files import PDF, make_docx, make_png
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
SEED = MD_SEED


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "media"


# --- hostile files ----------------------------------------------------------------------


def jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, base: bytes | None = None) -> bytes:
    """A zip of ``members``, added to the members of the zip ``base`` when given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if base is not None:
            source = zipfile.ZipFile(io.BytesIO(base))
            for info in source.infolist():
                archive.writestr(info.filename, source.read(info.filename))
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def xlsx(rows=(("单位", "姓名", "电子邮箱"), ("科技部", "张一", "zhang1@example.org"))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_with_template_link() -> bytes:
    """A .docx whose settings link an attached template on a remote server (the
    "template injection" trick: Word fetches it when the file is opened)."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
        '" Target="http://127.0.0.1:9/t.dotm" TargetMode="External"/></Relationships>'
    )
    return zip_bytes({"word/_rels/settings.xml.rels": rels}, base=make_docx(["正文"]))


def docx_with_vba_only() -> bytes:
    """Macros without the macro-enabled content type (a renamed .docm, hand-edited)."""
    return zip_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0vba"}, base=make_docx(["正文"]))


def docx_with_broken_xml() -> bytes:
    """Passes the zip checks (well-formed zip, right content types) but its text part is not
    XML: the converter fails after the upload was accepted."""
    good = zipfile.ZipFile(io.BytesIO(make_docx(["正文"])))
    members = {i.filename: good.read(i.filename) for i in good.infolist()}
    members["word/document.xml"] = b"<w:document><w:body><w:p>unclosed"
    return zip_bytes(members)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00" + b"\x00" * 64
GIF_HTML = b"GIF89a/*\x01\x00\x01\x00*/=1;<script>alert(1)</script>"

ATTACKS = {
    # name: (file name, bytes, MIME type the browser claims)
    "exe-renamed-jpg": ("照片.jpg", EXE, "image/jpeg"),
    "exe-renamed-docx": ("稿件.docx", EXE, "application/vnd.openxmlformats"),
    "exe-renamed-xlsx": ("名单.xlsx", EXE, "application/vnd.ms-excel"),
    "exe-renamed-md": ("简报.md", EXE, "text/markdown"),
    "pdf-renamed-jpg": ("照片.jpg", PDF, "image/jpeg"),
    "pdf-renamed-docx": ("稿件.docx", PDF, "application/msword"),
    "html-renamed-jpg": ("照片.jpg", HTML, "image/jpeg"),
    "gif-html-polyglot": ("动图.gif", GIF_HTML, "image/gif"),
    "svg-script": ("图标.svg", SVG, "image/svg+xml"),
    "svg-renamed-png": ("图标.png", SVG, "image/png"),
    "docm-macro-content-type": ("宏.docx", make_docx(["正文"], macros=True), "application/msword"),
    "docx-vbaproject-bin": ("宏2.docx", docx_with_vba_only(), "application/msword"),
    "docx-external-image": (
        "外链图片.docx",
        make_docx(["正文"], external_image_url="http://127.0.0.1:9/track.png"),
        "application/msword",
    ),
    "docx-external-template": ("模板.docx", docx_with_template_link(), "application/msword"),
    "docx-zip-bomb-ratio": (
        "炸弹.docx",
        zip_bytes({"word/padding.xml": b"\x00" * (8 * MB)}, base=make_docx(["正文"])),
        "application/msword",
    ),
    "docx-many-entries": (
        "碎片.docx",
        zip_bytes({f"word/media/p{n}.xml": b"x" for n in range(1500)}, base=make_docx(["正文"])),
        "application/msword",
    ),
    "xlsx-zip-bomb-ratio": (
        "炸弹.xlsx",
        zip_bytes({"xl/padding.xml": b"\x00" * (8 * MB)}, base=xlsx()),
        "application/vnd.ms-excel",
    ),
    "docx-broken-xml": ("坏文档.docx", docx_with_broken_xml(), "application/msword"),
    "docx-without-text": ("空文档.docx", make_docx([]), "application/msword"),
    "zip-not-office": ("资料.docx", zip_bytes({"run.js": b"alert(1)"}), "application/zip"),
    "png-pixel-bomb": ("巨图.png", png_header(30000, 30000), "image/png"),
    "png-over-40-megapixels": ("大图.png", png_header(8000, 6000), "image/png"),
    "jpeg-truncated": ("残图.jpg", jpeg()[:200], "image/jpeg"),
    "empty": ("空.pdf", b"", "application/pdf"),
    "oversized-image": ("超大.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * MB), "image/jpeg"),
    "oversized-file": ("超大.pdf", b"%PDF-" + b"\x00" * (20 * MB), "application/pdf"),
    "oversized-text": ("超大.md", b"#" * (2 * MB + 10), "text/markdown"),
    "binary-as-csv": ("名单.csv", b"\x00\x01\x02binary", "text/csv"),
}

# Neutralised on the way in: accepted, and what is stored is a fresh image.
NEUTRALISED = {
    "jpeg-with-appended-zip": ("照片.jpg", jpeg() + zip_bytes({"x.html": HTML}), "image/jpeg"),
    "jpeg-with-appended-script": ("照片.jpg", jpeg() + b"<script>alert(1)</script>", "image/jpeg"),
    "png-with-text-chunk-html": ("图.png", make_png() + HTML, "image/png"),
}

# (entry path, attack, the message that must be shown)
ROWS = [
    ("images", "exe-renamed-jpg", "文件类型不支持"),
    ("images", "pdf-renamed-jpg", "这里只能上传 JPG、PNG 文件"),
    ("images", "html-renamed-jpg", "文件类型不支持"),
    ("images", "gif-html-polyglot", "文件类型不支持"),
    ("images", "svg-script", "SVG 矢量图"),
    ("images", "svg-renamed-png", "SVG 矢量图"),
    ("images", "png-pixel-bomb", "像素尺寸过大"),
    ("images", "png-over-40-megapixels", "像素尺寸过大"),
    ("images", "jpeg-truncated", "无法作为图片打开"),
    ("images", "empty", "是空文件"),
    ("images", "oversized-image", "超过了 10 MB 的上限"),
    ("attachments", "exe-renamed-jpg", "文件类型不支持"),
    ("attachments", "exe-renamed-docx", "文件内容并不是Word"),
    ("attachments", "html-renamed-jpg", "文件类型不支持"),
    ("attachments", "gif-html-polyglot", "文件类型不支持"),
    ("attachments", "svg-script", "SVG 矢量图"),
    ("attachments", "docm-macro-content-type", "含有宏"),
    ("attachments", "docx-vbaproject-bin", "含有宏"),
    ("attachments", "docx-external-image", "链接到外部的内容"),
    ("attachments", "docx-external-template", "链接到外部的内容"),
    ("attachments", "docx-zip-bomb-ratio", "压缩炸弹"),
    ("attachments", "docx-many-entries", "压缩炸弹"),
    ("attachments", "xlsx-zip-bomb-ratio", "压缩炸弹"),
    ("attachments", "zip-not-office", "文件内容并不是Word"),
    ("attachments", "png-pixel-bomb", "像素尺寸过大"),
    ("attachments", "empty", "是空文件"),
    ("attachments", "oversized-file", "超过了 20 MB 的上限"),
    ("docx", "exe-renamed-docx", "文件内容并不是Word"),
    ("docx", "pdf-renamed-docx", "是 PDF 文件，这里只能上传 Word（.docx） 文件"),
    ("docx", "zip-not-office", "文件内容并不是Word"),
    ("docx", "docm-macro-content-type", "含有宏"),
    ("docx", "docx-vbaproject-bin", "含有宏"),
    ("docx", "docx-external-image", "链接到外部的内容"),
    ("docx", "docx-external-template", "链接到外部的内容"),
    ("docx", "docx-zip-bomb-ratio", "压缩炸弹"),
    ("docx", "docx-many-entries", "压缩炸弹"),
    ("docx", "docx-broken-xml", "Word 文档无法读取"),  # refused after it was stored:
    ("docx", "docx-without-text", "没有可导入的正文"),  # the stored copy is deleted again
    ("docx", "empty", "是空文件"),
    ("docx", "oversized-file", "超过了 20 MB 的上限"),
    ("import", "exe-renamed-md", "不是文本文件"),
    ("import", "pdf-renamed-docx", "这是 PDF 文件"),
    ("import", "docm-macro-content-type", "不是可以导入的简报"),
    ("import", "svg-script", "不是可以导入的简报"),
    ("import", "html-renamed-jpg", "不是可以导入的简报"),
    ("import", "empty", "所提交的是空文件"),
    ("import", "oversized-text", "文件太大"),
    ("contacts", "exe-renamed-xlsx", "不是 CSV"),
    ("contacts", "xlsx-zip-bomb-ratio", "压缩炸弹"),
    ("contacts", "docm-macro-content-type", "含有宏"),
    ("contacts", "binary-as-csv", "不是 CSV"),
    ("contacts", "empty", "上传的文件是空的"),
    ("contacts", "oversized-text", "超过 2 MB"),
]


def media_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(attack: str) -> SimpleUploadedFile:
    name, data, mime = ATTACKS.get(attack) or NEUTRALISED[attack]
    return SimpleUploadedFile(name, data, content_type=mime)


# --- the entry paths --------------------------------------------------------------------

TYPED_TITLE = "化纤联盟召开2024年度理事会"
TYPED_BODY = "<p>化纤产业技术创新战略联盟近日在北京召开理事会。</p>"


def post_submission(client, field: str, file: SimpleUploadedFile):
    """The secretariat's form with typed text, the file under test in ``field`` and a
    valid PDF attachment beside it (or, when the file under test is the attachment, a
    valid body image)."""
    token = str(uuid.uuid4())
    data = {
        "form_token": token,
        "title": TYPED_TITLE,
        "body_html": TYPED_BODY,
        "suggested_section": "试点联盟及协发网网员单位动态",
        "contact_name": "张明",
        "contact_phone": "010-12345678",
        "call": "",
        "do": "submit",
        field: [file] if field != "docx" else file,
    }
    if field == "attachments":
        data["images"] = [SimpleUploadedFile("好图.png", make_png())]
    else:
        data["attachments"] = [SimpleUploadedFile("通知.pdf", PDF)]
    response = client.post(reverse("submissions:new"), data)
    return response, Submission.objects.get(client_token=token)


@pytest.mark.parametrize(("path", "attack", "message"), ROWS, ids=[f"{p}-{a}" for p, a, _ in ROWS])
def test_hostile_upload_is_refused(path, attack, message, client, media, request):
    if path in {"images", "attachments", "docx"}:
        client.force_login(request.getfixturevalue("secretary_a"))
        response, submission = post_submission(client, path, upload(attack))
        page = response.content.decode()
        assert response.status_code == 400, page[:300]
        assert message in page, f"{message!r} not shown"
        # Lose nothing: the typed text is stored and shown, the valid upload is kept.
        assert submission.status == Submission.Status.DRAFT  # not submitted with a refusal
        assert submission.title == TYPED_TITLE and "北京召开理事会" in submission.body_html
        assert f'value="{TYPED_TITLE}"' in page and "北京召开理事会" in page
        kept = submission.files.exclude(kind="source")
        assert kept.count() == 1
        assert kept.get().original_name == ("好图.jpg" if path == "attachments" else "通知.pdf")
        # Nothing of the refused file on disk: only the files the rows name.
        stored = {media / name for name in SubmissionFile.objects.values_list("file", flat=True)}
        assert set(media_files(media)) == stored
        return
    client.force_login(request.getfixturevalue("editor"))
    if path == "import":
        response = client.post(reverse("bulletins:import"), {"file": upload(attack)})
        page = response.content.decode()
        assert response.status_code == 200 and message in page, page[:500]
        assert media_files(media) == []
        return
    from distribution.demo import load_distribution_lists

    load_distribution_lists()
    force_login_verified(client, request.getfixturevalue("administrator"))
    before = Contact.objects.count()
    response = client.post(reverse("distribution:import"), {"file": upload(attack)})
    page = response.content.decode()
    assert response.status_code == 400 and message in page, page[:500]
    assert Contact.objects.count() == before and not ContactImport.objects.exists()
    assert media_files(media) == []


@pytest.mark.parametrize("field", ["images", "attachments"])
@pytest.mark.parametrize("attack", sorted(NEUTRALISED))
def test_image_polyglots_are_reencoded(field, attack, client, secretary_a, media):
    client.force_login(secretary_a)
    response, submission = post_submission(client, field, upload(attack))
    assert response.status_code == 302
    row = submission.files.get(original_name=Path(NEUTRALISED[attack][0]).stem + ".jpg")
    data = (media / row.file.name).read_bytes()
    assert b"PK\x03\x04" not in data and b"<script" not in data and b"<html" not in data.lower()
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_a_docx_with_ordinary_hyperlinks_is_accepted(client, secretary_a):
    """Hyperlinks are external relationships too, but Word follows them only when clicked:
    they stay (the body keeps http/https/mailto links; the sanitiser drops the rest)."""
    client.force_login(secretary_a)
    docx = make_docx(["正文"], links={"网站": "https://citisa.org", "坏": "javascript:alert(1)"})
    response, submission = post_submission(client, "docx", SimpleUploadedFile("稿件.docx", docx))
    assert response.status_code == 200
    assert 'href="https://citisa.org"' in submission.body_html
    assert "javascript" not in submission.body_html


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Windows\\system32\\通知.pdf", "通知.pdf"),
        ("a/b/c/通知.pdf", "通知.pdf"),
        ("报告\u202efdp.exe", "报告fdp.pdf"),  # U+202E would show it as 报告exe.pdf
        ("通\u200b知\u2066.pdf", "通知.pdf"),
        ("通知\x00.jpg.pdf", "通知.jpg.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1.pdf"),
        ("...", "未命名文件.pdf"),
        ("通知.pdf. . ", "通知.pdf"),
        ("通" * 300 + ".pdf", "通" * 196 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_for_display(given, shown):
    checked = check_upload(SimpleUploadedFile(given, PDF))
    assert checked.original_name == shown


def test_stored_names_are_generated_and_downloads_are_attachments(client, secretary_a, media):
    client.force_login(secretary_a)
    response, submission = post_submission(
        client,
        "attachments",
        SimpleUploadedFile("../../通知\u202efdp.exe", PDF, content_type="text/html"),
    )
    assert response.status_code == 302
    row = submission.files.get(kind="attachment")
    assert row.original_name == "通知fdp.pdf"
    assert row.content_type == "application/pdf"  # by content, not by the browser's claim
    stored = Path(row.file.name)
    assert stored.parts[0] == "submissions" and len(stored.stem) == 32  # a generated name
    assert (media / row.file.name).resolve().is_relative_to(media.resolve())
    download = client.get(reverse("submissions:file", args=[submission.pk, row.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_display_name_strips_nul_and_control_characters():
    assert display_name("a\x00b\x1b[31m.pdf") == "ab[31m.pdf"
    assert display_name("") == "未命名文件"


def test_the_web_import_keeps_a_clean_file_name(client, editor, media):
    client.force_login(editor)
    name = "../../简报\u202edm.txt"
    response = client.post(
        reverse("bulletins:import"),
        {"file": SimpleUploadedFile(name, SEED.read_bytes(), content_type="text/plain")},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "简报dm.txt" in page and "\u202e" not in page and "../" not in page
    kept = media_files(media)
    assert len(kept) == 1 and kept[0].parent == media / "imports" and len(kept[0].stem) == 32


def test_request_limits_are_set(settings):
    """Django keeps non-file fields to 10 MB and the number of files to 40 a request; each
    file kind has its own cap (above). The whole request is capped by the proxy (README)."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 40
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * MB  # larger files spool to disk
