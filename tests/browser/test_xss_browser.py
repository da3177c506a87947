"""The XSS corpus in a real browser: every payload is written straight into the database
(past the services' sanitising, as old or corrupted rows would be), then the pages that
show it are loaded in Chromium with ``alert``/``confirm``/``prompt``/``print`` and a
``window.__xss`` hook replaced by recorders, dialogs recorded, and every request to a
host other than the test server recorded. Nothing may fire and nothing may be fetched."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from bulletins import services as issue_services
from bulletins.document import SECTION_ALLIANCES, IssueDocument, ItemDoc, Masthead, SectionDoc
from bulletins.models import FreeBlock, Item
from submissions.models import Submission
from tests.factories import PASSWORD, make_issue, make_submission
from tests.security.xss_corpus import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = "".join(payload for _, payload in PAYLOADS)
TITLE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'

HOOK = """
window.__fired = [];
const record = (name) => function () { window.__fired.push(name + ":" + [...arguments].join(",")); };
window.alert = record("alert");
window.confirm = record("confirm");
window.prompt = record("prompt");
window.print = record("print");
window.__xss = record("__xss");
"""


@pytest.fixture
def watched_page(page, live_server):
    """A page that records dialogs and requests leaving the test server."""
    dialogs, outside = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    page.add_init_script(HOOK)
    page.dialogs, page.outside = dialogs, outside
    return page


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Hover over the page and focus each link: handlers that need a user would fire now.
    for y in range(0, 1600, 80):
        page.mouse.move(400, y)
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    fired = page.evaluate("window.__fired")
    assert fired == [] and page.dialogs == [], f"{url}: {fired} {page.dialogs}"
    assert page.outside == [], f"{url} fetched {page.outside}"


def test_stored_payloads_fire_nothing_in_chromium(
    live_server, watched_page, editor, recipient, alliance_a, secretary_a, settings
):
    page = watched_page
    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    issue = make_issue(editor)
    item = issue_services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    issue_services.block_add(
        issue_id=issue.pk, kind="note", title="说明", body_html="<p>x</p>", actor=editor
    )
    Submission.objects.filter(pk=submission.pk).update(title=TITLE, body_html=ALL)
    Item.objects.filter(pk=item.pk).update(title=TITLE, body_html=ALL, attribution=TITLE)
    FreeBlock.objects.filter(issue=issue).update(title=TITLE, body_html=ALL)

    log_in(page, live_server, editor)
    for url in (
        reverse("submissions:detail", args=[submission.pk]),
        reverse("submissions:inbox") + "?q=" + TITLE,
        reverse("bulletins:detail", args=[issue.pk]),
        reverse("bulletins:assemble", args=[issue.pk]),
        reverse("bulletins:item_edit", args=[issue.pk, item.pk]),
    ):
        visit(page, live_server.url + url)


def test_the_rich_text_editor_loads_payloads_without_running_them(
    live_server, watched_page, editor, alliance_a, secretary_a
):
    """The editor (ProseMirror) parses the body into its own document: the revise page is
    where a stored body becomes live DOM again."""
    page = watched_page
    submission = make_submission(alliance_a, secretary_a, status="submitted")
    Submission.objects.filter(pk=submission.pk).update(body_html=ALL)
    log_in(page, live_server, editor)
    visit(page, live_server.url + reverse("submissions:revise", args=[submission.pk]))


def test_the_archive_web_edition_fires_nothing(live_server, watched_page, recipient, settings):
    from distribution.services import publication_distribute
    from tests.distribution.helpers import lists_with_contacts, publication

    settings.CITISA_ARCHIVE_PUBLIC = True
    lists_with_contacts(report=1, send=0)
    doc = IssueDocument(
        masthead=Masthead(volume_year=2023, number=1, cumulative_number=66, issued_on=date.today()),
        sections=[
            SectionDoc(
                title=SECTION_ALLIANCES,
                items=[ItemDoc(title=TITLE, body_html=ALL, attribution=TITLE)],
            )
        ],
    )
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        publication_distribute(publication=publication(issue_id=9, doc=doc))
    visit(watched_page, f"{live_server.url}/archive/9/")
    visit(watched_page, f"{live_server.url}/archive/?q=" + TITLE)
