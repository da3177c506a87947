"""The PDF of 2023年第1期 (seed 001) read back: text, order, TOC page numbers, fonts,
bookmarks, metadata, preview mark, PDF/A."""

import io
import re

import pytest
from pypdf import PdfReader

from bulletins.rendering import RenderResult, render_pdf
from bulletins.rendering.environment import REQUIRED_FACES

from .rendering_helpers import (
    embedded_fonts,
    find_in_order,
    outline_entries,
    pages_to_png,
    pdf_pages_text,
    squash,
)
from .seed_documents import build_seed_001

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def document():
    return build_seed_001()


@pytest.fixture(scope="module")
def final(document) -> RenderResult:
    return render_pdf(document)


@pytest.fixture(scope="module")
def final_pages(final) -> list[str]:
    return pdf_pages_text(final.pdf)


@pytest.fixture(scope="module")
def preview() -> RenderResult:
    return render_pdf(build_seed_001(watermark="送审稿", version_label="v3"))


def test_result_describes_the_pdf(final, final_pages):
    assert final.pdf.startswith(b"%PDF-")
    assert final.pages == len(PdfReader(io.BytesIO(final.pdf)).pages) == len(final_pages)
    assert 12 <= final.pages <= 24  # an issue of about 10,000 characters prints on 12–20 pages
    import hashlib

    assert final.sha256 == hashlib.sha256(final.pdf).hexdigest()
    assert len(final.pdf) <= MiB
    assert final.refused_urls == []


def toc_entries(page_text: str) -> list[tuple[str, int]]:
    """(label, page) of every 本期导读 line; a label wrapped over two lines is joined."""
    entries, pending = [], ""
    for line in page_text.splitlines():
        match = re.search(r"^(.*?)\s*\.{2,}\s*(\d+)\s*$", line)
        if match:
            entries.append((squash(pending + match.group(1)), int(match.group(2))))
            pending = ""
        elif entries or pending or "导读" not in squash(line):
            stripped = squash(line)
            # a section heading (■ …) or a blank line is not part of an entry
            pending = "" if not stripped or stripped.startswith("■") else pending + stripped
    return entries


def test_page_one_is_the_masthead_and_the_whole_toc(document, final_pages):
    page1 = final_pages[0]
    flat = squash(page1)
    find_in_order(
        flat,
        [
            "产业技术创新战略联盟试点工作",
            "简报",
            "2023年第1期（总第66期）",
            "联盟试点工作联络组办公室",
        ],
    )
    assert "2023年3月20日" in flat
    # issuer on the left, date on the right of the same line
    line = next(li for li in page1.splitlines() if "联盟试点工作联络组办公室" in li)
    assert line.rstrip().endswith("2023年3月20日")
    assert line.index("联盟试点工作联络组办公室") < line.index("2023年3月20日")
    find_in_order(flat, ["本期导读", *(s.title for s in document.sections)])
    assert "— 1 —" not in page1  # no page number on page 1


def test_toc_page_numbers_match_the_page_map_and_where_the_titles_really_are(
    document, final, final_pages
):
    entries = toc_entries(final_pages[0])
    assert [label for label, _ in entries] == [squash(i.toc_label) for i in document.items]
    for item, (_, page) in zip(document.items, entries, strict=True):
        assert page == final.page_map[item.anchor], item.toc_label
        assert squash(item.title) in squash(final_pages[page - 1]), (
            f"«{item.title}» is not on page {page}"
        )
    # the TOC groups entries under their sections, in order
    find_in_order(
        squash(final_pages[0]),
        [
            label
            for section in document.sections
            for label in (section.title, *(squash(i.toc_label) for i in section.items))
        ],
    )


def test_page_map_covers_sections_and_items_in_order(document, final):
    anchors = [a for s in document.sections for a in (s.anchor, *(i.anchor for i in s.items))]
    assert list(final.page_map) == anchors or set(final.page_map) == set(anchors)
    pages = [final.page_map[a] for a in anchors]
    assert pages == sorted(pages)
    assert pages[0] == 2  # the body starts after the masthead page
    assert pages[-1] == final.pages


def test_body_has_every_title_attribution_and_the_end_matter_in_order(document, final_pages):
    body = squash("".join(final_pages[1:]))
    needles = []
    for section in document.sections:
        needles.append("➤" + section.title)
        for item in section.items:
            needles.append(squash(item.title))
            if item.attribution:
                needles.append(squash(item.attribution))
    end = document.end_matter
    needles += [
        "报：" + squash(end.report_to),
        "送：" + squash(end.send_to),
        "本期编辑：" + end.editor,
        "审核：" + end.reviewer,
        "签发：" + end.signer,
        *(squash(line) for line in end.contact_lines),
    ]
    find_in_order(body, needles)
    # the 版记 is on the last page, and the body text is complete (a sample paragraph)
    assert "签发：李新男" in squash(final_pages[-1])
    assert squash("地方政府科技部门职责结合实际进行调整。") in body


def test_sub_headings_and_rejoined_paragraphs(final_pages):
    body = squash("".join(final_pages[1:]))
    find_in_order(body, ["一、深化党中央机构改革", "二、深化国务院机构改革"])
    # a paragraph cut by a page break in the old Word file reads as one again
    assert "国家关于土地承包期再延长30年的政策" in body


def test_page_numbers_on_every_page_but_the_first(final_pages):
    assert not re.search(r"—\s*\d+\s*—", final_pages[0])
    for number, text in enumerate(final_pages[1:], start=2):
        footer = [li for li in text.splitlines() if li.strip()][-1]
        assert squash(footer) == f"—{number}—", (number, footer)


def test_fonts_are_embedded_subset_and_simplified_chinese(final):
    fonts = embedded_fonts(final.pdf)
    assert fonts
    for font in fonts:
        assert font["files"], f"{font['name']} is not embedded"
        assert font["subset"], f"{font['name']} is embedded whole (no ABCDEF+ subset prefix)"
    names = {f["name"].split("+", 1)[1] for f in fonts}
    # exactly the bulletin's faces: no Japanese/Traditional shapes, and no extra face
    # pulled in by the page-number margin boxes (they do not inherit the body's font)
    assert names == {face.pdf_name for face in REQUIRED_FACES}


def test_bookmarks_for_sections_and_items(document, final):
    outline = outline_entries(final.pdf)
    level1 = [(title, page) for level, title, page in outline if level == 1]
    assert level1[0] == ("本期导读", 1)
    assert [t for t, _ in level1[1:-1]] == [s.title for s in document.sections]
    assert level1[-1] == ("版记", final.pages)
    items = [(title, page) for level, title, page in outline if level == 2]
    assert items == [(i.title, final.page_map[i.anchor]) for i in document.items]


def test_document_metadata(document, final):
    reader = PdfReader(io.BytesIO(final.pdf))
    assert (
        reader.metadata.title
        == document.title
        == ("产业技术创新战略联盟试点工作简报 2023年第1期（总第66期）")
    )
    assert reader.metadata.subject == "联盟试点工作联络组办公室 2023年3月20日"
    assert reader.metadata.author == "联盟试点工作联络组办公室"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_same_document_same_bytes(document, final):
    assert render_pdf(document).sha256 == final.sha256


def test_preview_is_marked_and_laid_out_exactly_like_the_final(final, preview, final_pages):
    assert preview.pages == final.pages
    assert preview.page_map == final.page_map
    preview_pages = pdf_pages_text(preview.pdf)
    for text in preview_pages:
        assert "送审稿" in text
        assert "v3" in text
    assert not any("送审稿" in text for text in final_pages)
    assert preview.sha256 != final.sha256


def test_pdf_a_3b_for_the_archived_final(document, final):
    archived = render_pdf(document, pdf_variant="pdf/a-3b")
    reader = PdfReader(io.BytesIO(archived.pdf))
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp
    assert b'pdfaid:conformance="B"' in xmp
    assert archived.pages == final.pages
    assert archived.page_map == final.page_map
    for font in embedded_fonts(archived.pdf):
        assert font["files"] and font["subset"], font


def test_pages_as_png_for_looking_at(final, preview, artifacts_dir):
    folder = artifacts_dir / "rendering"
    pngs = pages_to_png(final.pdf, folder, "seed-001-final")
    assert len(pngs) == final.pages
    assert all(p.stat().st_size > 5_000 for p in pngs)  # not blank pages
    assert len(pages_to_png(preview.pdf, folder, "seed-001-preview")) == preview.pages
