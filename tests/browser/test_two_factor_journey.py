"""A signer's first login in a real browser: password, set up the authenticator from the
secret shown on the page, see the recovery codes once, land on the workspace; then a later
login with a recovery code. Screenshots go to the artifacts folder."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signer_enrols_and_later_logs_in_with_a_recovery_code(live_server, page, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    signer = make_user(Role.SIGNER, full_name="李新男")
    page.goto(f"{live_server.url}/issues/")
    page.get_by_label("用户名").fill(signer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    # Enrolment: the QR code is inline SVG with an accessible name; the secret is text.
    expect(page.get_by_role("heading", name="设置两步验证")).to_be_visible()
    expect(page.get_by_text("必须启用两步验证")).to_be_visible()
    expect(page.get_by_role("img", name="两步验证二维码：请用身份验证器扫描")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航")).not_to_contain_text("期次")
    page.screenshot(path=str(artifacts_dir / "two-factor-enrol.png"), full_page=True)
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret)

    page.get_by_label("身份验证器中显示的 6 位数字").fill("000000" if totp(key) else "111111")
    page.get_by_role("button", name="确认启用").click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    page.wait_for_timeout(1100)  # django-otp's throttle after one wrong code: 1 s
    page.get_by_label("身份验证器中显示的 6 位数字").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="确认启用").click()

    # The recovery codes, once, with the instruction to keep them.
    expect(page.get_by_role("heading", name="两步验证已启用")).to_be_visible()
    expect(page.get_by_text("这些恢复码只显示这一次")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=str(artifacts_dir / "two-factor-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(page).to_have_url(f"{live_server.url}/issues/")
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_role("heading", name="签发工作台", exact=True)).to_be_visible()

    # The security page tells when it was last used; signers cannot switch it off.
    page.get_by_role("link", name="账号安全").click()
    expect(page.get_by_text("已启用")).to_be_visible()
    expect(page.get_by_text("不能停用")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "two-factor-security.png"), full_page=True)

    # A later login, phone left at home: a recovery code instead of the six digits.
    page.get_by_role("button", name="退出").click()
    page.get_by_label("用户名").fill(signer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "two-factor-verify.png"), full_page=True)
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_text("您使用了一个恢复码，还剩 9 个")).to_be_visible()
    expect(page.get_by_role("heading", name="签发工作台", exact=True)).to_be_visible()
