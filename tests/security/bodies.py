"""A body holding every element the sanitiser allows (core.sanitise.ALLOWED_TAGS), in the
form it is stored; shared by the round-trip tests (server side and in the browser)."""

from core.sanitise import ALLOWED_TAGS

# <b> and <i> are allowed on the way in and stored as <strong>/<em> (core.canonical): the
# stored form below holds the elements as the editor writes them back.
EVERY_ELEMENT = (
    "<h3>一、三级小标题</h3><h4>（一）四级小标题</h4><h5>1. 五级小标题</h5>"
    "<p>正文<strong>加粗</strong>与<em>楷体</em>，<u>下划线</u>，<s>删除线</s>，"
    'H<sub>2</sub>O 与 m<sup>2</sup>，<br>换行后<a href="https://example.org/a?b=1&amp;c=2" '
    'rel="noopener">一个链接</a>。</p>'
    "<ul><li>无序一</li><li>无序二<ol><li>嵌套有序</li></ol></li></ul>"
    "<ol><li>有序一</li></ol>"
    "<blockquote><p>引用的一段话。</p></blockquote>"
    '<table><thead><tr><th>单位</th><th colspan="2">数量</th></tr></thead>'
    '<tbody><tr><td rowspan="2">甲</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>'
    "</tbody></table>"
)
COVERED = {"p", "br", "strong", "em", "u", "s", "sub", "sup", "h3", "h4", "h5", "ul", "ol"}
COVERED |= {"li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a"}
# "img" is added by the tests (a picture of the submission's own); b and i are spelt
# strong/em when stored.
assert COVERED | {"img", "b", "i"} == ALLOWED_TAGS

# EVERY_ELEMENT as the editor sends it back after loading it (captured from
# django-prose-editor 0.28 in Chromium, tests/security/test_editor_browser.py): header row
# inside <tbody>, every list item's and cell's text in a <p>, attributes reordered.
EDITOR_SPELLING = (
    "<h3>一、三级小标题</h3><h4>（一）四级小标题</h4><h5>1. 五级小标题</h5>"
    "<p>正文<strong>加粗</strong>与<em>楷体</em>，<u>下划线</u>，<s>删除线</s>，"
    'H<sub>2</sub>O 与 m<sup>2</sup>，<br>换行后<a rel="noopener" '
    'href="https://example.org/a?b=1&amp;c=2">一个链接</a>。</p>'
    '<ul><li><p>无序一</p></li><li><p>无序二</p><ol data-type="decimal"><li><p>嵌套有序</p>'
    '</li></ol></li></ul><ol data-type="decimal"><li><p>有序一</p></li></ol>'
    "<blockquote><p>引用的一段话。</p></blockquote>"
    '<table><tbody><tr><th><p>单位</p></th><th colspan="2"><p>数量</p></th></tr>'
    '<tr><td rowspan="2"><p>甲</p></td><td><p>1</p></td><td><p>2</p></td></tr>'
    "<tr><td><p>3</p></td><td><p>4</p></td></tr></tbody></table>"
)
