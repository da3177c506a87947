"""core.text: the plain text of sanitised HTML."""

from core.text import has_content, html_index_text, html_lines, html_to_text

BODY = (
    "<h4>一、会议</h4><p>第一段&amp;说明</p><p>第二段<br>换行</p>"
    "<table><tbody><tr><th>单位</th><th>人数</th></tr><tr><td>甲</td><td>3</td></tr>"
    "</tbody></table><ul><li>一项</li></ul>"
)


def test_html_lines_one_line_per_block_and_row():
    assert html_lines(BODY) == [
        "一、会议",
        "第一段&说明",
        "第二段",
        "换行",
        "单位\t人数",
        "甲\t3",
        "一项",
    ]
    # (the version diff's rows, as they always read: each cell closed by its separator)
    assert html_lines(BODY, cell_separator=" | ")[4:6] == ["单位 | 人数 |", "甲 | 3 |"]
    assert html_to_text(BODY).split("\n") == html_lines(BODY)
    assert html_lines(None) == [] and html_to_text("") == ""


def test_html_index_text_keeps_block_boundaries_as_spaces():
    assert html_index_text("<p>甲</p><p>乙</p>").split() == ["甲", "乙"]
    assert html_index_text("<p>a&nbsp;b</p>").split() == ["a", "b"]


def test_has_content():
    assert not has_content("<p> &nbsp; </p><p><br></p>")
    assert not has_content(None)
    assert has_content("<p>字</p>")
    assert has_content('<p><img src="submissions/1/a.png"></p>')
