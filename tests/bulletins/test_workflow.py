"""The approval chain: every transition against every role, routing after a return,
approvals bound to content, separation of duties, freezing, corrections, side effects,
and two people acting at the same moment."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role
from bulletins import services
from bulletins.document import SECTION_ALLIANCES, SECTION_NETWORK, SECTION_POLICY
from bulletins.models import (
    Approval,
    ApprovalStage,
    Issue,
    IssueEvent,
    IssueStatus,
    IssueVersion,
    Notification,
)
from bulletins.notifications import issue_reminders_send, issue_step_notify
from bulletins.selectors.documents import issue_document
from bulletins.selectors.history import version_diff
from bulletins.workflow import TRANSITIONS, InvalidTransition, current_version, issue_transition
from tests.factories import make_accepted_submission, make_issue, make_secretary, make_user

pytestmark = pytest.mark.django_db

ACTIONS = ["submit", "withdraw", "approve", "return", "sign", "correct"]
ROLES = [
    Role.SECRETARIAT,
    Role.EDITOR,
    Role.REVIEWER,
    Role.SIGNER,
    Role.RECIPIENT,
    Role.ADMINISTRATOR,
]


def add_policy_item(issue, editor, title="科技部召开国家碳中和科技专家委员会第一次会议"):
    return services.item_create(
        issue_id=issue.pk,
        section_id=issue.sections.get(title=SECTION_POLICY).pk,
        title=title,
        body_html=f"<p>{title}。会议宣布成立首届专家委员会。</p>",
        attribution="（联盟协发网秘书处和联盟试点工作联络组摘述。信息来源：科技部网站）",
        actor=editor,
    )


def ready_issue(editor, **numbers):
    """A draft issue with one item in every section (so it may be sent for review)."""
    issue = make_issue(editor, **numbers)
    for section in issue.sections.all():
        services.item_create(
            issue_id=issue.pk,
            section_id=section.pk,
            title=f"{section.title}的稿件",
            body_html="<p>正文。</p>",
            actor=editor,
        )
    return Issue.objects.get(pk=issue.pk)


def act(issue, action, actor, comment="", version=None):
    issue.refresh_from_db()
    if version is None and action in {"approve", "sign"}:
        v = current_version(issue)
        version = v.pk if v else None
    return issue_transition(
        issue_id=issue.pk, action=action, actor=actor, comment=comment, version_id=version
    )


def bring_to(status, issue, editor, reviewer, signer):
    if status == IssueStatus.DRAFT:
        return
    act(issue, "submit", editor)
    if status == IssueStatus.IN_REVIEW:
        return
    if status == IssueStatus.RETURNED:
        act(issue, "return", reviewer, "请核对第二篇的日期。")
        return
    act(issue, "approve", reviewer)
    if status == IssueStatus.AWAITING_SIGNATURE:
        return
    act(issue, "sign", signer)


# --- Every transition against every role ---------------------------------------------------


@pytest.mark.parametrize("status", list(IssueStatus))
def test_every_action_against_every_role(status, editor, reviewer, signer, alliance_a):
    """One table: for each status, each action tried by a holder of each role. Allowed
    exactly when the table has the move and the role is the move's role; a refused move
    raises a Chinese message and changes nothing."""
    issue = ready_issue(editor)
    bring_to(status, issue, editor, reviewer, signer)
    actors = {
        role: (
            make_secretary(alliance_a, username=f"sec-{status}")
            if role == Role.SECRETARIAT
            else make_user(role, username=f"{role}-{status}")
        )
        for role in ROLES
    }
    failures = []
    for role, actor in actors.items():
        for action in ACTIONS:
            move = TRANSITIONS.get((status, action))
            allowed = move is not None and move.role == role
            issue.refresh_from_db()
            events_before = issue.events.count()
            with transaction.atomic():
                try:
                    event = act(issue, action, actor, comment="意见：请修改。")
                except InvalidTransition as exc:
                    outcome = "refused"
                    message = " ".join(exc.messages)
                else:
                    outcome = "done"
                    issue.refresh_from_db()
                    if issue.status != event.to_status or event.actor != actor:
                        failures.append(f"{status}/{action}/{role}: wrong status or event")
                    if issue.events.count() != events_before + 1:
                        failures.append(f"{status}/{action}/{role}: not one event")
                    if event.to_status != move.target:
                        failures.append(f"{status}/{action}/{role}: target {event.to_status}")
                transaction.set_rollback(True)
            if allowed and outcome != "done":
                failures.append(f"{status}/{action}/{role}: should be allowed, got {message}")
            if not allowed:
                if outcome != "refused":
                    failures.append(f"{status}/{action}/{role}: should be refused")
                elif not any("\u4e00" <= ch <= "\u9fff" for ch in message):
                    failures.append(f"{status}/{action}/{role}: message not Chinese")
            issue.refresh_from_db()
            if issue.status != status:
                failures.append(f"{status}/{action}/{role}: status leaked")
    assert not failures, "\n".join(failures)


def test_the_table_covers_what_the_docstring_promises():
    assert set(TRANSITIONS) == {
        (IssueStatus.DRAFT, "submit"),
        (IssueStatus.RETURNED, "submit"),
        (IssueStatus.IN_REVIEW, "withdraw"),
        (IssueStatus.AWAITING_SIGNATURE, "withdraw"),
        (IssueStatus.IN_REVIEW, "approve"),
        (IssueStatus.IN_REVIEW, "return"),
        (IssueStatus.AWAITING_SIGNATURE, "sign"),
        (IssueStatus.AWAITING_SIGNATURE, "return"),
        (IssueStatus.SIGNED, "correct"),
        (IssueStatus.DRAFT, "import"),
        (IssueStatus.SIGNED, "reimport"),
    }
    import bulletins.workflow as wf

    for (status, action), move in TRANSITIONS.items():
        assert status in wf.__doc__ and action in wf.__doc__ and move.target in wf.__doc__


# --- Bad input -------------------------------------------------------------------------------


def test_an_issue_with_an_empty_section_cannot_be_sent(editor):
    issue = make_issue(editor)
    add_policy_item(issue, editor)
    with pytest.raises(InvalidTransition) as caught:
        act(issue, "submit", editor)
    text = " ".join(caught.value.messages)
    assert f"栏目“{SECTION_NETWORK}”没有稿件" in text
    assert f"栏目“{SECTION_ALLIANCES}”没有稿件" in text
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert not IssueVersion.objects.exists()
    assert list(issue.events.values_list("action", flat=True)) == ["create"]


def test_an_issue_without_items_cannot_be_sent(editor):
    issue = make_issue(editor)
    with pytest.raises(InvalidTransition, match="还没有稿件"):
        act(issue, "submit", editor)


def test_a_return_needs_a_comment(editor, reviewer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    with pytest.raises(InvalidTransition, match="请填写修改意见"):
        act(issue, "return", reviewer, comment="   ")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW


def test_approving_a_version_that_is_no_longer_current_is_refused(editor, reviewer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    seen = current_version(Issue.objects.get(pk=issue.pk))
    act(issue, "withdraw", editor)
    add_policy_item(issue, editor, "补充的一篇")
    act(issue, "submit", editor)
    with pytest.raises(InvalidTransition) as caught:
        act(issue, "approve", reviewer, version=seen.pk)
    assert f"您看到的版本（{seen.label}）已不是当前版本" in caught.value.messages[0]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW
    assert not Approval.objects.exists()


def test_an_unknown_action_or_issue_gives_a_clear_message(editor):
    issue = ready_issue(editor)
    with pytest.raises(InvalidTransition, match="不能publish"):
        act(issue, "publish", editor)
    with pytest.raises(InvalidTransition, match="期次不存在"):
        issue_transition(issue_id=999999, action="submit", actor=editor)


# --- Routing after a return; approvals bound to content ---------------------------------------


def test_reviewer_return_goes_back_to_the_reviewer_after_the_fix(editor, reviewer, signer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    act(issue, "return", reviewer, "第一篇标题有误。")
    item = issue.items.first()
    services.item_update(
        item_id=item.pk, title="改正后的标题", body_html="<p>正文。</p>", actor=editor
    )
    assert act(issue, "submit", editor).to_status == IssueStatus.IN_REVIEW
    assert act(issue, "approve", reviewer).to_status == IssueStatus.AWAITING_SIGNATURE
    assert act(issue, "sign", signer).to_status == IssueStatus.SIGNED


def test_signer_return_without_changes_goes_straight_back_to_the_signer(editor, reviewer, signer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    act(issue, "return", signer, "请确认第三篇是否已征得联盟同意。")
    event = act(issue, "submit", editor, comment="已确认，联盟同意刊登。")
    assert event.to_status == IssueStatus.AWAITING_SIGNATURE  # the review approval still holds
    assert Approval.objects.filter(stage=ApprovalStage.REVIEW, voided_at__isnull=True).count() == 1


def test_signer_return_with_changes_voids_the_review_and_goes_to_the_reviewer(
    editor, reviewer, signer
):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    approved = current_version(Issue.objects.get(pk=issue.pk))
    act(issue, "return", signer, "第二篇请删去最后一段。")
    item = issue.items.order_by("pk")[1]
    services.item_update(
        item_id=item.pk, title=item.title, body_html="<p>删改后。</p>", actor=editor
    )
    review = Approval.objects.get(stage=ApprovalStage.REVIEW)
    assert review.voided_at is not None
    assert "v1 之后内容有修改" in review.void_reason
    assert issue.events.filter(action="void_approval").count() == 1
    assert act(issue, "submit", editor).to_status == IssueStatus.IN_REVIEW
    # The reviewer sees what changed since the version they approved.
    diff = version_diff(approved, current_version(Issue.objects.get(pk=issue.pk)))
    assert [d.text for d in diff if d.tag == "added"] == ["　删改后。"]
    assert [d.text for d in diff if d.tag == "removed"] == ["　正文。"]


def test_withdrawn_and_resent_unchanged_goes_back_to_the_signer(editor, reviewer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    act(issue, "withdraw", editor)
    assert act(issue, "submit", editor).to_status == IssueStatus.AWAITING_SIGNATURE


def test_each_submit_freezes_a_content_addressed_version(editor, reviewer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    act(issue, "return", reviewer, "请修改。")
    act(issue, "submit", editor)  # unchanged: the same version
    assert IssueVersion.objects.count() == 1
    act(issue, "return", reviewer, "请修改。")
    add_policy_item(issue, editor, "新增一篇")
    act(issue, "submit", editor)
    v1, v2 = IssueVersion.objects.order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.sha256 != v2.sha256
    issue.refresh_from_db()
    assert issue.content_sha256 == v2.sha256
    # The frozen document is exactly the one the renderer gets.
    assert "新增一篇" in [item.title for item in issue_document(v2).items]
    assert issue_document(v2).watermark == "送审稿"


# --- Separation of duties -----------------------------------------------------------------------


def test_the_editor_of_an_issue_cannot_sign_it(editor, reviewer, settings):
    both = make_user(Role.SIGNER, username="editor-signer", full_name="兼任签发")
    from accounts.services import role_grant

    role_grant(user=both, role=Role.EDITOR)
    issue = ready_issue(both)
    act(issue, "submit", both)
    act(issue, "approve", reviewer)
    with pytest.raises(InvalidTransition, match="编辑与签发分离"):
        act(issue, "sign", both)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE
    settings.CITISA_SEPARATE_EDITOR_AND_SIGNER = False
    assert act(issue, "sign", both).to_status == IssueStatus.SIGNED


def test_a_signer_who_only_edited_one_item_is_also_an_editor(editor, reviewer):
    both = make_user(Role.SIGNER, username="helper", full_name="帮忙改稿的签发人")
    from accounts.services import role_grant

    role_grant(user=both, role=Role.EDITOR)
    issue = ready_issue(editor)
    add_policy_item(issue, both, "签发人改写的一篇")
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    with pytest.raises(InvalidTransition, match="编辑与签发分离"):
        act(issue, "sign", both)


# --- Frozen after signing; corrections ----------------------------------------------------------


def test_a_signed_issue_is_frozen(editor, reviewer, signer):
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    item = issue.items.first()
    with pytest.raises(ValidationError, match="本期已签发，内容已冻结"):
        services.item_update(item_id=item.pk, title="偷改", body_html="<p>x</p>", actor=editor)
    with pytest.raises(ValidationError, match="本期已签发"):
        add_policy_item(issue, editor)
    with pytest.raises(ValidationError, match="本期已签发"):
        services.section_add(issue_id=issue.pk, title="专题", actor=editor)
    item.refresh_from_db()
    assert item.title != "偷改"


def test_content_is_locked_while_in_the_chain(editor):
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    with pytest.raises(ValidationError, match="请先“撤回修改”"):
        add_policy_item(issue, editor)


def test_a_correction_makes_a_new_edition_and_keeps_the_original(editor, reviewer, signer):
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    original = Issue.objects.get(pk=issue.pk).signed_version
    original_doc = issue_document(original)
    with pytest.raises(InvalidTransition, match="说明更正的理由"):
        act(issue, "correct", editor)
    act(issue, "correct", editor, "第二篇联盟名称有误。")
    issue.refresh_from_db()
    assert (issue.status, issue.edition, issue.signed_version) == (IssueStatus.DRAFT, 2, original)
    # Until the correction is signed, the issue's document is still the signed original.
    item = issue.items.order_by("pk")[1]
    services.item_update(
        item_id=item.pk, title="更正后的标题", body_html="<p>正文。</p>", actor=editor
    )
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    issue.refresh_from_db()
    assert issue.signed_version != original
    assert issue.signed_version.edition == 2
    assert issue_document(issue).items[1].title == "更正后的标题"
    assert issue_document(issue).version_label.endswith("（更正版）")
    original.refresh_from_db()
    assert issue_document(original) == original_doc  # the original is kept as it was
    assert issue_document(original).end_matter.signer == signer.display_name


def test_a_correction_identical_to_the_original_cannot_be_sent(editor, reviewer, signer):
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    act(issue, "correct", editor, "更正错字。")
    with pytest.raises(InvalidTransition, match="与已签发的版本相同"):
        act(issue, "submit", editor)


def test_the_signed_document_names_the_people_who_did_each_step(editor, reviewer, signer):
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    doc = issue_document(Issue.objects.get(pk=issue.pk))
    assert (doc.end_matter.editor, doc.end_matter.reviewer, doc.end_matter.signer) == (
        "杨丹泽",
        "尚辉良",
        "李新男",
    )
    assert doc.watermark == ""


# --- Submissions printed in the issue ---------------------------------------------------------


def test_signing_marks_the_printed_submissions_published(
    editor, reviewer, signer, alliance_a, secretary_a
):
    issue = make_issue(editor)
    add_policy_item(issue, editor)
    network = issue.sections.get(title=SECTION_NETWORK)
    services.item_create(
        issue_id=issue.pk, section_id=network.pk, title="协发网动态", body_html="<p>x</p>",
        actor=editor,
    )  # fmt: skip
    submission = make_accepted_submission(
        alliance_a, secretary_a, editor, title="甲测试联盟发布7项团体标准"
    )
    item = services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    services.item_update(
        item_id=item.pk, title="甲测试联盟发布团体标准", body_html="<p>改</p>", actor=editor
    )
    bring_to(IssueStatus.AWAITING_SIGNATURE, issue, editor, reviewer, signer)
    submission.refresh_from_db()
    assert submission.status == "accepted"  # not before the signature
    act(issue, "sign", signer)
    submission.refresh_from_db()
    assert submission.status == "published"
    assert submission.printed_issue_label == "2023年第2期（总第67期）"
    assert submission.printed_issue_ref == issue.pk
    printed = submission.versions.get(kind="printed")
    assert printed.title == "甲测试联盟发布团体标准"
    assert submission.title == "甲测试联盟发布7项团体标准"  # the original is untouched


def test_a_submission_no_longer_accepted_blocks_the_submit(editor, alliance_a, secretary_a):
    from submissions.workflow import submission_transition

    issue = ready_issue(editor)
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="甲测试联盟动态")
    services.item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
    submission_transition(submission_id=submission.pk, action="reopen", actor=editor)
    with pytest.raises(InvalidTransition, match="不再是已采用状态"):
        act(issue, "submit", editor)


# --- Events and side effects --------------------------------------------------------------


def test_every_decision_is_an_event_and_the_mail_goes_after_commit(
    editor, reviewer, signer, django_capture_on_commit_callbacks, celery_eager, monkeypatch
):
    from bulletins import tasks

    monkeypatch.setattr(tasks.render_version_preview, "delay", lambda version_id: None)
    issue = ready_issue(editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        act(issue, "submit", editor)
    assert callbacks  # queued, not sent inside the transaction
    to_reviewer = [m for m in mail.outbox if reviewer.email in m.to]
    assert len(to_reviewer) == 1
    assert to_reviewer[0].subject == "【待审核】简报2023年第2期（总第67期）"
    assert "杨丹泽已将简报2023年第2期（总第67期）送审（v1），请审核" in to_reviewer[0].body
    with django_capture_on_commit_callbacks(execute=True):
        act(issue, "return", reviewer, "第一篇请补充信息来源。")
    returned = mail.outbox[-1]
    assert returned.to == [editor.email]
    assert "第一篇请补充信息来源。" in returned.body
    actions = list(issue.events.order_by("pk").values_list("action", "from_status", "to_status"))
    assert actions == [
        ("create", "", "draft"),
        ("submit", "draft", "in_review"),
        ("return", "in_review", "returned"),
    ]


def test_the_step_mail_is_sent_once_and_not_for_a_step_already_passed(editor, reviewer, signer):
    issue = ready_issue(editor)
    submit = act(issue, "submit", editor)
    assert issue_step_notify(event_id=submit.pk) is True
    assert issue_step_notify(event_id=submit.pk) is False  # a repeated task sends nothing
    assert len(mail.outbox) == 1
    approve = act(issue, "approve", reviewer)
    act(issue, "return", signer, "请修改。")
    assert issue_step_notify(event_id=approve.pk) is False  # stale: the issue moved on
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(event=submit, sent_at__isnull=False).count() == 1


def test_a_step_that_waits_too_long_is_reminded_once(editor, reviewer, settings):
    settings.CITISA_ISSUE_REMINDER_DAYS = 3
    issue = ready_issue(editor)
    event = act(issue, "submit", editor)
    issue_step_notify(event_id=event.pk)
    mail.outbox.clear()
    assert issue_reminders_send() == 0  # not yet
    later = timezone.now() + timedelta(days=4)
    assert issue_reminders_send(now=later) == 1
    assert mail.outbox[0].subject.startswith("【催办】【待审核】")
    assert "已在“待审核”环节等待" in mail.outbox[0].body
    assert issue_reminders_send(now=later + timedelta(days=1)) == 0  # once per step


def test_the_sweeper_sends_a_step_mail_that_a_lost_task_left_unsent(editor, reviewer):
    issue = ready_issue(editor)
    act(issue, "submit", editor)  # the task message was lost: nothing sent
    assert not mail.outbox
    assert issue_reminders_send(now=timezone.now() + timedelta(minutes=15)) == 1
    assert reviewer.email in mail.outbox[0].to


def test_the_notify_task_runs_the_service(editor, reviewer):
    from bulletins.tasks import notify_issue_step

    issue = ready_issue(editor)
    event = act(issue, "submit", editor)
    notify_issue_step.apply(args=[event.pk]).get()
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_submit_queues_a_preview_render_and_its_figures_are_recorded(
    editor, django_capture_on_commit_callbacks, monkeypatch, settings, tmp_path
):
    from bulletins import rendering, renditions, tasks
    from bulletins.rendering import RenderResult

    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(tasks.render_version_preview, "delay", lambda vid: queued.append(vid))
    issue = ready_issue(editor)
    with django_capture_on_commit_callbacks(execute=True):
        event = act(issue, "submit", editor)
    assert queued == [event.version_id]
    monkeypatch.setattr(
        rendering,
        "render_pdf",
        lambda document, *, pdf_variant=None: RenderResult(
            pdf=b"%PDF-1.7 test", pages=14, sha256="0" * 64, page_map={"section-1": 2}
        ),
    )
    renditions.rendition_render(version_id=event.version_id, kind="preview")  # the task's call
    version = IssueVersion.objects.get(pk=event.version_id)
    assert (version.pages, version.page_map) == (14, {"section-1": 2})
    assert version.sha256 == Issue.objects.get(pk=issue.pk).content_sha256  # content untouched


# --- Concurrency ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_make_exactly_one_transition(editor, reviewer, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks (SELECT … FOR UPDATE); SQLite serialises whole "
            "transactions instead. CI runs this on PostgreSQL."
        )
    other = make_user(Role.REVIEWER, username="reviewer2", full_name="第二审核人")
    issue = ready_issue(editor)
    act(issue, "submit", editor)
    version = current_version(Issue.objects.get(pk=issue.pk)).pk
    # Widen the window between reading the status and writing it, so that without the row
    # lock both would pass the status check.
    from bulletins import workflow

    real_may_move = workflow.may_move

    def slow_may_move(*args):
        time.sleep(0.3)
        return real_may_move(*args)

    monkeypatch.setattr(workflow, "may_move", slow_may_move)
    barrier = threading.Barrier(2)
    results = []

    def approve(user):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                issue_transition(
                    issue_id=issue.pk, action="approve", actor=user, version_id=version
                )
            results.append("done")
        except InvalidTransition as exc:
            results.append(exc.messages[0])
        except Exception as exc:  # e.g. IntegrityError if two got through
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (reviewer, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results, key=len)[0] == "done"
    assert results.count("done") == 1
    assert any("不能审核通过" in r for r in results)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE
    assert Approval.objects.filter(issue=issue).count() == 1
    assert IssueEvent.objects.filter(issue=issue, action="approve").count() == 1


def test_issue_document_in_the_chain_is_the_version_with_the_approvers_so_far(editor, reviewer):
    issue = ready_issue(editor)
    assert issue_document(issue).version_label == "编辑稿"
    act(issue, "submit", editor)
    act(issue, "approve", reviewer)
    doc = issue_document(Issue.objects.get(pk=issue.pk))
    assert (doc.version_label, doc.watermark) == ("v1", "送审稿")
    assert (doc.end_matter.editor, doc.end_matter.reviewer, doc.end_matter.signer) == (
        "杨丹泽",
        "尚辉良",
        "",
    )
