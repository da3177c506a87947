"""Issue 17, finding 5: active content in attachments is refused, with the reason named.

An Office file whose XML declares a DTD (the "billion laughs" entity expansion) was stored
as an attachment, and through the .docx import field got a generic 「可能已损坏」; a PDF
with JavaScript, launch or automatic actions was stored unchanged. Each is refused in the
secretariat's form (typed text and the other, valid upload kept; nothing written), and
ordinary PDFs (pdfTeX's /OpenAction reference, WeasyPrint's object streams) still pass."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadRejected, check_upload
from submissions.models import Submission, SubmissionFile
from tests.security.test_uploads import (
    TYPED_TITLE,
    media_files,
    post_submission,
    xlsx,
    zip_bytes,
)
from tests.submissions.files import PDF, make_docx

pytestmark = pytest.mark.django_db

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
DTD_MESSAGE = "含有文档类型声明（DTD），可能用于实体扩展攻击"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def with_dtd(base: bytes, part: str, *, encoding: str = "utf-8") -> bytes:
    """``base`` (a .docx/.xlsx) with the DTD put in front of ``part``'s root element."""
    archive = zipfile.ZipFile(io.BytesIO(base))
    members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    xml = members[part].decode("utf-8")
    root = xml[xml.index("?>") + 2 :] if xml.startswith("<?xml") else xml
    text = LAUGHS.decode() + root.replace("<w:t>", "<w:t>&lol3;", 1)
    members[part] = text.encode(encoding)
    return zip_bytes(members)


def pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def object_stream(content: bytes, *, filters=b"/FlateDecode") -> bytes:
    packed = zlib.compress(content) if filters == b"/FlateDecode" else content.hex().encode()
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter %s >>\nstream\n"
        % (len(packed), filters)
        + packed
        + b"\nendstream"
    )


DOCX = make_docx(["正文第一段。"])
OFFICE = {
    "docx-dtd-document": with_dtd(DOCX, "word/document.xml"),
    "docx-dtd-utf16": with_dtd(DOCX, "word/document.xml", encoding="utf-16"),
    "docx-dtd-content-types": with_dtd(DOCX, "[Content_Types].xml"),
}
PDFS = {
    "pdf-open-action-js": pdf(
        b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    ),
    "pdf-hex-escaped-name": pdf(CATALOG, b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "pdf-launch": pdf(CATALOG, b"<< /S /Launch /F (cmd.exe) >>"),
    "pdf-auto-action": pdf(b"<< /Type /Page /AA << /O 3 0 R >> >>", b"<< /S /URI >>"),
    "pdf-embedded-file": pdf(CATALOG, b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream"),
    "pdf-open-action-uri": pdf(b"<< /Type /Catalog /OpenAction << /S /URI /URI (http://x) >> >>"),
    "pdf-js-in-object-stream": pdf(CATALOG, object_stream(b"3 0 << /S /JavaScript /JS (x) >>")),
    "pdf-object-stream-uninspectable": pdf(
        CATALOG, object_stream(b"3 0 << /S /URI >>", filters=b"/ASCIIHexDecode")
    ),
}
REASONS = {
    "pdf-open-action-js": "JavaScript 脚本",
    "pdf-hex-escaped-name": "JavaScript 脚本",
    "pdf-launch": "启动外部程序",
    "pdf-auto-action": "自动执行的动作（/AA）",
    "pdf-embedded-file": "嵌入的文件",
    "pdf-open-action-uri": "打开时自动执行的动作（/OpenAction）",
    "pdf-js-in-object-stream": "JavaScript 脚本",
    "pdf-object-stream-uninspectable": "无法检查的压缩内容",
}


def assert_refused_and_nothing_lost(response, submission, message, media, kept_name):
    page = response.content.decode()
    assert response.status_code == 400, page[:300]
    assert message in page, f"{message!r} not shown"
    assert "可能已损坏" not in page
    assert submission.status == Submission.Status.DRAFT
    assert submission.title == TYPED_TITLE and "北京召开理事会" in submission.body_html
    kept = submission.files.exclude(kind="source")
    assert [f.original_name for f in kept] == [kept_name]
    stored = {media / name for name in SubmissionFile.objects.values_list("file", flat=True)}
    assert set(media_files(media)) == stored


@pytest.mark.parametrize("field", ["attachments", "docx"])
@pytest.mark.parametrize("attack", sorted(OFFICE))
def test_an_office_file_declaring_a_dtd_is_refused_naming_the_reason(
    field, attack, client, secretary_a, media
):
    client.force_login(secretary_a)
    upload = SimpleUploadedFile("实体.docx", OFFICE[attack])
    response, submission = post_submission(client, field, upload)
    kept = "好图.jpg" if field == "attachments" else "通知.pdf"
    assert_refused_and_nothing_lost(response, submission, DTD_MESSAGE, media, kept)


def test_a_workbook_declaring_a_dtd_is_refused():
    with pytest.raises(UploadRejected, match="文档类型声明"):
        check_upload(SimpleUploadedFile("名单.xlsx", with_dtd(xlsx(), "xl/workbook.xml")))


@pytest.mark.parametrize("attack", sorted(PDFS))
def test_a_pdf_with_active_content_is_refused_naming_the_reason(attack, client, secretary_a, media):
    client.force_login(secretary_a)
    upload = SimpleUploadedFile("通知.pdf", PDFS[attack])
    response, submission = post_submission(client, "attachments", upload)
    assert_refused_and_nothing_lost(response, submission, REASONS[attack], media, "好图.jpg")


def test_ordinary_pdfs_pass():
    weasyprint = pytest.importorskip("weasyprint")
    made = weasyprint.HTML(string='<p>通知</p><a href="https://www.citisa.org">网站</a>')
    harmless = {
        "minimal": PDF,
        "weasyprint (object streams, a link)": made.write_pdf(),
        "destination open action": pdf(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>"),
        "referenced open action": pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"[3 0 R /Fit]"),
        "go-to open action": pdf(b"<< /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>"),
        "flate object stream": pdf(CATALOG, object_stream(b"3 0 << /Type /Page >>")),
    }
    for label, data in harmless.items():
        assert check_upload(SimpleUploadedFile("通知.pdf", data)).extension == "pdf", label
