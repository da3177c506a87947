"""Issue 17, finding 7: a body may show only its own pictures.

A submission's body may name only pictures uploaded with that submission; an item's or a
free block's only those of the submissions placed in its issue. Any other media path —
here another alliance's draft picture — is dropped when the body is stored, whatever its
spelling (media path, the page's image URL, entities, unquoted), and the user is told.
Before, the path was stored, printed by the renderer and served by the web edition."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bulletins import services as issue_services
from bulletins.models import FreeBlock, Item
from core.uploads import check_upload
from submissions import services
from submissions.models import Submission
from submissions.workflow import submission_transition
from tests.factories import make_issue, make_submission
from tests.submissions.files import make_png

pytestmark = pytest.mark.django_db
NOTE = "张图片不是"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture_of(submission, actor) -> str:
    """Upload a picture with ``submission``; its media path."""
    checked = check_upload(SimpleUploadedFile("图.png", make_png((30, 20))), allowed={"png"})
    (row,) = services.files_add(submission_id=submission.pk, images=[checked], actor=actor)
    return row.file.name


@pytest.fixture
def secret_picture(alliance_b, secretary_b):
    """A picture in alliance B's unsent draft."""
    draft = make_submission(alliance_b, secretary_b, status="draft", title="乙联盟草稿")
    return picture_of(draft, secretary_b)


def spellings(path: str, submission_id: int) -> list[str]:
    return [
        f'<p><img src="{path}" alt=""></p>',
        f'<p><img src="/submissions/{submission_id}/media/{path}"></p>',
        f"<p><img alt=x src={path}></p>",  # unquoted
        f'<p><img src="{path.replace("s", "&#115;", 1)}"></p>',  # an entity
        f'<p><img alt=" src=\'x\'" src="{path}"></p>',  # a decoy src inside alt
        f'<p><img src="{path.replace("/", "/./", 1)}"></p>'.replace("/./", "/"),
    ]


def test_a_submission_body_cannot_show_another_alliances_picture(
    client, alliance_a, secretary_a, secret_picture
):
    mine = make_submission(alliance_a, secretary_a, status="draft", title="甲联盟稿件")
    own = picture_of(mine, secretary_a)
    client.force_login(secretary_a)
    for body in spellings(secret_picture, mine.pk):
        response = client.post(
            f"/submissions/{mine.pk}/edit/",
            {
                "title": "甲联盟稿件",
                "body_html": f'<p>正文</p><p><img src="{own}" alt=""></p>{body}',
                "suggested_section": mine.suggested_section,
                "alliance": alliance_a.pk,
                "do": "save",
            },
            follow=True,
        )
        stored = Submission.objects.get(pk=mine.pk).body_html
        assert secret_picture not in stored, body
        assert own in stored  # its own picture stays
        assert NOTE in response.content.decode(), body


def test_a_new_submission_cannot_show_another_alliances_picture(
    client, alliance_a, secretary_a, secret_picture
):
    client.force_login(secretary_a)
    response = client.post(
        "/submissions/new/",
        {
            "title": "新稿件",
            "body_html": f'<p>正文</p><p><img src="{secret_picture}" alt=""></p>',
            "suggested_section": "联盟动态",
            "alliance": alliance_a.pk,
            "do": "save",
        },
        follow=True,
    )
    stored = Submission.objects.get(title="新稿件").body_html
    assert stored == "<p>正文</p>"
    assert NOTE in response.content.decode()


def test_the_editors_revision_cannot_show_another_submissions_picture(
    client, alliance_a, secretary_a, editor, secret_picture
):
    submission = make_submission(alliance_a, secretary_a, status="submitted")
    client.force_login(editor)
    response = client.post(
        f"/submissions/{submission.pk}/revise/",
        {
            "title": submission.title,
            "body_html": f'<p>改过的正文</p><p><img src="{secret_picture}" alt=""></p>',
            "note": "",
        },
        follow=True,
    )
    assert Submission.objects.get(pk=submission.pk).body_html == "<p>改过的正文</p>"
    assert NOTE in response.content.decode()


@pytest.fixture
def placed(alliance_a, secretary_a, editor):
    """An issue with alliance A's accepted submission (and its picture) placed in it."""
    submission = make_submission(alliance_a, secretary_a, status="draft", title="甲联盟稿件")
    own = picture_of(submission, secretary_a)
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    issue = make_issue(editor)
    item = issue_services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    return issue, item, own


def test_an_items_body_cannot_show_a_picture_from_outside_its_issue(
    client, editor, placed, secret_picture
):
    issue, item, own = placed
    client.force_login(editor)
    for body in spellings(secret_picture, item.submission_id):
        response = client.post(
            f"/issues/{issue.pk}/items/{item.pk}/edit/",
            {"title": item.title, "body_html": f'<p>正文</p><img src="{own}" alt="">{body}'},
            follow=True,
        )
        stored = Item.objects.get(pk=item.pk).body_html
        assert secret_picture not in stored, body
        assert own in stored
        assert NOTE in response.content.decode(), body


def test_an_editorial_item_may_show_the_issues_pictures_but_no_other(
    client, editor, placed, secret_picture
):
    issue, _item, own = placed
    section = issue.sections.first()
    client.force_login(editor)
    response = client.post(
        f"/issues/{issue.pk}/items/new/",
        {
            "section": section.pk,
            "title": "编辑部稿件",
            "body_html": f'<p>正文</p><img src="{own}" alt=""><img src="{secret_picture}" alt="">',
        },
        follow=True,
    )
    stored = Item.objects.get(title="编辑部稿件").body_html
    assert stored == f'<p>正文</p><img src="{own}" alt="">'
    assert NOTE in response.content.decode()


def test_a_free_block_cannot_show_a_picture_from_outside_its_issue(
    client, editor, placed, secret_picture
):
    issue, _item, own = placed
    client.force_login(editor)
    response = client.post(
        f"/issues/{issue.pk}/blocks/new/",
        {
            "kind": "thanks",
            "title": "致谢",
            "body_html": f'<p>感谢</p><img src="{secret_picture}" alt=""><img src="{own}" alt="">',
        },
        follow=True,
    )
    block = FreeBlock.objects.get(issue=issue)
    assert block.body_html == f'<p>感谢</p><img src="{own}" alt="">'
    assert NOTE in response.content.decode()


def test_the_services_drop_it_too(editor, placed, secret_picture):
    """Whoever calls the services (the views, the importer, a script) gets the same rule."""
    issue, item, _own = placed
    body = f'<p>正文</p><img src="{secret_picture}" alt="">'
    updated = issue_services.item_update(
        item_id=item.pk, title=item.title, body_html=body, actor=editor
    )
    assert updated.body_html == "<p>正文</p>"
    block = issue_services.block_add(
        issue_id=issue.pk, kind="thanks", title="致谢", body_html=body, actor=editor
    )
    assert block.body_html == "<p>正文</p>"
