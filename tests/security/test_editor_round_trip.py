"""Issue 17, finding 6: every editor of a body (the secretariat's form, the editors'
编辑加工, an item's and a free block's) has one configuration that holds every element the
sanitiser allows, and a body saved unchanged is stored unchanged — whether the page's
textarea is sent back as it came, or as the editor re-spells it (thead moved into tbody,
<p> in every cell and list item).

The editor itself is JavaScript: tests/security/test_editor_browser.py drives it."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_prose_editor.config import allowlist_from_extensions

from bulletins import services as issue_services
from bulletins.forms import BlockForm, EditorialItemForm, ItemForm
from bulletins.models import FreeBlock, Item
from core.sanitise import ALLOWED_TAGS
from core.uploads import check_upload
from submissions import services
from submissions.forms import EditorEditForm, SubmissionForm
from submissions.models import Submission
from submissions.workflow import submission_transition
from tests.factories import make_issue, make_submission
from tests.security.bodies import EDITOR_SPELLING, EVERY_ELEMENT
from tests.submissions.files import make_png

pytestmark = pytest.mark.django_db

_TEXTAREA = re.compile(r'<textarea name="body_html"[^>]*>(.*?)</textarea>', re.S)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    "form", [SubmissionForm, EditorEditForm, ItemForm, EditorialItemForm, BlockForm]
)
def test_every_body_editor_holds_every_allowed_element(form):
    config = form.base_fields["body_html"].config
    allowed = allowlist_from_extensions(config["extensions"])["tags"]
    # b and i are held as strong and em (the editor's Bold and Italic parse both).
    assert ALLOWED_TAGS - {"b", "i"} <= set(allowed)


def _shown(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(_TEXTAREA.search(response.content.decode()).group(1))


def _with_picture(submission, actor) -> str:
    picture = check_upload(SimpleUploadedFile("图.png", make_png((60, 40))), allowed={"png"})
    services.files_add(submission_id=submission.pk, images=[picture], actor=actor)
    return Submission.objects.get(pk=submission.pk).body_html


def _as_editor_sends(shown: str) -> str:
    """The page's body as the editor sends it back: EDITOR_SPELLING, then the picture as a
    block of its own (the URL the page showed)."""
    picture = re.search(r"<img [^>]*>", shown).group(0)
    return EDITOR_SPELLING + "<p></p>" + picture


@pytest.mark.parametrize("spelling", ["as shown", "as the editor sends it"])
def test_the_secretariats_form_stores_an_unchanged_body_unchanged(
    client, alliance_a, secretary_a, spelling
):
    submission = make_submission(alliance_a, secretary_a, status="draft", body_html=EVERY_ELEMENT)
    stored = _with_picture(submission, secretary_a)
    assert "<h3>" in stored and "<thead>" in stored and "<img " in stored
    client.force_login(secretary_a)
    url = f"/submissions/{submission.pk}/edit/"
    shown = _shown(client, url)
    body = shown if spelling == "as shown" else _as_editor_sends(shown)
    response = client.post(
        url,
        {
            "title": submission.title,
            "body_html": body,
            "suggested_section": submission.suggested_section,
            "alliance": alliance_a.pk,
            "do": "save",
        },
    )
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).body_html == stored


@pytest.mark.parametrize("spelling", ["as shown", "as the editor sends it"])
def test_the_editors_revision_stores_an_unchanged_body_unchanged(
    client, alliance_a, secretary_a, editor, spelling
):
    submission = make_submission(alliance_a, secretary_a, status="draft", body_html=EVERY_ELEMENT)
    stored = _with_picture(submission, secretary_a)
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    draft = Submission.objects.get(pk=submission.pk)
    client.force_login(editor)
    url = f"/submissions/{draft.pk}/revise/"
    shown = _shown(client, url)
    body = shown if spelling == "as shown" else _as_editor_sends(shown)
    response = client.post(url, {"title": draft.title, "body_html": body, "note": ""}, follow=True)
    assert "内容没有变化，未生成新版本。" in response.content.decode()
    assert Submission.objects.get(pk=draft.pk).body_html == stored


@pytest.mark.parametrize("spelling", ["as shown", "as the editor sends it"])
def test_an_items_editor_stores_an_unchanged_body_unchanged(
    client, alliance_a, secretary_a, editor, spelling
):
    submission = make_submission(alliance_a, secretary_a, status="draft", body_html=EVERY_ELEMENT)
    _with_picture(submission, secretary_a)
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    issue = make_issue(editor)
    item = issue_services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    stored = item.body_html
    assert "<h3>" in stored and "<thead>" in stored and "<img " in stored
    client.force_login(editor)
    url = f"/issues/{issue.pk}/items/{item.pk}/edit/"
    shown = _shown(client, url)
    body = shown if spelling == "as shown" else _as_editor_sends(shown)
    response = client.post(url, {"title": item.title, "body_html": body})
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).body_html == stored


@pytest.mark.parametrize("spelling", ["as shown", "as the editor sends it"])
def test_a_free_blocks_editor_stores_an_unchanged_body_unchanged(client, editor, spelling):
    issue = make_issue(editor)
    block = issue_services.block_add(
        issue_id=issue.pk, kind="thanks", title="致谢", body_html=EVERY_ELEMENT, actor=editor
    )
    assert block.body_html == EVERY_ELEMENT
    client.force_login(editor)
    url = f"/issues/{issue.pk}/blocks/{block.pk}/edit/"
    shown = _shown(client, url)
    body = shown if spelling == "as shown" else EDITOR_SPELLING
    response = client.post(url, {"kind": "thanks", "title": "致谢", "body_html": body})
    assert response.status_code == 302
    assert FreeBlock.objects.get(pk=block.pk).body_html == EVERY_ELEMENT
