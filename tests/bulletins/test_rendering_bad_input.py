"""Bad input: huge tables and images, empty sections, an end matter too tall for the
foot of the page, scripts in bodies, renders that fail half way."""

import os
from datetime import date

import pytest
from PIL import Image
from weasyprint.formatting_structure import boxes

from bulletins.document import (
    DEFAULT_SECTIONS,
    EndMatter,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)
from bulletins.rendering import RenderError, render_pdf, render_pdf_to_file
from bulletins.rendering import pdf as pdf_module
from bulletins.rendering.markup import print_html
from bulletins.rendering.pdf import _find_box, render_html_to_pdf, settle_end_matter

from .rendering_helpers import find_in_order, outline_entries, pdf_pages_text, squash
from .seed_documents import build_seed_001

PX_PER_MM = 96 / 25.4
TEXT_WIDTH_PX = 448 * 96 / 72  # 32 characters of 14pt


def small_document(*sections: SectionDoc, **kwargs) -> IssueDocument:
    return IssueDocument(
        masthead=Masthead(
            volume_year=2024, number=2, cumulative_number=73, issued_on=date(2024, 5, 8)
        ),
        sections=list(sections),
        end_matter=EndMatter(
            report_to="科技部",
            send_to="各试点联盟",
            editor="杨丹泽",
            reviewer="尚辉良",
            signer="李新男",
        ),
        **kwargs,
    )


def item(title, body="<p>正文。</p>", attribution="（测试产业技术创新战略联盟秘书处供稿）"):
    return ItemDoc(title=title, body_html=body, attribution=attribution)


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    (root / "bulletins").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


def replaced_boxes(weasy_document):
    found = []

    def walk(box, page):
        if isinstance(box, boxes.ReplacedBox):
            found.append((page, box))
        for child in getattr(box, "children", []):
            walk(child, page)

    for number, page in enumerate(weasy_document.pages, start=1):
        walk(page._page_box, number)
    return found


def test_a_huge_table_breaks_across_pages_with_its_header_repeated():
    rows = "".join(
        f"<tr><td>{n}</td><td>第{n}号测试产业技术创新战略联盟</td><td>{100 + n}</td></tr>"
        for n in range(1, 301)
    )
    header = "<tr><th>序号</th><th>联盟名称</th><th>批次</th></tr>"
    body = f"<p>名单如下：</p><table>{header}{rows}</table>"
    document = small_document(SectionDoc(title=DEFAULT_SECTIONS[1], items=[item("名单", body)]))
    result = render_pdf(document)
    pages = pdf_pages_text(result.pdf)
    table_pages = [p for p in pages if "号测试产业技术创新战略联盟" in p]
    assert len(table_pages) >= 5
    for text in table_pages:
        assert "联盟名称" in text and "批次" in text  # the header row on every page
    find_in_order(squash("".join(pages)), [f"第{n}号" for n in range(1, 301)])


def test_huge_images_are_held_to_the_text_width_and_a_maximum_height(media_root):
    wide = media_root / "bulletins" / "wide.jpg"
    tall = media_root / "bulletins" / "tall.png"
    Image.linear_gradient("L").resize((6000, 4000)).convert("RGB").save(wide, quality=90)
    Image.linear_gradient("L").resize((300, 6000)).save(tall)
    body = (
        '<p>会议现场：</p><img src="bulletins/wide.jpg" alt="会议现场" width="6000" height="4000">'
        '<p>展板：</p><img src="/media-not-served/bulletins/tall.png" alt="展板">'
    )
    document = small_document(SectionDoc(title=DEFAULT_SECTIONS[2], items=[item("图片", body)]))
    pdf, weasy_document, fetcher = render_html_to_pdf(print_html(document))
    images = replaced_boxes(weasy_document)
    assert len(images) == 2, fetcher.refused
    for _, box in images:
        assert box.width <= TEXT_WIDTH_PX + 0.5
        assert box.height <= 110 * PX_PER_MM + 0.5
    (_, wide_box), (_, tall_box) = images
    assert wide_box.width == pytest.approx(TEXT_WIDTH_PX, abs=1)
    assert wide_box.width / wide_box.height == pytest.approx(1.5, rel=0.01)  # not distorted
    assert tall_box.height == pytest.approx(110 * PX_PER_MM, abs=1)
    assert len(pdf) < 1024 * 1024  # 24-megapixel photo downsampled for print


def test_an_empty_section_is_left_out_of_the_body_and_the_toc():
    document = small_document(
        SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("政策新闻", attribution="")]),
        SectionDoc(title=DEFAULT_SECTIONS[1], items=[]),
        SectionDoc(title=DEFAULT_SECTIONS[2], items=[item("联盟新闻")]),
    )
    result = render_pdf(document)
    text = squash("".join(pdf_pages_text(result.pdf)))
    assert DEFAULT_SECTIONS[1] not in text
    find_in_order(text, ["本期导读", DEFAULT_SECTIONS[0], "政策新闻", DEFAULT_SECTIONS[2]])
    assert "section-2" not in result.page_map
    assert {"section-1", "section-3", "item-1", "item-2"} <= set(result.page_map)


def test_free_blocks_print_after_the_sections():
    from bulletins.document import FreeBlockDoc

    thanks = FreeBlockDoc(
        title="致谢", body_html="<p>衷心感谢各试点联盟的关心支持！</p><p>衷心祝愿大家新春愉快！</p>"
    )
    document = small_document(
        SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("政策")]), free_blocks=[thanks]
    )
    result = render_pdf(document)
    text = squash("".join(pdf_pages_text(result.pdf)))
    find_in_order(text, ["政策", "致谢", "衷心感谢各试点联盟的关心支持！", "签发：李新男"])
    assert result.page_map["block-1"] == result.pages
    outline = outline_entries(result.pdf)
    assert (1, "致谢", result.pages) in outline


def test_an_issue_without_items_still_prints_masthead_and_end_matter():
    result = render_pdf(small_document(SectionDoc(title=DEFAULT_SECTIONS[0])))
    text = squash("".join(pdf_pages_text(result.pdf)))
    assert result.pages == 1
    assert "本期导读" not in text
    find_in_order(text, ["简报", "2024年第2期（总第73期）", "报：科技部", "签发：李新男"])


def end_matter_gap(weasy_document) -> float:
    """Space left between the bottom of the 版记 and the foot of the text area (px)."""
    page_box = weasy_document.pages[-1]._page_box
    box = _find_box(page_box, "end-matter")
    return page_box.content_box_y() + page_box.height - (box.position_y + box.margin_height())


@pytest.mark.parametrize("extra_paragraphs", [0, 3, 6, 10, 14])
def test_the_end_matter_sits_whole_at_the_foot_of_the_last_page(extra_paragraphs):
    """Whether it fits under the last item or needs a page of its own (GB/T 9704)."""
    document = build_seed_001()
    document.items[-1].body_html += "<p>补充段落。</p>" * extra_paragraphs
    pdf, weasy_document, _ = render_html_to_pdf(print_html(document))
    assert end_matter_gap(weasy_document) == pytest.approx(0, abs=0.5)
    pages = pdf_pages_text(pdf)
    assert sum(squash(p).count("签发：李新男") for p in pages) == 1
    last = squash(pages[-1])
    find_in_order(last, ["报：", "送：", "本期编辑：杨丹泽", "审核：尚辉良", "签发：李新男"])
    bookmarks = weasy_document.pages[-1].bookmarks
    y = next(target[1] for _, label, target, _ in bookmarks if label == "版记")
    assert y == pytest.approx(weasy_document.pages[-1].anchors["end-matter"][1])


def test_an_end_matter_taller_than_a_page_is_printed_whole_in_the_flow():
    document = build_seed_001()
    document.end_matter.contact_lines = [f"联系人{n}：电话010-6218{n:04d}" for n in range(80)]
    pdf, weasy_document, _ = render_html_to_pdf(print_html(document))
    assert settle_end_matter(weasy_document) == 0  # not moved: it spans pages
    text = squash("".join(pdf_pages_text(pdf)))
    find_in_order(text, ["报：", "送：", "签发：李新男", *(f"联系人{n}：" for n in range(80))])


def test_scripts_and_handlers_in_bodies_never_reach_the_pdf():
    body = (
        '<p onclick="steal()">正文<script>alert("x")</script></p>'
        '<img src="x.png" onerror="alert(1)"><iframe src="https://evil.example/">框</iframe>'
        '<style>p { display: none }</style><p style="display:none">隐藏段落</p>'
    )
    document = small_document(SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("安全", body)]))
    text = squash("".join(pdf_pages_text(render_pdf(document).pdf)))
    assert "alert" not in text
    assert "display" not in text
    assert "隐藏段落" in text  # style attributes are dropped, so nothing can be hidden


def test_an_unknown_pdf_variant_is_refused():
    with pytest.raises(RenderError, match="不支持"):
        render_pdf(build_seed_001(), pdf_variant="pdf/x-1")


def test_a_render_failing_half_way_raises_a_clear_error_and_keeps_the_old_file(
    monkeypatch, tmp_path
):
    target = tmp_path / "issues" / "2023-1.pdf"
    good = render_pdf_to_file(build_seed_001(), target)
    before = target.read_bytes()
    assert good.sha256 and before == good.pdf

    from weasyprint.document import Document

    def fail(self, *args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(Document, "write_pdf", fail)
    with pytest.raises(RenderError) as caught:
        render_pdf_to_file(build_seed_001(), target)
    message = str(caught.value)
    assert "2023年第1期（总第66期）" in message and "排版失败" in message
    assert "No space left on device" in message
    assert isinstance(caught.value.__cause__, OSError)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["2023-1.pdf"]


def test_a_write_failing_half_way_leaves_no_partial_file(monkeypatch, tmp_path):
    target = tmp_path / "2023-1.pdf"
    target.write_bytes(b"%PDF-1.7 the good old file")

    def fail(src, dst):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk unplugged"):
        render_pdf_to_file(build_seed_001(), target)
    assert target.read_bytes() == b"%PDF-1.7 the good old file"
    assert [p.name for p in tmp_path.iterdir()] == ["2023-1.pdf"]


def test_a_new_file_appears_whole(tmp_path):
    target = tmp_path / "new" / "issue.pdf"
    result = render_pdf_to_file(build_seed_001(), target)
    assert target.read_bytes() == result.pdf
    assert oct(target.stat().st_mode & 0o777) == "0o640"


def test_layout_errors_are_wrapped(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf_module, "render_html_to_pdf", broken)
    with pytest.raises(RenderError, match="layout exploded"):
        render_pdf(build_seed_001())
