"""The statistics page and its exports: who may see them, the filter, sorting, the
charts, CSV/XLSX contents."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from alliances.services import alliance_create
from tests.factories import make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db

URL = reverse("reports:statistics")
CSV = reverse("reports:statistics_export", args=["csv"])
XLSX = reverse("reports:statistics_export", args=["xlsx"])
RATINGS = reverse("alliances:ratings")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.EDITOR, True),
        (Role.ADMINISTRATOR, True),
        (Role.SECRETARIAT, False),
        (Role.RECIPIENT, False),
        (Role.REVIEWER, False),
        (Role.SIGNER, False),
    ],
)
@pytest.mark.parametrize("url", [URL, CSV, XLSX, RATINGS])
def test_only_editors_and_administrators(client, role, allowed, url, alliance_a):
    force_login_verified(client, make_user(role))
    response = client.get(url, {"year": 2023})
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "甲测试联盟" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("url", [URL, CSV, XLSX, RATINGS])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_nav_link_only_for_editors_and_administrators(client, editor, secretary_a):
    client.force_login(editor)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(secretary_a)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_page_shows_table_totals_silent_and_charts(client, editor, activity):
    client.force_login(editor)
    body = client.get(URL, {"year": 2023}).content.decode()
    assert "2023年" in body
    assert "合计（3 个联盟）" in body
    assert 'id="silent-title">本期间未供稿的联盟（1 个）' in body
    assert body.count("<svg") == 2
    assert '<title id="bars-title">2023年各联盟刊发稿件数</title>' in body
    assert "甲测试联盟：2 篇" in body
    assert "2023年3月：1 篇" in body
    assert "<script" not in body.split("<main", 1)[1]  # no chart library


def test_default_period_is_this_year(client, editor):
    from django.utils import timezone

    client.force_login(editor)
    body = client.get(URL).content.decode()
    assert f"联盟供稿统计 · {timezone.localdate().year}年" in body


def test_names_are_escaped_in_table_and_svg(client, editor, activity):
    evil = alliance_create(
        full_name="<script>alert(1)</script>产业技术创新战略联盟",
        short_name="<b>坏</b>联盟",
    )
    from bulletins.models import Item

    Item.objects.filter(alliance=activity.b).update(alliance=evil)
    client.force_login(editor)
    body = client.get(URL, {"year": 2023}).content.decode()
    assert "<b>坏</b>" not in body
    assert "&lt;b&gt;坏&lt;/b&gt;联盟" in body
    assert "&lt;b&gt;坏&lt;/b&gt;联盟：1 篇" in body  # inside the SVG too


def test_bad_sort_falls_back_to_the_default(client, editor, activity):
    client.force_login(editor)
    response = client.get(URL, {"year": 2023, "sort": "secret_field"})
    assert response.status_code == 200
    assert response.context["sort"] == "-items"
    assert 'aria-sort="descending"' in response.content.decode()


def test_sort_links_keep_the_filter_and_flip_the_direction(client, editor, activity):
    client.force_login(editor)
    response = client.get(
        URL, {"date_from": "2023-01-01", "date_to": "2024-06-30", "sort": "received"}
    )
    links = {c.key: c.href for c in response.context["columns"]}
    assert links["received"] == "?date_from=2023-01-01&date_to=2024-06-30&sort=-received"
    assert links["name"] == "?date_from=2023-01-01&date_to=2024-06-30&sort=name"
    assert links["items"].endswith("&sort=-items")
    rows = [r.alliance.short_name for r in response.context["report"].rows]
    assert rows == ["丙测试联盟", "乙测试联盟", "甲测试联盟"]
    body = response.content.decode()
    assert "export.csv?date_from=2023-01-01&amp;date_to=2024-06-30&amp;sort=received" in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2024-02-30", "date_to": "2024-03-31"}, "date_from", "日期不存在"),
        ({"date_from": "2024-13-01", "date_to": "2024-12-31"}, "date_from", "不是有效的日期"),
        ({"date_from": "2024-06-30", "date_to": "2024-01-01"}, "date_to", "早于起始日期"),
        ({"date_from": "2024-01-01"}, "date_to", "请同时填写截止日期"),
        ({"date_to": "2024-01-01"}, "date_from", "请同时填写起始日期"),
        ({"year": "二〇二四"}, "year", "年份请填写四位数字"),
        ({"year": "1066"}, "year", "不能早于 1990 年"),
        ({"date_from": "2000-01-01", "date_to": "2024-01-01"}, "date_to", "最长 10 年"),
    ],
)
def test_bad_periods_get_a_chinese_message_and_keep_the_input(
    client, editor, params, field, message
):
    client.force_login(editor)
    response = client.get(URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field])
    body = response.content.decode()
    for value in params.values():
        assert f'value="{value}"' in body
    assert "report" not in response.context


def test_export_with_a_bad_period_is_refused_with_the_message(client, editor):
    client.force_login(editor)
    response = client.get(CSV, {"date_from": "2024-06-30", "date_to": "2024-01-01"})
    assert response.status_code == 400
    assert "早于起始日期" in response.content.decode()


def test_unknown_export_format_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("reports:statistics_export", args=["pdf"])).status_code == 404


@pytest.fixture
def formula_alliance(activity):
    """An alliance whose names a spreadsheet would run as a formula."""
    evil = alliance_create(full_name='=HYPERLINK("http://x")联盟全称', short_name="@SUM(1)联盟")
    from bulletins.models import Item

    Item.objects.filter(alliance=activity.b).update(alliance=evil)
    return evil


def test_csv_has_bom_sorted_rows_totals_and_escaped_cells(client, editor, formula_alliance):
    client.force_login(editor)
    response = client.get(CSV, {"year": 2023, "sort": "-received"})
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "联盟供稿统计-2023年.csv"
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "批次编号",
        "联盟全称",
        "简称",
        "收到投稿",
        "采用",
        "采用率",
        "刊发稿件",
        "本期未供稿",
    ]
    assert rows[1][:7] == ["901", "甲测试产业技术创新战略联盟", "甲测试联盟", "3", "1", "33%", "2"]
    evil_row = next(r for r in rows if "HYPERLINK" in r[1])
    assert evil_row[1] == '\'=HYPERLINK("http://x")联盟全称'
    assert evil_row[2] == "'@SUM(1)联盟"
    assert rows[-1][1] == "合计（4个联盟）"
    assert rows[-1][3:7] == ["4", "2", "50%", "3"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_has_the_same_table_with_numbers_and_escaped_text(client, editor, formula_alliance):
    client.force_login(editor)
    response = client.get(XLSX, {"date_from": "2023-01-01", "date_to": "2023-12-31"})
    disposition = response["Content-Disposition"]
    assert (
        unquote(disposition.split("filename*=UTF-8''")[1]) == "联盟供稿统计-20230101-20231231.xlsx"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["联盟供稿统计"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "批次编号"
    by_name = {r[2]: r for r in rows[1:-1]}
    assert by_name["甲测试联盟"][3:7] == [3, 1, "33%", 2]
    assert by_name["'@SUM(1)联盟"][1] == '\'=HYPERLINK("http://x")联盟全称'
    assert rows[-1][3] == 4 and isinstance(rows[-1][3], int)
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    silent = [list(r) for r in book["未供稿联盟"].iter_rows(values_only=True)]
    assert ["902", "丙测试产业技术创新战略联盟", "2023年1月1日至2023年12月31日"] in silent


def test_page_query_count_does_not_grow_with_alliances(
    client, editor, activity, django_assert_max_num_queries
):
    from tests.factories import AllianceFactory

    client.force_login(editor)
    client.get(URL, {"year": 2023})  # warm the session
    with django_assert_max_num_queries(6):
        client.get(URL, {"year": 2023})
    for _ in range(25):
        AllianceFactory()
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"year": 2023})
    assert len(response.context["report"].rows) == 28
