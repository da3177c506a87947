"""Issue 17, finding 6, in a real browser: a body with every allowed element (h3–h5, a
table with its <thead>, a picture of its own …) loaded into the secretariat's edit page,
touched (a character typed and deleted, so the editor writes its HTML back) and saved, is
stored unchanged. Before the one editor configuration, h3/h5 came back as <p>, <s> was
dropped and the header row moved into <tbody>."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from core.uploads import check_upload
from submissions import services
from submissions.models import Submission
from tests.browser.test_submission_journey import log_in
from tests.factories import make_submission
from tests.security.bodies import EVERY_ELEMENT
from tests.submissions.files import make_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_body_saved_unchanged_in_the_editor_is_stored_unchanged(
    live_server, page, alliance_a, secretary_a, settings, tmp_path, artifacts_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    submission = make_submission(alliance_a, secretary_a, status="draft", body_html=EVERY_ELEMENT)
    picture = check_upload(SimpleUploadedFile("图.png", make_png((60, 40))), allowed={"png"})
    services.files_add(submission_id=submission.pk, images=[picture], actor=secretary_a)
    before = Submission.objects.get(pk=submission.pk).body_html
    assert "<h3>" in before and "<thead>" in before and "<img " in before

    log_in(page, live_server.url, secretary_a)
    page.goto(f"{live_server.url}/submissions/{submission.pk}/edit/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor.locator("h3")).to_have_text("一、三级小标题")
    expect(editor.locator("th").first).to_have_text("单位")
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type("改")
    page.keyboard.press("Backspace")
    sent = page.locator("textarea[name=body_html]").input_value()
    assert "<h3>" in sent  # the editor wrote its HTML back (and kept the sub-heading)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "editor-round-trip.png"), full_page=True)

    after = Submission.objects.get(pk=submission.pk).body_html
    assert after == before, f"sent by the editor: {sent}"
