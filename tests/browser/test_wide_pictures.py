"""A picture wider than its column fits the column on every page that shows a body: the
secretariat's submission page, the editor's revision and item editors, and the issue's
review column. Screenshots go to the artifacts folder."""

import pytest
from playwright.sync_api import expect

from bulletins import services as issue_services
from core.uploads import check_upload
from submissions.services import files_add
from submissions.workflow import submission_transition
from tests.browser.test_issue_journey import log_in, log_out
from tests.bulletins.test_workflow import act, ready_issue
from tests.factories import make_submission
from tests.submissions.files import make_png
from tests.submissions.test_views import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page, column_selector, name, artifacts_dir):
    """The first picture inside ``column_selector`` (a box whose width the page decides:
    a card, the paper) lies within it, undistorted."""
    column = page.locator(column_selector, has=page.locator("img")).first
    picture = column.locator("img").first
    expect(picture).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    page.screenshot(path=artifacts_dir / f"wide-picture-{name}.png", full_page=True)
    box, frame = picture.bounding_box(), column.bounding_box()
    assert box["width"] > 100, f"{name}: the picture is not shown"
    assert box["x"] >= frame["x"] - 1, f"{name}: starts left of its column"
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (
        f"{name}: {box['width']:.0f}px picture overflows its {frame['width']:.0f}px column"
    )
    ratio = box["height"] / box["width"]
    assert abs(ratio - 200 / 2400) < 0.02, f"{name}: the picture is distorted"


def test_a_wide_picture_fits_its_column_on_every_page(
    live_server, page, alliance_a, secretary_a, editor, reviewer, settings, tmp_path, artifacts_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size({"width": 1280, "height": 900})
    submission = make_submission(alliance_a, secretary_a, status="draft", title="宽图片的稿件")
    files_add(
        submission_id=submission.pk,
        images=[check_upload(upload("横幅.png", make_png((2400, 200))), allowed={"png"})],
        actor=secretary_a,
    )
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)

    log_in(page, live_server, secretary_a)
    page.goto(f"{live_server.url}/submissions/{submission.pk}/")
    assert_fits(page, "section.card", "secretariat-detail", artifacts_dir)
    log_out(page)

    submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    issue = ready_issue(editor)
    item = issue_services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/submissions/{submission.pk}/revise/")
    assert_fits(page, "form.card", "editor-revise", artifacts_dir)
    page.goto(f"{live_server.url}/issues/{issue.pk}/items/{item.pk}/edit/")
    assert_fits(page, "form", "item-editor", artifacts_dir)
    log_out(page)

    act(issue, "submit", editor)
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    assert_fits(page, ".paper article.item", "review-column", artifacts_dir)
