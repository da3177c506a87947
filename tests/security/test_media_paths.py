"""Issue 17, finding 1: every URL that maps a path to a stored file (a version's images, a
submission's images, an archived issue's images) answers 404 to a path that cannot name a
stored file — a NUL, ``..``, a backslash, an over-long name — instead of letting it reach
the file system or a query (where a NUL raised "embedded null byte": HTTP 500)."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bulletins.document import SECTION_ALLIANCES, IssueDocument, ItemDoc, Masthead, SectionDoc
from bulletins.services import item_create, item_place_submission
from core.sanitise import media_path_from_url
from core.uploads import check_upload
from submissions.services import files_add
from submissions.workflow import submission_transition
from tests.bulletins.test_workflow import act, ready_issue
from tests.factories import make_submission
from tests.submissions.files import make_png

pytestmark = pytest.mark.django_db

BAD_PATHS = [
    "%00",
    "%00.jpg",
    "{image}%00",
    "{folder}/%00.jpg",
    "{folder}/a%00b.png",
    "{folder}/%2500.jpg",
    "../{image}",
    "{folder}/../{image}",
    "..%2F..%2Fsettings.py",
    "{folder}/..",
    "{folder}%5C{name}",
    "{folder}\\{name}",
    "{folder}/" + "a" * 1000 + ".png",
    "{folder}/" + "a" * 300,
    "a/" * 200 + "b.png",
    "/{image}",
    "{folder}//{name}",
    "{folder}/%0A.png",
    "{folder}/\u202egnp.exe",
]


@pytest.fixture
def world(settings, tmp_path, client, alliance_a, secretary_a, editor):
    """A submission with an image (accepted and placed), a frozen issue version and an archived issue that both
    print it; the editor logged in (he may see all three)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CITISA_ARCHIVE_PUBLIC = True
    submission = make_submission(
        alliance_a, secretary_a, status="revision_requested", editor=editor
    )
    upload = SimpleUploadedFile("图.png", make_png(), content_type="image/png")
    files_add(
        submission_id=submission.pk,
        attachments=[],
        images=[check_upload(upload, allowed={"png"})],
        actor=secretary_a,
    )
    image = submission.files.get(kind="image").file.name
    body = f'<p>会场。</p><img src="{image}" alt="会场">'
    # Accepted and placed in the issue, so that an editor's item may show its picture.
    submission_transition(submission_id=submission.pk, action="resubmit", actor=secretary_a)
    submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    issue = ready_issue(editor, volume_year=2023, number=5, cumulative_number=70)
    item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
    item_create(
        issue_id=issue.pk,
        section_id=issue.sections.last().pk,
        title="联盟召开理事会",
        body_html=body,
        actor=editor,
    )
    with mock.patch("bulletins.renditions._send"):
        version = act(issue, "submit", editor).version

    from distribution.services import publication_distribute
    from tests.distribution.helpers import lists_with_contacts, publication

    lists_with_contacts(report=1, send=0)
    doc = IssueDocument(
        masthead=Masthead(volume_year=2023, number=1, cumulative_number=66, issued_on=date.today()),
        sections=[SectionDoc(title=SECTION_ALLIANCES, items=[ItemDoc(title="稿", body_html=body)])],
    )
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        publication_distribute(publication=publication(issue_id=77, doc=doc))
    client.force_login(editor)
    folder, _, name = image.rpartition("/")
    prefixes = {
        "version": f"/issues/{issue.pk}/versions/{version.pk}/media/",
        "submission": f"/submissions/{submission.pk}/media/",
        "archive": "/archive/77/media/",
    }
    return {"image": image, "folder": folder, "name": name, "prefixes": prefixes}


@pytest.mark.parametrize("where", ["version", "submission", "archive"])
def test_image_urls_answer_404_to_paths_that_name_no_stored_file(client, world, where):
    prefix = world["prefixes"][where]
    # The view works: the real image is served.
    response = client.get(prefix + world["image"])
    assert response.status_code == 200, where
    assert response["Content-Type"].startswith("image/")
    failures = []
    for template in BAD_PATHS:
        url = prefix + template.format(**world)
        try:
            status = client.get(url).status_code
        except Exception as error:  # the test client re-raises what would be a 500
            status = f"500 ({error!r})"
        if status != 404:
            failures.append(f"{url[:120]} -> {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    ["a\x00.jpg", "a/../b.jpg", "a\\b.jpg", "a" * 256, "/a.jpg", "a//b.jpg", "a/\u200b.jpg"],
)
def test_the_one_validator_refuses_what_names_no_stored_file(path):
    assert media_path_from_url(path) is None


def test_the_one_validator_keeps_stored_names():
    name = "submissions/12/3fa9c0d1e2f34a5b6c7d8e9f00112233.jpg"
    assert media_path_from_url(name) == name
