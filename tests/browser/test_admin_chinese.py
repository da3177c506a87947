"""The admin's two-box chooser of permissions, drawn in the browser by the admin's script
from its JavaScript catalogue, reads Chinese: it showed 「Choose 组 by selecting them」
and 「Can add 角色」 there."""

import re

import pytest
from playwright.sync_api import expect

from tests.two_factor import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = re.compile(
    r"\b(?:Choose|Chosen|Available|Remove|Filter|Can (?:add|change|delete|view)|historical|click)\b"
)


def test_the_group_permission_chooser_is_chinese(live_server, page, administrator, artifacts_dir):
    browser_log_in(page, live_server.url, administrator)
    page.goto(f"{live_server.url}/admin/auth/group/add/")
    chooser = page.locator(".selector")
    expect(chooser).to_be_visible()
    expect(page.locator("#id_permissions_from option").first).to_be_attached()
    page.screenshot(path=artifacts_dir / "admin-group-chooser.png", full_page=False)
    text = chooser.inner_text() + " ".join(
        page.locator(".selector [title], .selector [placeholder]").evaluate_all(
            "els => els.map(e => (e.title || '') + ' ' + (e.placeholder || ''))"
        )
    )
    assert "可用 权限" in text and "选中要加入的权限" in text, text[:300]
    assert "可添加组" in text and "可查看联盟修改记录" in text
    assert not ENGLISH.search(text), ENGLISH.findall(text)[:10]
    favicon = page.locator('link[rel="icon"]')
    expect(favicon).to_have_attribute("href", re.compile(r"favicon"))
