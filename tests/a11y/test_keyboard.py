"""Keyboard alone: a secretariat submits a news item, and an editor reorders items with the
↑/↓ buttons (the keyboard alternative to drag and drop). No mouse click anywhere: only
Tab / Shift+Tab / Enter / Space / arrow keys and typing.

One exception, which a real keyboard user does not need either: the file is attached with
Playwright's ``set_input_files`` on the file input that was reached by Tab (a keyboard user
presses Space there and picks the file in the system's dialog, which a headless browser does
not draw). Screenshots with the focus ring go to var/test-artifacts/a11y/."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from bulletins import services as issue_services
from submissions.models import Submission
from tests.factories import PASSWORD, AllianceFactory, make_issue, make_secretary, make_user
from tests.submissions.files import make_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "() => document.activeElement"


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, *, limit: int = 60, key: str = "Tab") -> int:
    """Press Tab until the focused element matches ``selector``; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focused(page, selector):
            return presses
    active = page.evaluate(f"{ACTIVE}.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} not reached with {limit} × {key}; focus is on {active}")


def focus_ring(page) -> str:
    """The focused element's outline: visible focus is part of what is tested."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + ' ' + s.outlineWidth; }"
    )


def test_secretariat_submits_a_news_item_with_the_keyboard_alone(
    live_server, page, artifacts_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    shots = artifacts_dir / "a11y"
    shots.mkdir(exist_ok=True)
    alliance = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    secretary = make_secretary(alliance, username="kb-secretary", full_name="张明")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The login page puts the focus in the user-name field (Django's autofocus): the one
    # thing to do there. Shift+Tab goes back through the masthead to the skip link.
    page.goto(f"{live_server.url}/accounts/login/")
    assert focused(page, "#id_username")
    tab_to(page, "a.skip-link", key="Shift+Tab", limit=3)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page, "#id_username")
    page.keyboard.type(secretary.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"您好，{secretary.display_name}")).to_be_visible()

    # Home: the first Tab stop is the skip link, visible with its focus ring; Enter on it
    # moves the focus into <main>.
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    assert focus_ring(page) == "solid 3px"
    page.screenshot(path=str(shots / "keyboard-1-skip-link.png"))
    page.keyboard.press("Enter")
    assert focused(page, "main#main")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    page.reload()  # from the top again, through the masthead to the 投稿 link
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    presses = tab_to(page, 'header nav a[href="/submissions/new/"]')
    assert presses <= 4, "投稿 should be among the first links of the masthead"
    assert focus_ring(page) == "solid 3px"
    page.screenshot(path=str(shots / "keyboard-2-nav.png"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="投稿", exact=True)).to_be_visible()
    editable = page.locator(".ProseMirror[contenteditable=true]")
    expect(editable).to_be_visible()
    # The editor is named after its label, and its toolbar speaks Chinese.
    expect(page.get_by_role("textbox", name="正文")).to_be_visible()
    expect(page.get_by_role("button", name="加粗")).to_be_visible()

    # The form, in order: title, the editor's toolbar, the text, the files…
    tab_to(page, "#id_title")
    page.keyboard.type("化纤联盟召开2024年度理事会")
    page.keyboard.press("Tab")
    assert focused(page, ".prose-menubar button"), "the toolbar follows the title"
    tab_to(page, ".ProseMirror[contenteditable=true]", limit=30)
    assert focus_ring(page) == "solid 3px"
    page.keyboard.type("理事会日前在北京召开，")
    page.keyboard.press("Control+b")  # the toolbar's shortcut: bold, from the keyboard
    page.keyboard.type("审议通过了年度工作报告")
    page.keyboard.press("Control+b")
    page.keyboard.type("。")
    page.keyboard.press("Enter")
    page.keyboard.type("二十余家成员单位代表参加会议。")
    page.screenshot(path=str(shots / "keyboard-3-editor.png"))
    tab_to(page, "#id_attachments")
    assert focus_ring(page) == "solid 3px"
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "会场照片.png", "mimeType": "image/png", "buffer": make_png()}]
    )
    assert focused(page, "#id_attachments")
    # …the suggested section: a radio group, chosen with the arrow keys…
    tab_to(page, "input[name=suggested_section]:checked")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    assert focused(page, "input[name=suggested_section]:checked")
    page.keyboard.press("Tab")
    assert focused(page, "#id_call")
    tab_to(page, "#id_contact_name")
    page.keyboard.type("张明")
    page.keyboard.press("Tab")
    page.keyboard.type("010-12345678")
    # …and the submit button, pressed with Space.
    tab_to(page, 'button[value="submit"]')
    assert focus_ring(page) == "solid 3px"
    page.screenshot(path=str(shots / "keyboard-4-submit.png"), full_page=True)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="化纤联盟召开2024年度理事会")).to_be_visible()
    page.screenshot(path=str(shots / "keyboard-5-submitted.png"), full_page=True)

    submission = Submission.objects.get(title="化纤联盟召开2024年度理事会")
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.alliance == alliance
    assert "<strong>审议通过了年度工作报告</strong>" in submission.body_html
    assert "二十余家成员单位代表参加会议。" in submission.body_html
    assert submission.contact_name == "张明"
    # The photo is stored (re-encoded by the upload checks, hence its new extension).
    assert [f.original_name.rsplit(".", 1)[0] for f in submission.files.all()] == ["会场照片"]


def test_editor_reorders_items_with_the_arrow_buttons(live_server, page, artifacts_dir):
    editor = make_user(Role.EDITOR, username="kb-editor", full_name="杨丹泽")
    issue = make_issue(editor)
    section = issue.sections.get(title="试点联盟及协发网网员单位动态")
    for title in ("第一篇：化纤联盟召开理事会", "第二篇：钒钛联盟发布团体标准"):
        issue_services.item_create(
            issue_id=issue.pk,
            section_id=section.pk,
            title=title,
            body_html="<p>正文。</p>",
            actor=editor,
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/issues/{issue.pk}/assemble/")
    assert focused(page, "#id_username")
    page.keyboard.type(editor.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2023年第2期")

    titles = page.locator(f"#section-{section.pk} li.item .item-title")
    expect(titles).to_have_text(["第一篇：化纤联盟召开理事会", "第二篇：钒钛联盟发布团体标准"])
    down = page.get_by_role("button", name="下移“第一篇：化纤联盟召开理事会”")
    button_id = down.get_attribute("id")
    tab_to(page, f"#{button_id}", limit=120)
    assert focus_ring(page) == "solid 3px"
    page.screenshot(path=str(shots_dir(artifacts_dir) / "keyboard-6-reorder.png"))
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["第二篇：钒钛联盟发布团体标准", "第一篇：化纤联盟召开理事会"])
    # The body was swapped by HTMX and the item is now last, so its ↓ is disabled: the focus
    # lands on its ↑, ready to move it back (not lost to the top of the page).
    expect(page.locator(f"#{button_id}")).to_be_disabled()
    up = page.get_by_role("button", name="上移“第一篇：化纤联盟召开理事会”")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["第一篇：化纤联盟召开理事会", "第二篇：钒钛联盟发布团体标准"])
    assert list(issue.sections.get(pk=section.pk).items.values_list("title", flat=True)) == [
        "第一篇：化纤联盟召开理事会",
        "第二篇：钒钛联盟发布团体标准",
    ]


def shots_dir(artifacts_dir):
    folder = artifacts_dir / "a11y"
    folder.mkdir(exist_ok=True)
    return folder
