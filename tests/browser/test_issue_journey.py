"""The issue's journey in a real browser: the editor assembles an issue from accepted
submissions and one policy item, the reviewer returns it with a comment, the editor fixes
it, the reviewer approves, the signer signs. Screenshots go to the artifacts folder."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from bulletins.models import Issue, IssueStatus, Item
from submissions.models import Submission
from tests.factories import make_accepted_submission
from tests.two_factor import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    browser_log_in(page, live_server.url, user)  # with the code step for the signer
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def confirm(page, label, *, acknowledge=False):
    """送审, 审核通过 and 签发 go through their confirmation page."""
    page.get_by_role("link", name=f"{label}…").first.click()
    expect(page.get_by_role("heading", name=f"确认{label}")).to_be_visible()
    if acknowledge:  # printed organisations without an address: the signer says so
        page.get_by_label(re.compile("我已知悉")).check()
    page.get_by_role("button", name=f"确认{label}").click()


def item_titles(page, section_title):
    section = page.locator(
        "section.section-card", has=page.get_by_role("heading", name=section_title)
    )
    return section.locator("li.item .item-title").all_inner_texts()


def test_assemble_review_return_fix_approve_sign(
    live_server,
    page,
    editor,
    reviewer,
    signer,
    alliance_a,
    secretary_a,
    artifacts_dir,
    celery_eager,
):
    page.set_viewport_size({"width": 1366, "height": 900})
    for title in ("甲测试联盟召开第九次成员大会", "甲测试联盟发布7项团体标准"):
        make_accepted_submission(alliance_a, secretary_a, editor, title=title)

    # --- The editor creates the issue and assembles it ---------------------------------
    log_in(page, live_server, editor)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="期次").click()
    page.get_by_role("link", name="新建期次").first.click()
    page.get_by_label("卷年").fill("2023")
    page.get_by_label("期号（本年第几期）").fill("2")
    page.get_by_label("总期号").fill("67")
    page.get_by_label("印发日期").fill("2023-05-20")
    page.screenshot(path=str(artifacts_dir / "issue-0-new.png"), full_page=True)
    page.get_by_role("button", name="新建并开始组版").click()
    expect(page.get_by_role("heading", name="2023年第2期（总第67期）")).to_be_visible()

    page.get_by_role("button", name="编入“甲测试联盟召开第九次成员大会”").click()
    expect(page.get_by_text("已编入本期。")).to_be_visible()
    page.get_by_role("button", name="编入“甲测试联盟发布7项团体标准”").click()
    assert item_titles(page, "试点联盟及协发网网员单位动态 2 篇") == [
        "甲测试联盟召开第九次成员大会",
        "甲测试联盟发布7项团体标准",
    ]

    page.get_by_role("link", name="撰写编辑稿件（政策动态等）").click()
    page.get_by_label("栏目").select_option(label="重要政策动态")
    page.get_by_label("标题", exact=True).fill("科技部召开国家碳中和科技专家委员会第一次会议")
    page.get_by_label("导读标题（可选）").fill("国家碳中和科技专家委员会成立")
    # The body in the rich-text editor: a sub-heading from the toolbar, then a paragraph.
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("一、会议情况")
    page.locator(".prose-menubar__selected").click()  # the block-type menu, “段落”
    page.get_by_role("button", name="小标题").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("科技部日前在北京组织召开国家碳中和科技专家委员会第一次会议。")
    page.get_by_label("署名行").fill(
        "（联盟协发网秘书处和联盟试点工作联络组摘述。信息来源：科技部网站）"
    )
    page.get_by_role("button", name="保存").click()
    expect(
        page.get_by_text("已添加“科技部召开国家碳中和科技专家委员会第一次会议”。")
    ).to_be_visible()
    assert Item.objects.get(title__startswith="科技部召开").body_html == (
        "<h4>一、会议情况</h4><p>科技部日前在北京组织召开国家碳中和科技专家委员会第一次会议。</p>"
    )

    # The network section is empty this time: the page says so, the editor removes it.
    expect(page.get_by_text("栏目“联盟联络组及协发网动态”没有稿件")).to_be_visible()
    network = page.locator("section.section-card", has_text="联盟联络组及协发网动态")
    network.get_by_text("改名/删除").click()
    page.once("dialog", lambda dialog: dialog.accept())
    network.get_by_role("button", name="删除栏目").click()
    expect(page.locator("section.section-card", has_text="联盟联络组及协发网动态")).to_have_count(0)
    expect(page.get_by_text("各栏目都有稿件，可以送审")).to_be_visible()

    # Reorder with the keyboard alternative (HTMX), then by drag and drop.
    page.get_by_role("button", name="下移“甲测试联盟召开第九次成员大会”").click()
    expect(page.locator("#assembly-body li.item .item-title").last).to_have_text(
        "甲测试联盟召开第九次成员大会"
    )
    # Now last, its ↓ is disabled: the keyboard focus stays on the item, on its ↑.
    expect(page.get_by_role("button", name="上移“甲测试联盟召开第九次成员大会”")).to_be_focused()
    items = page.locator("#assembly-body li.item")
    items.filter(has_text="甲测试联盟召开第九次成员大会").drag_to(
        items.filter(has_text="甲测试联盟发布7项团体标准"), target_position={"x": 40, "y": 4}
    )
    expect(page.locator("#assembly-body li.item .item-title").nth(1)).to_have_text(
        "甲测试联盟召开第九次成员大会"
    )
    toc = page.locator("section.toc li").all_inner_texts()
    assert toc == [
        "国家碳中和科技专家委员会成立",
        "甲测试联盟召开第九次成员大会",
        "甲测试联盟发布7项团体标准",
    ]
    page.screenshot(path=str(artifacts_dir / "issue-1-assembly.png"), full_page=True)

    confirm(page, "送审")
    expect(page.get_by_text("已送审：2023年第2期（总第67期）现为“待审核”。")).to_be_visible()
    log_out(page)

    # --- The reviewer returns it with a comment on one item -----------------------------
    log_in(page, live_server, reviewer)
    expect(page.get_by_text("等待您审核的期次")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-2-reviewer-home.png"), full_page=True)
    page.get_by_role("link", name="2023年第2期（总第67期）").click()
    expect(page.get_by_text("送审稿 · v1")).to_be_visible()
    article = page.locator("article.item", has_text="甲测试联盟发布7项团体标准")
    article.get_by_text("对本稿提意见").click()
    article.get_by_placeholder("对本稿的意见…").fill("标题中的“7项”请核实，原文为6项。")
    article.get_by_role("button", name="提意见").click()
    expect(article.get_by_text("标题中的“7项”请核实，原文为6项。")).to_be_visible()
    page.get_by_label("退回意见（必填，编辑会在邮件和页面上看到）").fill("请核实第三篇的标准数量。")
    page.screenshot(path=str(artifacts_dir / "issue-3-review-return.png"), full_page=True)
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改")).to_be_visible()
    log_out(page)

    # --- The editor fixes it and sends it again ------------------------------------------
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/issues/")
    page.get_by_role("link", name="2023年第2期（总第67期）").click()
    expect(page.get_by_text("尚辉良退回修改：")).to_be_visible()
    expect(page.get_by_text("请核实第三篇的标准数量。")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-3b-returned-assembly.png"), full_page=True)
    page.locator("li.item", has_text="甲测试联盟发布7项团体标准").get_by_role(
        "link", name="编辑"
    ).click()
    expect(page.get_by_text("标题中的“7项”请核实，原文为6项。")).to_be_visible()
    page.get_by_text("展开原文").click()
    page.screenshot(path=str(artifacts_dir / "issue-3c-item-edit.png"), full_page=True)
    page.get_by_label("标题", exact=True).fill("甲测试联盟发布6项团体标准")
    page.get_by_role("button", name="保存").click()
    confirm(page, "送审")
    expect(page.get_by_text("现为“待审核”")).to_be_visible()
    log_out(page)

    # --- The reviewer sees what changed and approves ----------------------------------------
    log_in(page, live_server, reviewer)
    page.get_by_role("link", name="2023年第2期（总第67期）").click()
    expect(page.get_by_text("与上次送审（v1）相比的修改")).to_be_visible()
    expect(page.locator(".diff .added", has_text="甲测试联盟发布6项团体标准").first).to_be_visible()
    expect(
        page.locator(".diff .removed", has_text="甲测试联盟发布7项团体标准").first
    ).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-4-review-diff.png"), full_page=True)
    confirm(page, "审核通过")
    expect(page.get_by_text("现为“待签发”")).to_be_visible()
    log_out(page)

    # --- The signer signs ----------------------------------------------------------------------
    log_in(page, live_server, signer)
    expect(page.get_by_text("等待您签发的期次")).to_be_visible()
    page.get_by_role("link", name="2023年第2期（总第67期）").click()
    expect(page.get_by_text("签发的是 v2")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-5-sign.png"), full_page=True)
    confirm(page, "签发", acknowledge=True)
    expect(page.get_by_text("现为“已签发”")).to_be_visible()
    expect(page.get_by_text("签发：李新男")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-6-signed.png"), full_page=True)
    page.get_by_role("link", name="流转记录与版本", exact=True).click()
    expect(page.get_by_role("heading", name="流转记录")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "issue-7-history.png"), full_page=True)

    issue = Issue.objects.get()
    assert issue.status == IssueStatus.SIGNED
    assert list(issue.events.values_list("action", flat=True).order_by("pk")) == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
        "sign",
    ]
    assert set(Submission.objects.values_list("status", flat=True)) == {"published"}
    subjects = [m.subject for m in mail.outbox if re.search("简报2023年第2期", m.subject)]
    assert subjects.count("【待审核】简报2023年第2期（总第67期）") == 2
    assert "【待签发】简报2023年第2期（总第67期）" in subjects
    assert "【已签发】简报2023年第2期（总第67期）" in subjects
