import pytest

from core.sheets import escape_cell
from distribution.addresses import AddressRejected, clean_text_cell, normalise_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  zhang@example.org ", "zhang@example.org"),
        ("Zhang.San@Example.ORG", "Zhang.San@example.org"),  # only the domain is lower-cased
        ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ", "zhang@example.org"),  # full-width, NFKC
        ("\u3000li@example.org\u3000", "li@example.org"),  # ideographic spaces around
        ("wang+bulletin@mail.example.org", "wang+bulletin@mail.example.org"),
    ],
)
def test_addresses_are_normalised(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "为空"),
        (None, "为空"),
        ("=1+1@example.com", "公式"),
        ("+cmd@example.com", "公式"),
        ("-2@example.com", "公式"),
        ("@evil@example.com", "公式"),
        ("zh\u200bang@example.org", "不可见"),  # zero-width space
        ("li\u202e@example.org", "不可见"),  # right-to-left override
        ("wang\x07@example.org", "不可见"),  # control character
        ("wang li@example.org", "空白"),
        ("no-at-sign.example.org", "缺少 @"),
        ("zhang@", "缺少 @"),
        ("zhang@localhost", "格式不正确"),
        ("zhang@@example.org", "格式不正确"),
    ],
)
def test_bad_addresses_are_rejected_with_a_chinese_reason(raw, reason):
    with pytest.raises(AddressRejected, match=reason):
        normalise_email(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 10 1234", "'+86 10 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("张三", "张三"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cells_are_escaped_for_spreadsheets(value, expected):
    assert escape_cell(value) == expected


def test_text_cells_refuse_control_characters():
    assert clean_text_cell(" 科技部 ", label="单位", max_length=60) == "科技部"
    with pytest.raises(AddressRejected, match="单位中含有不可见"):
        clean_text_cell("科技\u200d部", label="单位", max_length=60)
    with pytest.raises(AddressRejected, match="姓名为空"):
        clean_text_cell("  ", label="姓名", max_length=50)


def test_the_reason_names_the_invisible_characters():
    with pytest.raises(AddressRejected, match=r"U\+200B、U\+202E"):
        normalise_email("a\u200bb\u202ec@example.org")
