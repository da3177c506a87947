"""Real files for upload tests, built in memory: a minimal but genuine .docx (zipfile +
WordprocessingML, as Word writes it), a minimal .xlsx, PNG/JPEG images and a PDF."""

import io
import zipfile
from xml.sax.saxutils import escape

from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""


def _image_run(rel_id: str) -> str:
    return f"""<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">
<wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="图片 1" descr="会议现场"/>
<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:nvPicPr><pic:cNvPr id="1" name="image1.png" descr="会议现场"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="{rel_id}"/></pic:blipFill>
<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"""


def make_docx(
    paragraphs,
    *,
    title: str | None = None,
    image: bytes | None = None,
    links: dict[str, str] | None = None,
    macros: bool = False,
    external_image_url: str | None = None,
) -> bytes:
    """A .docx with an optional Title paragraph, body paragraphs, an embedded PNG, hyperlinks
    ``{text: target}``, a macro part, or an image linked to an external URL."""
    body = []
    if title:
        body.append(
            '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>'
            f"<w:r><w:t>{escape(title)}</w:t></w:r></w:p>"
        )
    for text in paragraphs:
        body.append(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')
    rels = []
    if image is not None:
        rels.append(
            '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/image" Target="media/image1.png"/>'
        )
        body.append(f"<w:p>{_image_run('rIdImg')}</w:p>")
    if external_image_url:
        rels.append(
            '<Relationship Id="rIdExt" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/image" Target="{escape(external_image_url)}" '
            'TargetMode="External"/>'
        )
        body.append(f"<w:p>{_image_run('rIdExt')}</w:p>")
    for n, (text, target) in enumerate((links or {}).items()):
        rels.append(
            f'<Relationship Id="rIdLink{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/hyperlink" Target="{escape(target)}" TargetMode="External"/>'
        )
        body.append(
            f'<w:p><w:hyperlink r:id="rIdLink{n}"><w:r><w:t>{escape(text)}</w:t></w:r>'
            "</w:hyperlink></w:p>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _DOCX_CONTENT_TYPES.format(main=_DOCM_MAIN if macros else _DOCX_MAIN),
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", doc_rels)
        if image is not None:
            archive.writestr("word/media/image1.png", image)
        if macros:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake macro storage")
    return out.getvalue()


def make_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def make_png(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def make_jpeg_with_comment(comment: bytes = b"SECRET-HIDDEN-TEXT") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 10)).save(out, format="JPEG", comment=comment)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
