"""An editor in a real browser: the statistics page (filter mistake, sorting, charts,
accessibility), then a period's ratings and the A级 badge on the alliance page."""

import json
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alliances.models import ActivityLevel
from alliances.services import activity_ratings_record, evaluation_period_create
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script element: bypass_csp lets this test-only tool run
    # under the site's Content-Security-Policy (which the CSP browser test checks itself).
    return {**browser_context_args, "bypass_csp": True}


def serious_axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_editor_reads_statistics_and_records_ratings(
    live_server, page, activity, editor, artifacts_dir
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="供稿统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("联盟供稿统计")

    # A range typed the wrong way round: a Chinese message, and what was typed stays.
    page.get_by_label("起始日期").fill("2023-12-31")
    page.get_by_label("截止日期").fill("2023-01-01")
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_text("早于起始日期")).to_be_visible()
    expect(page.get_by_label("起始日期")).to_have_value("2023-12-31")
    expect(page.get_by_label("截止日期")).to_have_value("2023-01-01")

    page.get_by_label("起始日期").fill("2023-01-01")
    page.get_by_label("截止日期").fill("2023-12-31")
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2023年1月1日至2023年12月31日")
    table = page.locator("table.stats-table")
    expect(table.locator("tfoot")).to_contain_text("合计（3 个联盟）")

    # Sort by 收到投稿 (largest first), then flip it; the period stays in the URL.
    table.get_by_role("link", name="收到投稿").click()
    expect(table.locator("tbody tr").first).to_contain_text("甲测试联盟")
    assert "date_from=2023-01-01" in page.url and "sort=-received" in page.url
    table.get_by_role("link", name="收到投稿 ▼").click()
    expect(table.locator("tbody tr").first).to_contain_text("丙测试联盟")
    assert "sort=received" in page.url and "date_to=2023-12-31" in page.url

    bars = page.get_by_role("img", name="2023年1月1日至2023年12月31日各联盟刊发稿件数")
    expect(bars).to_be_visible()
    expect(
        page.get_by_role("img", name="2023年1月1日至2023年12月31日每月收到投稿数")
    ).to_be_visible()
    expect(page.locator("#silent-title")).to_contain_text("1 个")
    page.screenshot(path=str(artifacts_dir / "alliances-statistics.png"), full_page=True)
    violations = serious_axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False)

    # The CSV export keeps the period and the order.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    assert download.value.suggested_filename == "联盟供稿统计-20230101-20231231.csv"

    # Record three periods' ratings; the third on the sheet page.
    for year in (2021, 2022):
        period = evaluation_period_create(
            name=f"{year}年度", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), actor=editor
        )
        activity_ratings_record(
            period_id=period.pk,
            decisions={activity.a.pk: (ActivityLevel.HIGH, "")},
            actor=editor,
        )
    page.goto(f"{live_server.url}/alliances/ratings/")
    page.get_by_label("评价期名称").fill("2023年度")
    page.get_by_label("起始日期").fill("2023-01-01")
    page.get_by_label("截止日期").fill("2023-12-31")
    page.get_by_role("button", name="建立评价期").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2023年度活跃度评价")
    expect(page.get_by_text("建议等级怎么来的")).to_be_visible()
    level_a = page.get_by_label("甲测试联盟的活跃度")
    # Not rated yet: the field starts at 未评, the suggestion (2 items: 较高) beside it.
    expect(level_a).to_have_value("")
    row = page.locator("tr", has=level_a)
    expect(row.locator(f".badge.level-{ActivityLevel.FAIRLY_HIGH}")).to_have_text("较高")
    level_a.select_option(label="高")
    page.get_by_label("甲测试联盟的备注").fill("全年供稿积极")
    page.screenshot(path=str(artifacts_dir / "alliances-rating-sheet.png"), full_page=True)
    page.get_by_role("button", name="保存本期评价").click()
    expect(page.get_by_text("已保存“2023年度”的活跃度评价")).to_be_visible()

    page.goto(f"{live_server.url}/alliances/{activity.a.pk}/")
    expect(page.locator("h1 .badge.a-level")).to_have_text("A级活跃度联盟")
    expect(page.get_by_text("2021年度、2022年度、2023年度连续三个评价期均为“高”")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "alliances-detail-a-level.png"), full_page=True)
    violations = serious_axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False)
