"""The PDF state on the approval page updates by itself (HTMX polling) once the render is
done, without a reload. Screenshot in the artifacts folder."""

import pytest
from playwright.sync_api import expect

from bulletins import renditions
from bulletins.models import RenditionKind
from tests.browser.test_issue_journey import log_in
from tests.bulletins.test_workflow import act, ready_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_sees_the_preview_state_turn_done_without_reloading(
    live_server, page, editor, reviewer, settings, tmp_path, monkeypatch, artifacts_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(renditions, "_send", lambda version_id, kind: None)  # no worker here
    issue = ready_issue(editor)
    version = act(issue, "submit", editor).version
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    state = page.locator(f"#renditions-{issue.pk}")
    expect(state).to_contain_text("排队中")
    renditions.rendition_render(version_id=version.pk, kind=RenditionKind.PREVIEW)  # real render
    expect(state).to_contain_text("已生成", timeout=15_000)
    expect(state.get_by_role("link", name="下载")).to_be_visible()
    expect(page.locator(f"#pages-badge-{issue.pk}")).to_contain_text("页（v1）")  # the header
    page.screenshot(path=artifacts_dir / "rendition-polling.png", full_page=True)
    with page.expect_download() as download:
        state.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename.endswith("-v1-预览.pdf")
