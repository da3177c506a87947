"""No Content-Security-Policy violation anywhere a user goes: the main pages of every role
in headless Chromium, with the rich-text editor typed into, an HTMX swap on the assembly
page, the render-status polling, and the admin. Violations are collected from the page's
``securitypolicyviolation`` events (through a binding that survives navigation) and from
the console."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bulletins import renditions
from bulletins.services.layout import item_create
from tests.bulletins.test_workflow import act
from tests.security.access.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(
    `${e.violatedDirective} blocked=${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`
    + ` sample=${e.sample}`
  );
});
"""

# Where each role goes: paths with {object} placeholders from the world.
PAGES = {
    "anonymous": [
        "/accounts/login/",
        "/download/{link}/",
        "/no-such-page/",
        "/admin/login/",
    ],
    "secretary_a": [
        "/",
        "/submissions/",
        "/submissions/{submission_a}/",
        "/alliances/{alliance_a}/",
        "/archive/",
        "/archive/{signed}/",
        "/issues/",  # 403 page
    ],
    "editor": [
        "/",
        "/submissions/inbox/",
        "/submissions/{submission_a}/",
        "/submissions/calls/",
        "/submissions/calls/{call}/",
        "/issues/",
        "/issues/new/",
        "/issues/import/",
        "/issues/{draft}/",
        "/issues/{draft}/items/{item}/edit/",
        "/issues/{draft}/blocks/new/",
        "/issues/{signed}/",
        "/issues/{signed}/history/",
        "/alliances/statistics/",  # server-drawn SVG charts
        "/alliances/ratings/{period}/",
        "/accounts/security/",
        "/accounts/two-factor/setup/",  # the QR code, inline SVG
        "/issues/{signed}/diff/?from={version}",
        "/issues/{signed}/versions/{version}/web/",
        "/distribution/",
        "/distribution/{dispatch}/",
        "/alliances/",
    ],
    "reviewer": ["/", "/issues/{signed}/", "/submissions/inbox/"],
    "signer": ["/", "/issues/{signed}/", "/accounts/security/"],
    "recipient": ["/", "/archive/", "/archive/{signed}/"],
    "administrator": [
        "/",
        "/distribution/lists/",
        "/distribution/lists/imports/{contact_import}/",
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/user/{user_editor}/change/",
        "/admin/alliances/alliance/",
        "/admin/alliances/alliance/{alliance_a}/change/",
        "/admin/bulletins/issue/",
        "/admin/bulletins/issue/{signed}/change/",
        "/admin/submissions/submission/{submission_a}/change/",
        "/admin/distribution/contact/",
    ],
}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"
    from tests.security.access.conftest import upload_for_import

    send = renditions._send
    renditions._send = lambda version_id, kind: None  # no worker: renders stay queued
    try:
        w = build_world(import_token_for=upload_for_import)
    finally:
        renditions._send = send
    w.objects["user_editor"] = w.users["editor"]
    return w


@pytest.fixture
def violations(page):
    found = []
    page.expose_binding("reportViolation", lambda source, text: found.append(text))
    page.add_init_script(REPORT)
    page.on(
        "console",
        lambda m: found.append(f"console: {m.text}") if "Content Security" in m.text else None,
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def path_of(template, world):
    values = {name: world.value(name) for name in world.objects}
    return template.format(**values)


def log_in(page, live_server, user):
    from tests.two_factor import browser_log_in

    browser_log_in(page, live_server.url, user)  # the second step for signers and admins
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()


def visit(page, url, visited):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    visited.append(url)


def test_no_csp_violation_on_the_main_pages_of_every_role(
    live_server, page, violations, world, celery_eager
):
    visited = []
    for role, paths in PAGES.items():
        page.context.clear_cookies()
        user = world.users[role]
        if user is not None:
            log_in(page, live_server, user)
        for path in paths:
            visit(page, live_server.url + path_of(path, world), visited)
    assert len(visited) == sum(len(p) for p in PAGES.values())
    assert not violations, "\n".join(violations)


def test_no_csp_violation_while_working_the_editor_the_assembly_and_the_polling(
    live_server, page, violations, world, celery_eager
):
    # The secretariat types into the rich-text editor (Tiptap starts, injects its style).
    log_in(page, live_server, world.users["secretary_a"])
    page.goto(f"{live_server.url}/submissions/new/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    page.wait_for_load_state("networkidle")
    assert not violations, "\n".join(violations)
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("联盟召开理事会。")
    page.keyboard.press("Control+b")
    page.keyboard.type("重点")
    expect(editor.locator("strong")).to_have_text("重点")
    expect(editor).to_contain_text("联盟召开理事会。")
    page.goto(f"{live_server.url}/submissions/{world.objects['submission_a'].pk}/edit/")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()

    # The editor moves an item on the assembly page (an HTMX swap of the assembly body).
    page.context.clear_cookies()
    log_in(page, live_server, world.users["editor"])
    draft = world.objects["draft"]
    item_create(
        issue_id=draft.pk,
        section_id=world.objects["section"].pk,
        title="第二篇政策稿件",
        body_html="<p>正文。</p>",
        actor=world.users["editor"],
    )
    page.goto(f"{live_server.url}/issues/{draft.pk}/assemble/")
    page.wait_for_load_state("networkidle")
    item = world.objects["item"].pk
    page.locator(f"#item-down-{item}").click()  # hx-post: the server swaps the body
    expect(page.locator(f"#item-up-{item}")).to_be_enabled()
    page.locator(f"#item-up-{item}").click()  # and back, so the issue may still be sent
    expect(page.locator(f"#item-up-{item}")).to_be_disabled()
    items = page.locator("#assembly-body li.item")  # and by drag and drop (assembly.js)
    items.filter(has_text="第二篇政策稿件").drag_to(items.nth(0), target_position={"x": 40, "y": 4})
    expect(page.locator("#assembly-body li.item .item-title").first).to_have_text("第二篇政策稿件")
    page.goto(f"{live_server.url}/issues/{draft.pk}/items/new/")
    page.get_by_label("标题").first.fill("一篇政策稿件")
    page.wait_for_load_state("networkidle")

    # Sent for review, its preview PDF still queued: the reviewer's page polls every 2 s.
    send = renditions._send
    renditions._send = lambda version_id, kind: None
    try:
        act(draft, "submit", world.users["editor"])
    finally:
        renditions._send = send
    page.context.clear_cookies()
    log_in(page, live_server, world.users["reviewer"])
    with page.expect_request(lambda r: r.url.endswith(f"/issues/{draft.pk}/pdf/")):
        page.goto(f"{live_server.url}/issues/{draft.pk}/")
    page.wait_for_timeout(500)
    assert not violations, "\n".join(violations)
