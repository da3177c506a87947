"""core.sanitise: the allow-list of bulletin and submission bodies, and images' sources."""

import pytest

from core.sanitise import ALLOWED_TAGS, media_relative_path, sanitise_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>正文</p>", "<p>正文</p>"),
        ("<p onclick='x()' style='color:red' class='c' id='i'>正文</p>", "<p>正文</p>"),
        ("<script>alert(1)</script><p>a</p>", "<p>a</p>"),
        ("<style>p{}</style><p>a</p>", "<p>a</p>"),
        ("<div><span>文字</span></div>", "文字"),
        (
            "<h2>大标题</h2><h3>三</h3><h4>四</h4><h5>五</h5><h6>六</h6>",
            "大标题<h3>三</h3><h4>四</h4><h5>五</h5>六",
        ),
        (
            "<p>2022年工作<sub>及</sub>H<sup>2</sup></p>",
            "<p>2022年工作<sub>及</sub>H<sup>2</sup></p>",
        ),
        # spelt the way the editor writes them back (core.canonical): b/i as strong/em,
        # neighbouring marks joined, a quote's text in a paragraph
        (
            "<p><strong>粗</strong><b>b</b><em>斜</em><i>i</i><u>u</u><s>s</s><br></p>",
            "<p><strong>粗b</strong><em>斜i</em><u>u</u><s>s</s><br></p>",
        ),
        ("<ul><li>一</li></ul><ol><li>二</li></ol>", "<ul><li>一</li></ul><ol><li>二</li></ol>"),
        ("<ul><li><p>一</p></li></ul>", "<ul><li>一</li></ul>"),
        ("<blockquote>引</blockquote>", "<blockquote><p>引</p></blockquote>"),
        # tables: colspan/rowspan kept when they are small numbers; a leading row of
        # header cells is the table's <thead> (the editor moves it into <tbody>)
        (
            '<table><tr><th colspan="2" style="x">h</th></tr><tr><td rowspan="3">1</td>'
            '<td rowspan="x" colspan="0" width="9"><p>2</p></td></tr></table>',
            '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td rowspan="3">1'
            "</td><td>2</td></tr></tbody></table>",
        ),
        # images: only paths inside the media folder
        (
            '<img src="bulletins/2023/a.png" alt="图" width="640" height="480" onerror="x">',
            '<img src="bulletins/2023/a.png" alt="图" width="640" height="480">',
        ),
        (
            '<img src="/media-not-served/bulletins/a.png">',
            '<img src="/media-not-served/bulletins/a.png">',
        ),
        ('<img src="http://example.com/a.png">', "<img>"),
        ('<img src="https://example.com/a.png">', "<img>"),
        ('<img src="//example.com/a.png">', "<img>"),
        ('<img src="data:image/png;base64,iVBORw0KGgo=">', "<img>"),
        ('<img src="file:///etc/passwd">', "<img>"),
        ('<img src="/etc/passwd">', "<img>"),
        ('<img src="../../etc/passwd">', "<img>"),
        ('<img src="a/%2e%2e/%2e%2e/etc/passwd">', "<img>"),
        ('<img src="a\\..\\b.png">', "<img>"),
        ('<img src="a.png" width="99999" height="-1">', '<img src="a.png">'),
        # links: http, https, mailto only, rel=noopener
        (
            '<a href="https://www.citisa.org">网站</a>',
            '<a href="https://www.citisa.org" rel="noopener">网站</a>',
        ),
        (
            '<a href="mailto:tougao@citisa.org">投稿</a>',
            '<a href="mailto:tougao@citisa.org" rel="noopener">投稿</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener">x</a>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener">x</a>'),
        ('<a href="/admin/">x</a>', '<a rel="noopener">x</a>'),
        ('<a href="file:///etc/passwd" rel="attachment">x</a>', '<a rel="noopener">x</a>'),
        ('<a href="data:text/html,x">x</a>', '<a rel="noopener">x</a>'),
        ("<!-- 批注 --><p>a</p>", "<p>a</p>"),
        ("", ""),
    ],
)
def test_sanitise(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_sanitise_is_idempotent():
    html = '<p>a<img src="x/a.png" alt="q&gt;r"></p><table><tr><td colspan="2">1</td></tr></table>'
    once = sanitise_html(html)
    assert sanitise_html(once) == once


def test_the_allow_list_is_what_bulletins_need():
    assert {"p", "h4", "table", "img", "a", "sub", "sup", "blockquote"} <= ALLOWED_TAGS
    assert not {"script", "style", "iframe", "object", "form", "svg", "span", "div"} & ALLOWED_TAGS


@pytest.mark.parametrize(
    ("src", "path"),
    [
        ("bulletins/a.png", "bulletins/a.png"),
        ("/media-not-served/bulletins/a.png", "bulletins/a.png"),
        ("bulletins/%E5%9B%BE.png", "bulletins/图.png"),
        ("/static/x.png", None),
        ("bulletins/a.png?x=1", None),
        ("bulletins//a.png", None),
        ("./a.png", None),
        ("", None),
    ],
)
def test_media_relative_path(src, path):
    assert media_relative_path(src) == path


# --- images' sources: the one <img src> pattern -------------------------------------------
def test_image_sources_reads_both_quotes_and_decodes_entities():
    from core.sanitise import image_sources

    html = (
        '<p><img alt="x" src="a/b&amp;c.png"></p><IMG SRC=\'d/e.jpg\'>'
        '<img data-src="no.png"><p>src="not-an-image"</p>'
    )
    assert image_sources(html) == ["a/b&c.png", "d/e.jpg"]
    assert image_sources(None) == []


def test_image_sources_rewrite_escapes_and_keeps_what_it_is_not_asked_to_change():
    from core.sanitise import image_sources_rewrite

    html = '<p><img src="keep.png" alt=""><img src="x/1.png" alt="一"></p>'

    def rewrite(src):
        return f"/media?p={src}&v=1" if src.startswith("x/") else None

    assert image_sources_rewrite(html, rewrite) == (
        '<p><img src="keep.png" alt=""><img src="/media?p=x/1.png&amp;v=1" alt="一"></p>'
    )
    assert image_sources_rewrite("", rewrite) == ""
