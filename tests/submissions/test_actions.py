"""What a secretariat may take back (delete a draft, withdraw an untouched submission) and
how an editor records a submission printed outside the system: each through its
server-rendered confirmation page, each refused across the alliance wall with a 404."""

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from core.uploads import check_upload
from submissions.models import Submission, SubmissionEvent, SubmissionFile
from submissions.services import editor_edit, files_add
from tests.factories import make_secretary, make_submission

from .files import PDF, make_png
from .test_views import messages_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft_with_files(alliance, secretary):
    draft = make_submission(alliance, secretary, status="draft")
    files_add(
        submission_id=draft.pk,
        attachments=[check_upload(upload("通知.pdf", PDF))],
        images=[check_upload(upload("图.png", make_png()), allowed={"png"})],
        actor=secretary,
    )
    return draft


# --- deleting a draft ---------------------------------------------------------------------


def test_a_draft_is_deleted_with_its_files_after_a_confirmation(
    client, alliance_a, secretary_a, django_capture_on_commit_callbacks
):
    draft = draft_with_files(alliance_a, secretary_a)
    names = list(draft.files.values_list("file", flat=True))
    assert len(names) == 2 and all(default_storage.exists(n) for n in names)
    client.force_login(secretary_a)
    url = reverse("submissions:delete", args=[draft.pk])

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "确定删除草稿" in body and "通知.pdf" in body and "无法恢复" in body
    assert Submission.objects.filter(pk=draft.pk).exists()  # the GET only asks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("submissions:mine")
    assert not Submission.objects.filter(pk=draft.pk).exists()
    assert not SubmissionFile.objects.filter(submission_id=draft.pk).exists()
    assert not SubmissionEvent.objects.filter(submission_id=draft.pk).exists()
    assert not any(default_storage.exists(n) for n in names)
    assert "已删除" in "".join(messages_of(client.get(response.url)))


def test_the_draft_page_and_list_offer_the_delete(client, alliance_a, secretary_a):
    draft = make_submission(alliance_a, secretary_a, status="draft", title="", body_html="")
    client.force_login(secretary_a)
    url = reverse("submissions:delete", args=[draft.pk])
    assert url in client.get(reverse("submissions:detail", args=[draft.pk])).content.decode()
    mine = client.get(reverse("submissions:mine")).content.decode()
    assert "（无标题草稿）" in mine and url in mine  # an old empty draft can go
    client.post(url)
    assert not Submission.objects.exists()


def test_a_submitted_submission_cannot_be_deleted(client, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    client.force_login(secretary_a)
    url = reverse("submissions:delete", args=[submission.pk])
    for method in (client.get, client.post):
        response = method(url, follow=True)
        assert "不能删除" in "".join(messages_of(response))
    assert Submission.objects.filter(pk=submission.pk, status=Submission.Status.SUBMITTED).exists()


def test_another_alliance_and_the_office_get_404_for_a_delete(
    client, alliance_a, secretary_a, secretary_b, editor
):
    draft = draft_with_files(alliance_a, secretary_a)
    url = reverse("submissions:delete", args=[draft.pk])
    for user in (secretary_b, editor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert draft.files.count() == 2
    assert Submission.objects.filter(pk=draft.pk).exists()


def test_a_colleague_of_the_same_alliance_may_delete_the_draft(client, alliance_a, secretary_a):
    draft = make_submission(alliance_a, secretary_a, status="draft")
    colleague = make_secretary(alliance_a, username="colleague")
    client.force_login(colleague)
    assert client.post(reverse("submissions:delete", args=[draft.pk])).status_code == 302
    assert not Submission.objects.filter(pk=draft.pk).exists()


# --- withdrawing ------------------------------------------------------------------------


def test_an_untouched_submission_is_withdrawn_and_kept_for_the_record(
    client, alliance_a, secretary_a, editor
):
    submission = make_submission(alliance_a, secretary_a, title="误投的稿件")
    client.force_login(secretary_a)
    detail = reverse("submissions:detail", args=[submission.pk])
    url = reverse("submissions:withdraw", args=[submission.pk])
    assert url in client.get(detail).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "确定撤回" in page.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED  # the GET only asks

    response = client.post(url)
    assert response.status_code == 302 and response.url == detail
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN
    event = submission.events.order_by("-pk").first()
    assert (event.action, event.from_status, event.to_status) == (
        "withdraw",
        "submitted",
        "withdrawn",
    )
    # Kept, in the secretariat's list under its own tab.
    mine = client.get(reverse("submissions:mine"), {"status": "withdrawn"})
    assert [s.title for s in mine.context["page"]] == ["误投的稿件"]
    assert ("withdrawn", "已撤回", 1) in mine.context["counts"]
    # Out of the editors' inbox; the page itself stays readable for the record.
    client.force_login(editor)
    inbox = client.get(reverse("submissions:inbox"))
    assert "误投的稿件" not in inbox.content.decode()
    assert client.get(detail).status_code == 200


@pytest.mark.parametrize("touch", ["edit", "request_revision_then_resubmit", "accept"])
def test_a_submission_an_editor_acted_on_cannot_be_withdrawn(
    touch, client, alliance_a, secretary_a, editor
):
    from submissions.workflow import submission_transition

    submission = make_submission(alliance_a, secretary_a)
    if touch == "edit":
        editor_edit(
            submission_id=submission.pk,
            title="编辑改过的标题",
            body_html="<p>正文</p>",
            actor=editor,
        )
    elif touch == "accept":
        submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    else:
        submission_transition(
            submission_id=submission.pk, action="request_revision", actor=editor, comment="请补充"
        )
        submission_transition(submission_id=submission.pk, action="resubmit", actor=secretary_a)
    submission.refresh_from_db()
    status = submission.status
    client.force_login(secretary_a)
    url = reverse("submissions:withdraw", args=[submission.pk])
    assert (
        url not in client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    )
    for method in (client.get, client.post):
        response = method(url, follow=True)
        said = "".join(messages_of(response))
        if status == Submission.Status.SUBMITTED:
            assert "编辑部已处理过这篇稿件" in said and "不能再撤回" in said
        else:
            assert "不能执行“撤回投稿”" in said
    submission.refresh_from_db()
    assert submission.status == status


def test_another_alliance_and_the_office_get_404_for_a_withdraw(
    client, alliance_a, secretary_a, secretary_b, editor
):
    submission = make_submission(alliance_a, secretary_a)
    url = reverse("submissions:withdraw", args=[submission.pk])
    for user in (secretary_b, editor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_withdraw_is_not_a_bare_button(client, alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    client.force_login(secretary_a)
    response = client.post(
        reverse("submissions:transition", args=[submission.pk]), {"action": "withdraw"}
    )
    assert response.status_code == 400
    assert "确认页面" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


# --- recording a print outside the system ------------------------------------------------


def test_publish_without_naming_the_issue_is_refused(alliance_a, secretary_a, editor):
    from django.core.exceptions import ValidationError

    from submissions.workflow import submission_transition

    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="请先注明刊发在哪一期"):
        submission_transition(submission_id=submission.pk, action="publish", actor=editor)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED and mail.outbox == []


def test_the_transition_view_no_longer_publishes_without_an_issue(
    client, alliance_a, secretary_a, editor
):
    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    client.force_login(editor)
    mail.outbox.clear()
    response = client.post(
        reverse("submissions:transition", args=[submission.pk]), {"action": "publish"}
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED and mail.outbox == []


def test_an_editor_names_the_outside_issue_confirms_and_the_email_names_it(
    client, alliance_a, secretary_a, editor, django_capture_on_commit_callbacks
):
    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    client.force_login(editor)
    detail = reverse("submissions:detail", args=[submission.pk])
    url = reverse("submissions:publish", args=[submission.pk])
    assert url in client.get(detail).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and "在系统外印发" in form.content.decode()

    # Nothing named: the form says what is missing, nothing changes.
    bad = client.post(url, {"volume_year": "", "number": "0"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "请填写刊发的年份" in text and "请填写当年的第几期" in text

    # Named: a confirmation page shows the issue and who will be told; still nothing saved.
    data = {"volume_year": "2023", "number": "3", "cumulative_number": "68", "page": "5"}
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "刊于2023年第3期（总第68期）第5页" in text and secretary_a.email in text
    assert 'name="confirmed" value="1"' in text
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302 and done.url == detail
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.printed_issue_label == "2023年第3期（总第68期）"
    assert submission.printed_page == 5
    assert submission.versions.filter(kind="printed").count() == 1
    assert len(mail.outbox) == 1
    assert "已在简报2023年第3期（总第68期）第5页刊发" in mail.outbox[0].body


def test_only_editors_and_signers_record_a_print_and_only_when_accepted(
    client, alliance_a, secretary_a, secretary_b, editor, reviewer
):
    accepted = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    url = reverse("submissions:publish", args=[accepted.pk])
    data = {"volume_year": "2023", "number": "3", "confirmed": "1"}
    for user in (secretary_a, secretary_b, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    submitted = make_submission(alliance_a, secretary_a, editor=editor)
    client.force_login(editor)
    response = client.post(reverse("submissions:publish", args=[submitted.pk]), data, follow=True)
    assert "不能执行“登记已刊发”" in "".join(messages_of(response))
    for submission in (accepted, submitted):
        submission.refresh_from_db()
        assert submission.status != Submission.Status.PUBLISHED
