"""Upload checks by content, image re-encoding, the .docx conversion and the sanitiser."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.sanitise import clean_body
from core.text import html_to_text
from core.uploads import IMAGE_TYPES, UploadRejected, check_upload, sniff
from submissions.bodies import for_display, for_storage
from submissions.docx import convert_docx

from .files import PDF, make_docx, make_jpeg_with_comment, make_png, make_xlsx


def up(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (make_png(), "png"),
        (make_jpeg_with_comment(), "jpg"),
        (make_docx(["正文"]), "docx"),
        (make_xlsx(), "xlsx"),
        (b"MZ\x90\x00", None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_sniff_by_content(data, kind):
    assert sniff(data) == kind


def test_the_file_name_does_not_decide_the_type():
    checked = check_upload(up("照片.exe", PDF))
    assert (checked.extension, checked.original_name) == ("pdf", "照片.pdf")
    with pytest.raises(UploadRejected, match="文件类型不支持"):
        check_upload(up("通知.pdf", b"#!/bin/sh\nrm -rf /"))


def test_a_zip_that_is_neither_docx_nor_xlsx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    with pytest.raises(UploadRejected, match="文件内容并不是Word"):
        check_upload(up("资料.docx", out.getvalue()))
    with pytest.raises(UploadRejected, match="文件类型不支持"):
        check_upload(up("资料.zip", out.getvalue()))


def test_a_zip_bomb_is_refused(monkeypatch):
    from core import uploads

    monkeypatch.setattr(uploads, "MAX_UNZIPPED", 10_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(make_docx(["x"])))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("word/padding.xml", b"0" * 50_000)
    with pytest.raises(UploadRejected, match="解压后过大"):
        check_upload(up("大.docx", out.getvalue()))


def test_macros_are_refused():
    with pytest.raises(UploadRejected, match="含有宏"):
        check_upload(up("宏.docx", make_docx(["x"], macros=True)))


def test_images_only_where_images_are_asked_for():
    with pytest.raises(UploadRejected, match="这里只能上传 JPG、PNG 文件"):
        check_upload(up("图.png", PDF), allowed=IMAGE_TYPES)


def test_images_are_reencoded_from_pixels_only():
    checked = check_upload(up("现场.jpg", make_jpeg_with_comment()), allowed=IMAGE_TYPES)
    assert b"SECRET-HIDDEN-TEXT" not in checked.data
    image = Image.open(io.BytesIO(checked.data))
    assert image.format == "JPEG" and image.size == (32, 32)
    assert "comment" not in image.info and "exif" not in image.info


def test_big_images_are_downsized_and_transparency_kept():
    out = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (0, 0, 0, 0)).save(out, format="PNG")
    checked = check_upload(up("透明.png", out.getvalue()), allowed=IMAGE_TYPES)
    image = Image.open(io.BytesIO(checked.data))
    assert image.format == "PNG" and image.mode == "RGBA" and max(image.size) == 2000


def test_a_truncated_image_is_refused():
    data = make_png((200, 200))[:60]
    with pytest.raises(UploadRejected, match="无法作为图片打开"):
        check_upload(up("坏图.png", data), allowed=IMAGE_TYPES)


def test_docx_conversion_never_fetches_and_drops_unsafe_links(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the converter tried to fetch something")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    saved = []
    result = convert_docx(
        make_docx(
            ["第一段。"],
            title="标题",
            image=make_png(),
            links={"坏链接": "javascript:alert(1)", "数据": "data:text/html,<script>x</script>"},
            external_image_url="http://127.0.0.1:9/x.png",
        ),
        save_image=lambda data, ext: (
            saved.append((data, ext)) or f"submissions/1/{len(saved)}.{ext}"
        ),
    )
    assert result.title == "标题"
    assert "javascript" not in result.body_html and "data:" not in result.body_html
    assert len(saved) == 1 and saved[0][1] == "jpg"
    assert 'src="submissions/1/1.jpg"' in result.body_html
    assert any("无法读取" in note for note in result.notes)


def test_a_broken_docx_is_reported():
    broken = make_docx(["x"]).replace(b"word/document.xml", b"word/documenz.xml")
    with pytest.raises(UploadRejected):
        convert_docx(broken, save_image=lambda data, ext: "")


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>正文<script>alert(1)</script></p>", "<p>正文</p>"),
        ('<p onclick="x()">正文</p>', "<p>正文</p>"),
        ('<a href="javascript:alert(1)">链</a>', '<a rel="noopener">链</a>'),
        ('<a href="data:text/html,x">链</a>', '<a rel="noopener">链</a>'),
        ('<img src="https://evil.example/x.gif">', ""),
        ('<img src="//evil.example/x.gif">', ""),
        ('<img src="/etc/passwd">', ""),
        ('<img src="submissions/../../x.jpg">', ""),
        ('<img src="submissions/1/a.jpg" alt="图">', '<img src="submissions/1/a.jpg" alt="图">'),
        ("<p></p><p> </p>", ""),
        ("<p>甲</p><p></p>", "<p>甲</p>"),
    ],
)
def test_clean_body(dirty, clean):
    assert clean_body(dirty) == clean


def test_images_are_shown_through_the_submissions_view_and_stored_as_media_paths():
    stored = '<p>甲</p><img src="submissions/3/ab12.jpg" alt="">'
    shown = for_display(stored, 7)
    assert 'src="/submissions/7/media/submissions/3/ab12.jpg"' in shown
    assert for_storage(shown, images={"submissions/3/ab12.jpg"}) == stored
    # A URL of another submission's view is stored as the bare path when the picture is
    # one the body may show, and dropped when it is not (tests/security/
    # test_foreign_pictures.py).
    other = '<img src="/submissions/99/media/submissions/5/x.png">'
    assert for_storage(other, images={"submissions/5/x.png"}) == '<img src="submissions/5/x.png">'
    assert for_storage(other, images={"submissions/3/ab12.jpg"}) == ""


def test_html_to_text():
    assert html_to_text(
        "<h4>一、</h4><p>甲&amp;乙</p><table><tr><td>1</td><td>2</td></tr></table>"
    ) == ("一、\n甲&乙\n1\t2")


def test_a_truncated_image_is_refused_even_after_weasyprint_is_imported():
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    test_a_truncated_image_is_refused()
