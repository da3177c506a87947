"""The sign-off in a real browser: during assembly the editor is told that printed
organisations have no address, adds one on the 报/送 lists and sends the issue for review
through its confirmation; the reviewer approves through the confirmation; the signer
sees on the confirmation who will receive the issue and who will not, acknowledges it and
signs; the issue page then shows the delivery reaching 100 %. Screenshots of the
confirmation and of the delivery go to the artifacts folder."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import role_grant
from bulletins import services
from bulletins.models import Issue, IssueStatus
from distribution.demo import load_distribution_lists
from distribution.models import Delivery
from tests.bulletins.test_workflow import ready_issue
from tests.two_factor import browser_log_in, give_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISSUE_LINE = "2023年第2期（总第67期）"


def log_in(page, live_server, user):
    browser_log_in(page, live_server.url, user)
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_reach_warning_fix_review_acknowledge_sign_and_delivery(
    live_server, page, editor, reviewer, signer, artifacts_dir, celery_eager
):
    page.set_viewport_size({"width": 1366, "height": 900})
    load_distribution_lists()  # the demo lists: 科技部 and the alliances have addresses
    # This office's editor also keeps the 报/送 lists (the administrator's role).
    role_grant(user=editor, role=Role.ADMINISTRATOR)
    give_authenticator(editor)
    issue = ready_issue(editor)
    services.issue_update(
        issue_id=issue.pk,
        issued_on=issue.issued_on,
        report_to="科技部、教育部、国家开发银行相关司局及部门",
        send_to="各试点产业技术创新战略联盟",
        actor=editor,
    )

    # --- Assembly: the to-do list names who would receive nothing ---------------------------
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/issues/{issue.pk}/assemble/")
    todo = page.locator(".notice", has_text="送审前还需处理")
    expect(todo).to_contain_text("版记「报」所列的 2 个单位没有电子邮箱地址")
    expect(todo.locator(".unreached")).to_have_text(["教育部", "国家开发银行"])
    page.screenshot(path=str(artifacts_dir / "signoff-1-assembly-reach.png"), full_page=True)

    # --- The editor adds an address for 教育部 on the lists --------------------------------
    todo.get_by_role("link", name="分发名单").click()
    # (By name: the page's two forms share the id "id_name", so labels are ambiguous.)
    contact = page.locator('section[aria-labelledby="add-contact"]')
    contact.locator("select[name=organisation]").select_option(label="教育部")
    contact.locator("input[name=name]").fill("教育部联络员")
    contact.locator("input[name=email]").fill("moe@example.org")
    contact.get_by_role("button", name="添加").click()
    expect(page.get_by_text("已添加联系人 教育部联络员")).to_be_visible()
    page.goto(f"{live_server.url}/issues/{issue.pk}/assemble/")
    expect(todo.locator(".unreached")).to_have_text(["国家开发银行"])

    # --- 送审 through its confirmation ------------------------------------------------------
    page.get_by_role("link", name="送审…").click()
    expect(page.get_by_role("heading", name="确认送审")).to_be_visible()
    expect(page.get_by_text("送审核：尚辉良")).to_be_visible()
    page.get_by_role("button", name="确认送审").click()
    expect(page.get_by_text(f"已送审：{ISSUE_LINE}现为“待审核”。")).to_be_visible()
    log_out(page)

    # --- The reviewer sees the reach and approves through the confirmation -----------------
    log_in(page, live_server, reviewer)
    page.get_by_role("link", name=ISSUE_LINE).click()
    expect(page.locator("#reach .reach-missing .unreached")).to_have_text(["国家开发银行"])
    page.get_by_role("link", name="审核通过…").click()
    expect(page.get_by_role("heading", name="确认审核通过")).to_be_visible()
    page.get_by_role("button", name="确认审核通过").click()
    expect(page.get_by_text("现为“待签发”")).to_be_visible()
    log_out(page)

    # --- The signer: who will receive it, the acknowledgement, 签发 ----------------------------
    log_in(page, live_server, signer)
    page.get_by_role("link", name=ISSUE_LINE).click()
    page.get_by_role("link", name="签发…").click()
    expect(page.get_by_role("heading", name="确认签发")).to_be_visible()
    expect(page.locator("[data-field=version]")).to_have_text("v1")
    expect(page.get_by_role("link", name="打开 PDF 核对")).to_be_visible()
    expect(page.locator('tr[data-list="report"]')).to_contain_text("1 个收不到")
    expect(page.locator(".reach-missing .unreached")).to_have_text(["国家开发银行"])
    acknowledge = page.get_by_label(re.compile("我已知悉"))
    expect(acknowledge).not_to_be_checked()
    page.screenshot(path=str(artifacts_dir / "signoff-2-sign-confirmation.png"), full_page=True)
    acknowledge.check()
    page.get_by_role("button", name="确认签发").click()
    expect(page.get_by_text("现为“已签发”")).to_be_visible()

    # --- The delivery, on the issue page, until every e-mail is out --------------------------
    block = page.locator("section.delivery")
    expect(block.locator('[data-count="percent"]')).to_have_text("100%", timeout=30_000)
    expect(block).to_have_attribute("data-done", "true")
    expect(block.get_by_text("发送完毕")).to_be_visible()
    expect(block.get_by_role("link", name=re.compile("查看分发详情"))).to_be_visible()
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "signoff-3-delivery.png"), full_page=True)
    page.goto(live_server.url + "/")
    expect(page.locator(".delivery-panel")).to_contain_text(ISSUE_LINE)
    page.screenshot(path=str(artifacts_dir / "signoff-4-signer-home.png"), full_page=True)

    issue = Issue.objects.get(pk=issue.pk)
    assert issue.status == IssueStatus.SIGNED
    emails = set(Delivery.objects.values_list("email", flat=True))
    assert "moe@example.org" in emails  # the address added during assembly got it
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
