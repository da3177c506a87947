"""The web edition: the same IssueDocument as one HTML page readable on a phone."""

import re
from html.parser import HTMLParser

import pytest

from bulletins.document import DEFAULT_SECTIONS, SectionDoc
from bulletins.rendering import render_web_edition

from .rendering_helpers import find_in_order
from .seed_documents import build_seed_001
from .test_rendering_bad_input import item, small_document


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"style", "script"}

    def handle_endtag(self, tag):
        self.skip -= tag in {"style", "script"}

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", "", "".join(parser.parts))


@pytest.fixture(scope="module")
def seed_html():
    return render_web_edition(build_seed_001())


def test_web_edition_has_the_whole_issue_in_order(seed_html):
    document = build_seed_001()
    text = visible_text(seed_html)
    needles = ["产业技术创新战略联盟试点工作", "简报", "2023年第1期（总第66期）", "本期导读"]
    needles += [re.sub(r"\s+", "", i.toc_label) for i in document.items]
    for section in document.sections:
        needles.append(section.title)
        for it in section.items:
            needles.append(re.sub(r"\s+", "", it.title))
            if it.attribution:
                needles.append(it.attribution)
    needles += [
        "报：",
        "送：",
        "本期编辑：杨丹泽",
        "审核：尚辉良",
        "签发：李新男",
        "tougao@citisa.org",
    ]
    find_in_order(text, needles)


def test_web_edition_is_a_phone_page_with_working_toc_links(seed_html):
    assert '<html lang="zh-Hans">' in seed_html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in seed_html
    assert "<script" not in seed_html
    targets = re.findall(r'<a href="#([\w-]+)"', seed_html)
    ids = set(re.findall(r'id="([\w-]+)"', seed_html))
    assert len(targets) >= 25
    assert set(targets) <= ids


def test_web_edition_sanitises_bodies_and_routes_images_through_the_callers_url():
    body = (
        '<p onclick="x()">正文<script>alert(1)</script></p>'
        '<img src="bulletins/a.png" alt="图一"><img src="http://evil.example/b.png" alt="外链">'
        "<table><tr><th>序号</th></tr><tr><td>1</td></tr></table>"
    )
    document = small_document(SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("标题", body)]))
    html = render_web_edition(document, image_url=lambda path: f"/bulletins/media/{path}")
    assert "alert" not in html and "onclick" not in html
    assert '<img src="/bulletins/media/bulletins/a.png" alt="图一">' in html
    assert "evil.example" not in html
    assert '<div class="table-wrap"><table><thead>' in html


def test_web_edition_default_image_url_is_media_url(settings):
    settings.MEDIA_URL = "/m/"
    document = small_document(
        SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("标题", '<img src="x/a.png">')])
    )
    assert '<img src="/m/x/a.png">' in render_web_edition(document)


def test_web_edition_leaves_out_empty_sections_and_marks_previews():
    document = small_document(
        SectionDoc(title=DEFAULT_SECTIONS[0], items=[item("政策")]),
        SectionDoc(title=DEFAULT_SECTIONS[1]),
        watermark="送审稿",
        version_label="v2",
    )
    html = render_web_edition(document)
    assert DEFAULT_SECTIONS[1] not in html
    assert "送审稿 · v2" in visible_text(html).replace("·", " · ")
    final = render_web_edition(small_document(SectionDoc(title="x", items=[item("政策")])))
    assert "送审稿" not in final


@pytest.mark.browser
def test_web_edition_fits_a_phone_screen(page, seed_html):
    page.set_viewport_size({"width": 375, "height": 740})
    page.set_content(seed_html)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("h3.item-title").count() == 25
    page.get_by_role("link", name="粉末冶金联盟发布7项团体标准").click()
    assert page.evaluate("location.hash") == "#item-16"
    font_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p')).fontSize)")
    assert font_px >= 16
