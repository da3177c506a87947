import pytest
from playwright.sync_api import expect

from accounts.models import Role
from alliances.services import staff_assign
from tests.factories import PASSWORD, AllianceFactory, make_user
from tests.two_factor import fresh_code, give_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    Role.SECRETARIAT: "联盟秘书处工作台",
    Role.EDITOR: "编辑工作台",
    Role.REVIEWER: "审核工作台",
    Role.SIGNER: "签发工作台",
    Role.RECIPIENT: "简报接收",
    Role.ADMINISTRATOR: "系统管理",
}


@pytest.mark.parametrize("role", list(HEADINGS))
def test_each_role_logs_in_through_the_real_login_page(live_server, page, role, artifacts_dir):
    user = make_user(role, full_name=f"{Role(role).label}测试员")
    if role in (Role.SIGNER, Role.ADMINISTRATOR):
        give_authenticator(user)
    if role == Role.SECRETARIAT:
        staff_assign(alliance=AllianceFactory(short_name="化纤测试联盟"), user=user)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    if role in (Role.SIGNER, Role.ADMINISTRATOR):
        # Their second step (tests/browser/test_two_factor_journey.py enrols one).
        device = give_authenticator(user)  # the one made above
        page.get_by_label("验证码").fill(fresh_code(device))
        page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("heading", name=HEADINGS[role], exact=True)).to_be_visible()
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / f"home-{role}.png"), full_page=True)
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_wrong_password_keeps_the_user_name(live_server, page):
    user = make_user(Role.EDITOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page.get_by_label("用户名")).to_have_value(user.username)
