"""Issue 17, finding 8, in the browser: a file whose name the server would refuse with a
bare 400 (Django reads at most 1 KB of a part's headers) and a body over its maxlength are
stopped before the form leaves the page, with a Chinese message and nothing typed lost."""

import pytest
from playwright.sync_api import expect

from core.editor import MAX_BODY_CHARS
from submissions.models import Submission
from tests.browser.test_submission_journey import log_in
from tests.factories import AllianceFactory, make_secretary
from tests.submissions.files import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_file_name_and_a_long_body_are_stopped_in_the_form(live_server, page, artifacts_dir):
    alliance = AllianceFactory(full_name="化纤产业技术创新战略联盟", short_name="化纤联盟")
    secretary = make_secretary(alliance, username="huaxian_limits", full_name="张明")
    log_in(page, live_server.url, secretary)
    page.goto(f"{live_server.url}/submissions/new/")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
    page.get_by_label("标题").fill("化纤联盟召开理事会")
    long_name = "很长的文件名" * 60 + ".pdf"  # 1,084 bytes in UTF-8
    page.get_by_label("附件").set_input_files(
        files=[{"name": long_name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="保存草稿").click()
    alert = page.locator(".input-limits")
    expect(alert).to_contain_text("文件名过长")
    expect(page.get_by_label("标题")).to_have_value("化纤联盟召开理事会")
    page.screenshot(path=str(artifacts_dir / "input-limits-file-name.png"), full_page=True)
    assert not Submission.objects.exists()  # nothing was sent

    # A body over the limit (filled by script, as the editor fills its textarea).
    page.get_by_label("附件").set_input_files(files=[])
    body = page.locator("textarea[name=body_html]")
    assert body.get_attribute("maxlength") == str(MAX_BODY_CHARS)
    page.evaluate(
        "n => { const t = document.querySelector('textarea[name=body_html]');"
        " t.addEventListener('input', e => e.stopImmediatePropagation(), true);"
        " t.value = '<p>' + '长'.repeat(n) + '</p>'; }",
        MAX_BODY_CHARS,
    )
    page.locator("form.card").evaluate("f => f.requestSubmit()")
    expect(alert).to_contain_text("太长")
    assert not Submission.objects.exists()
