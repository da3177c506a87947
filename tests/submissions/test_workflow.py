"""Every status transition against every role, the event log and the queued e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from submissions.models import Submission, SubmissionEvent, SubmissionVersion
from submissions.services import printed_version_record
from submissions.workflow import (
    TRANSITIONS,
    InvalidTransition,
    SubmissionAction,
    available_actions,
    submission_transition,
)
from tests.factories import make_secretary, make_submission, make_user

pytestmark = pytest.mark.django_db

ROLES = [
    "own_secretariat",
    "other_secretariat",
    "editor",
    "reviewer",
    "signer",
    "administrator",
    "recipient",
    "system",
]
# Who may make each move (the table in the workflow's docstring, restated independently).
ALLOWED = {
    "submit": {"own_secretariat"},
    "resubmit": {"own_secretariat"},
    "withdraw": {"own_secretariat"},
    "accept": {"editor"},
    "request_revision": {"editor"},
    "decline": {"editor"},
    "reopen": {"editor"},
    "publish": {"editor", "signer", "system"},
}
FROM = {
    "submit": {Submission.Status.DRAFT},
    "resubmit": {Submission.Status.REVISION_REQUESTED},
    "withdraw": {Submission.Status.SUBMITTED},
    "accept": {Submission.Status.SUBMITTED},
    "request_revision": {Submission.Status.SUBMITTED},
    "decline": {Submission.Status.SUBMITTED},
    "reopen": {Submission.Status.ACCEPTED, Submission.Status.DECLINED},
    "publish": {Submission.Status.ACCEPTED},
}
TO = {
    "submit": Submission.Status.SUBMITTED,
    "resubmit": Submission.Status.SUBMITTED,
    "withdraw": Submission.Status.WITHDRAWN,
    "accept": Submission.Status.ACCEPTED,
    "request_revision": Submission.Status.REVISION_REQUESTED,
    "decline": Submission.Status.DECLINED,
    "reopen": Submission.Status.SUBMITTED,
    "publish": Submission.Status.PUBLISHED,
}
CASES = [
    (action, status, role)
    for action in ALLOWED
    for status in Submission.Status.values
    for role in ROLES
]


def test_the_table_is_what_the_tests_expect():
    assert {action for _status, action in TRANSITIONS} == set(ALLOWED) == set(SubmissionAction)
    for action in ALLOWED:
        assert {status for status, name in TRANSITIONS if name == action} == FROM[action]
    for (_status, action), move in TRANSITIONS.items():
        assert move.target == TO[action]
        assert move.label == SubmissionAction(action).label


@pytest.fixture
def people(alliance_a, alliance_b, secretary_a, secretary_b, editor):
    return {
        "own_secretariat": secretary_a,
        "other_secretariat": secretary_b,
        "editor": editor,
        "reviewer": make_user(Role.REVIEWER),
        "signer": make_user(Role.SIGNER),
        "administrator": make_user(Role.ADMINISTRATOR),
        "recipient": make_user(Role.RECIPIENT),
        "system": None,
    }


@pytest.mark.parametrize(("action", "status", "role"), CASES)
def test_transition(action, status, role, people, alliance_a, secretary_a, editor):
    submission = make_submission(alliance_a, secretary_a, status=status, editor=editor)
    actor = people[role]
    events_before = submission.events.count()
    comment = "理由：内容与上期重复。"
    allowed_role = role in ALLOWED[action]
    allowed_status = status in FROM[action]

    if actor is not None:
        shown = {name for name, _ in available_actions(submission, actor)}
        assert (action in shown) == (allowed_role and allowed_status)
    if action == "publish" and status == Submission.Status.ACCEPTED:
        # The issue side (or the editor naming an outside issue) records where it was
        # printed first; without it publish is refused (test below).
        printed_version_record(
            submission_id=submission.pk,
            title=submission.title,
            body_html=submission.body_html,
            issue_label="2026年第2期（总第84期）",
        )

    if not allowed_role:
        with pytest.raises(PermissionDenied):
            submission_transition(
                submission_id=submission.pk, action=action, actor=actor, comment=comment
            )
    elif not allowed_status:
        with pytest.raises(InvalidTransition):
            submission_transition(
                submission_id=submission.pk, action=action, actor=actor, comment=comment
            )
    else:
        submission_transition(
            submission_id=submission.pk, action=action, actor=actor, comment=comment
        )
        submission.refresh_from_db()
        assert submission.status == TO[action]
        event = submission.events.order_by("-pk").first()
        assert (event.action, event.from_status, event.to_status) == (action, status, TO[action])
        assert event.actor == actor
        assert event.actor_label == (actor.display_name if actor else "系统")
        assert event.comment == comment
        assert submission.events.count() == events_before + 1
        return
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.events.count() == events_before


@pytest.mark.parametrize("action", ["request_revision", "decline"])
def test_return_and_decline_need_a_comment(action, alliance_a, secretary_a, editor):
    submission = make_submission(alliance_a, secretary_a, editor=editor)
    with pytest.raises(ValidationError) as error:
        submission_transition(
            submission_id=submission.pk, action=action, actor=editor, comment="  "
        )
    assert "comment" in error.value.message_dict
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_submit_refuses_an_empty_title_or_body(alliance_a, secretary_a):
    submission = make_submission(
        alliance_a, secretary_a, status="draft", title="", body_html="<p> </p>"
    )
    with pytest.raises(ValidationError) as error:
        submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    assert set(error.value.message_dict) == {"title", "body_html"}
    assert "标题" in error.value.message_dict["title"][0]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT and not submission.versions.exists()


def test_a_second_submit_is_refused_and_stores_nothing_twice(alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a, status="draft")
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    with pytest.raises(InvalidTransition) as error:
        submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    assert "已投稿" in error.value.messages[0]
    assert submission.versions.count() == 1
    assert submission.events.filter(action="submit").count() == 1


def test_every_submit_keeps_a_version(alliance_a, secretary_a, editor):
    from submissions.services import DraftInput, draft_save

    submission = make_submission(
        alliance_a, secretary_a, status="revision_requested", editor=editor
    )
    draft_save(
        actor=secretary_a,
        submission_id=submission.pk,
        data=DraftInput(title="修改后的标题", body_html="<p>补充了活动时间。</p>"),
    )
    submission_transition(submission_id=submission.pk, action="resubmit", actor=secretary_a)
    versions = list(submission.versions.order_by("number"))
    assert [(v.number, v.kind) for v in versions] == [(1, "submitted"), (2, "submitted")]
    assert versions[0].title == "化纤联盟协办中国纺织科技成果对接峰会"
    assert versions[1].title == "修改后的标题"


@pytest.mark.parametrize("action", ["accept", "request_revision", "decline"])
def test_a_decision_emails_the_secretariat_after_commit(
    action, alliance_a, secretary_a, editor, django_capture_on_commit_callbacks
):
    other_staff = make_secretary(alliance_a, username="second_secretary")
    submission = make_submission(alliance_a, secretary_a, editor=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_transition(
            submission_id=submission.pk, action=action, actor=editor, comment="请压缩到500字。"
        )
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([secretary_a.email, other_staff.email])
    assert submission.title in message.subject
    assert "请压缩到500字。" in message.body
    # The task is idempotent: running it again sends nothing more.
    from submissions.notifications import event_email_send

    event = submission.events.get(action=action)
    assert event_email_send(event_id=event.pk) is False
    assert len(mail.outbox) == 1


def test_submitting_queues_no_email(alliance_a, secretary_a, django_capture_on_commit_callbacks):
    submission = make_submission(alliance_a, secretary_a, status="draft")
    with django_capture_on_commit_callbacks() as callbacks:
        submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    assert callbacks == []


def test_the_sweeper_finds_events_whose_email_was_lost(alliance_a, secretary_a, editor):
    from datetime import timedelta

    from django.utils import timezone

    from submissions.notifications import event_email_send, unsent_event_ids

    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    event = submission.events.get(action="accept")
    SubmissionEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    assert unsent_event_ids() == [event.pk]
    assert event_email_send(event_id=event.pk) is True
    assert unsent_event_ids() == []


def test_events_are_append_only(alliance_a, secretary_a):
    submission = make_submission(alliance_a, secretary_a)
    event = submission.events.first()
    event.comment = "篡改"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_publish_by_the_system_with_the_printed_version(alliance_a, secretary_a, editor):
    from submissions.services import printed_version_record

    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    printed_version_record(
        submission_id=submission.pk,
        title="化纤联盟协办中国纺织科技成果对接峰会",
        body_html="<p>峰会日前在晋江市举办。</p>",
        issue_label="2026年第2期（总第84期）",
        issue_ref=84,
        page=7,
    )
    # Idempotent: the issue side may call it twice.
    printed_version_record(
        submission_id=submission.pk,
        title="化纤联盟协办中国纺织科技成果对接峰会",
        body_html="<p>峰会日前在晋江市举办。</p>",
        issue_label="2026年第2期（总第84期）",
        issue_ref=84,
        page=7,
    )
    submission_transition(
        submission_id=submission.pk, action="publish", actor=None, comment="随期次印发"
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert (submission.printed_issue_label, submission.printed_page) == (
        "2026年第2期（总第84期）",
        7,
    )
    assert submission.versions.filter(kind=SubmissionVersion.Kind.PRINTED).count() == 1


def test_the_database_refuses_an_unknown_status(alliance_a, secretary_a):
    from django.db import IntegrityError, transaction

    submission = make_submission(alliance_a, secretary_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(status="lost")


# Who may change the text in which status (restated independently of the rules module).
EDIT_DRAFT = {
    (role, status)
    for role in ["own_secretariat"]
    for status in (Submission.Status.DRAFT, Submission.Status.REVISION_REQUESTED)
}
REVISE = {
    ("editor", status) for status in (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)
}


@pytest.mark.parametrize("status", Submission.Status.values)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "system"])
def test_who_may_change_the_text(role, status, people, alliance_a, secretary_a, editor):
    from accounts.permissions import can
    from submissions.workflow import send_action

    submission = make_submission(alliance_a, secretary_a, status=status, editor=editor)
    actor = people[role]
    assert can(actor, "submission.edit_draft", submission) == ((role, status) in EDIT_DRAFT)
    assert can(actor, "submission.revise", submission) == ((role, status) in REVISE)
    assert can(actor, "submission.edit", submission) == ((role, status) in EDIT_DRAFT | REVISE)
    if status in (Submission.Status.DRAFT, Submission.Status.REVISION_REQUESTED):
        assert send_action(submission) == (
            "submit" if status == Submission.Status.DRAFT else "resubmit"
        )
