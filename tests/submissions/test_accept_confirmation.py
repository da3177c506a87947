"""采用 goes through a confirmation page rendered by the server: what it shows, who may open
it, and a POST that skips it or carries a token for something else (nothing changes, the
message is in Chinese, the typed comment is kept)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from submissions.confirmation import accept_token
from submissions.models import Submission
from submissions.workflow import submission_transition
from tests.factories import make_submission, make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(alliance_a, secretary_a):
    return make_submission(alliance_a, secretary_a, status="submitted", title="化纤联盟召开理事会")


def accept_url(submission):
    return reverse("submissions:accept", args=[submission.pk])


def test_the_confirmation_shows_what_is_accepted_and_what_follows(client, editor, submission):
    client.force_login(editor)
    page = client.get(accept_url(submission)).content.decode()
    assert "确认采用" in page and "化纤联盟召开理事会" in page
    assert "秘书处会收到采用通知邮件" in page and "第 1 版" in page
    assert 'name="confirmation"' in page


def test_only_editors_open_it(
    client, submission, secretary_a, secretary_b, reviewer, signer, administrator, recipient
):
    for user, status in (
        (secretary_a, 403),  # the submission's own secretariat may not accept it
        (reviewer, 403),
        (signer, 403),
        (administrator, 403),
        (secretary_b, 404),  # another alliance's submission does not exist for B
        (recipient, 404),
    ):
        force_login_verified(client, user)
        for response in (client.get(accept_url(submission)), client.post(accept_url(submission))):
            assert response.status_code == status, (user.username, response.status_code)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    client.logout()
    assert client.get(accept_url(submission)).status_code == 302


def test_a_post_without_the_confirmation_changes_nothing_and_keeps_the_comment(
    client, editor, submission
):
    client.force_login(editor)
    response = client.post(
        reverse("submissions:transition", args=[submission.pk]),
        {"action": "accept", "comment": "写得很好，略作删节。"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请核对稿件后点击“确认采用”" in page
    assert "写得很好，略作删节。" in page and 'name="confirmation"' in page
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_a_token_for_another_version_or_user_changes_nothing(
    client, editor, submission, secretary_a
):
    other_editor = make_user(Role.EDITOR, username="editor2")
    stale = accept_token(submission=submission, user=editor)
    # Returned and submitted again: a new version.
    submission_transition(
        submission_id=submission.pk, action="request_revision", actor=editor, comment="请补充。"
    )
    submission_transition(submission_id=submission.pk, action="resubmit", actor=secretary_a)
    client.force_login(editor)
    for token in (
        stale,
        accept_token(submission=submission, user=other_editor),
        "forged",
    ):
        response = client.post(accept_url(submission), {"confirmation": token})
        assert response.status_code == 400
        assert "没有生效" in response.content.decode()
        submission.refresh_from_db()
        assert submission.status == Submission.Status.SUBMITTED


def test_the_confirmed_post_accepts_and_tells_the_secretariat(
    client, editor, submission, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    mail.outbox.clear()
    token = accept_token(submission=submission, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            accept_url(submission), {"confirmation": token, "comment": "已采用，谢谢。"}
        )
    assert response.status_code == 302
    assert any("化纤联盟召开理事会" in m.subject + m.body for m in mail.outbox)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.events.get(action="accept").comment == "已采用，谢谢。"
    # Once accepted, the confirmation sends the editor back to the submission.
    response = client.get(accept_url(submission), follow=True)
    assert "不能采用" in response.content.decode()
