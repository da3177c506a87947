"""The approval chain of an issue: the one function that writes ``Issue.status``.

::

                          withdraw (编辑)
           ┌─────────────────────────┬────────────────────────────┐
           ▼                         │                            │
     ┌───────────┐  submit   ┌───────┴───┐  approve   ┌───────────┴────────┐  sign   ┌──────────┐
     │ draft     │ ────────▶ │ in_review │ ─────────▶ │ awaiting_signature │ ──────▶ │ signed   │
     │ 组版中    │  (编辑)   │ 待审核    │  (审核)    │ 待签发             │ (签发)  │ 已签发   │
     └───────────┘           └───────────┘            └────────────────────┘         └──────────┘
        ▲                        │ return (审核)          │ return (签发)                 │
        │                        ▼                        ▼                               │
        │                 ┌──────────────────────────────────────┐                        │
        │                 │ returned 退回修改                    │                        │
        │                 └──────────────────────────────────────┘                        │
        │                   │ submit (编辑) ─▶ in_review, or ─▶ awaiting_signature         │
        │                   │ when the review approval still holds (content unchanged)    │
        │                                                                                  │
        └──────────── correct (编辑, with a reason): edition + 1 = 更正版 ◀────────────────┘

     the importer's, for an old issue signed on paper (never from a page):
     draft (just made) ── import ──▶ signed;   signed (imported) ── reimport ──▶ signed

    status               action    to                              rule              notes
    -------------------  --------  ------------------------------  ----------------  ---------------------
    draft, returned      submit    in_review                       issue.submit      freezes a version;
                                   (awaiting_signature when the    (编辑)            no empty section,
                                   review approval still holds)                      ≥1 item
    in_review            withdraw  draft                           issue.withdraw
    awaiting_signature   withdraw  draft                           issue.withdraw
    in_review            approve   awaiting_signature              issue.approve     binds the version seen
    in_review            return    returned                        issue.review_     comment required
                                                                   return (审核)
    awaiting_signature   sign      signed                          issue.sign        binds the version seen;
                                                                   (签发)            not an editor of the
                                                                                     issue; queues the
                                                                                     final PDF
    awaiting_signature   return    returned                        issue.sign_       comment required
                                                                   return (签发)
    signed               correct   draft, edition + 1 (更正版)     issue.correct     reason required
    draft (just made)    import    signed                          issue.import      the importer's: an old
    signed               reimport  signed                          (编辑, 管理员)    issue signed on paper

The table (``TRANSITIONS``, keyed ``(status, action)`` in the shape of
``core.statemachine``) maps each pair to the move: its target, the permission rule the actor
must pass (``bulletins.permissions``), whether a comment is required, whether the POST must
name the version the actor saw, and the function that makes the action's effects.

``import`` and ``reimport`` are the importer's (``bulletins.importer.save``): an old issue,
signed on paper, enters the archive as 已签发 with the version the importer froze. They are
made by code only: no button draws them and the issue pages refuse them
(``available_actions``, ``confirmation.confirmed_transition``); ``import`` only for an
imported issue with no history yet.

Approvals bind to content. ``submit`` freezes the working copy into an
:class:`~bulletins.models.IssueVersion` (content-addressed by SHA-256). ``approve`` and
``sign`` record an :class:`~bulletins.models.Approval` of exactly the version the actor
saw, and refuse if it is no longer the current one. Content can only change in
``draft``/``returned``; every change voids the approvals whose version differs from the new
content (``services.editing.content_changed``). So after a return:

* returned by the reviewer → the editor fixes it → ``submit`` goes to the reviewer;
* returned by the signer → if the editor changed the content, the review approval was voided
  and ``submit`` goes to the reviewer again (who sees the diff since their approval); if
  the editor changed nothing (answered by a comment), the review approval still holds and
  ``submit`` goes straight back to the signer.

``withdraw`` pulls an issue out of review or signature so it can be edited (same routing on
the next ``submit``). ``correct`` reopens a signed issue as a new edition (更正版): the
signed version stays as it was, and the corrected content goes through the whole chain.

Separation of duties: with ``CITISA_SEPARATE_EDITOR_AND_SIGNER`` (on by default) nobody who
created, edited or submitted the issue may sign it (rule ``issue.sign``).

Everything happens under a row lock on the issue: of two people acting at the same moment,
the second finds the status already changed and gets a clear message. Each move writes one
append-only :class:`~bulletins.models.IssueEvent` in the same transaction; the e-mail to
the next role's holders (not for the importer's moves) is queued with
``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import has_role, may_move
from core.statemachine import InvalidTransition, moves_from
from core.statemachine import Move as BaseMove

from . import renditions, services
from .models import (
    EVENT_ACTION_LABELS,
    Approval,
    ApprovalStage,
    Issue,
    IssueEvent,
    IssueSource,
    IssueStatus,
    IssueVersion,
)
from .permissions import is_editor_of, separate_editor_and_signer
from .selectors.history import current_version

S = IssueStatus

__all__ = ["InvalidTransition", "IssueAction", "available_actions", "issue_transition"]


class IssueAction(models.TextChoices):
    SUBMIT = "submit", "送审"
    WITHDRAW = "withdraw", "撤回修改"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"
    SIGN = "sign", "签发"
    CORRECT = "correct", "发起更正"
    IMPORT = "import", "导入往期"
    REIMPORT = "reimport", "重新导入"


A = IssueAction


@dataclass
class Step:
    """What one move is making: the effect functions read and fill it."""

    issue: Issue
    move: Move
    action: str
    actor: object
    target: str
    version_id: int | None = None
    version: IssueVersion | None = None  # the version the event names


# ``fn(step)``: the effects of one action beyond the status (may change ``step.target``,
# must set ``step.version`` when the event names one). Raises InvalidTransition.
Effect = Callable[[Step], None]


@dataclass(frozen=True)
class Move(BaseMove):
    role: str = ""  # who does it, for messages
    needs_comment: str = ""  # the message when the required comment is missing
    binds_version: bool = False  # the POST names the version the actor saw
    effect: Effect | None = None  # None: the event names the current version
    on_pages: bool = True  # False: made by code only (the importer), never from a page
    notify: bool = True  # e-mail the next holders


def _submitted(step: Step) -> None:
    """submit: no empty issue; the working copy frozen; straight to the signer when the
    review approval still holds; the actor becomes an editor of the issue."""
    issue, actor = step.issue, step.actor
    problems = services.issue_submit_problems(issue)
    if problems:
        raise InvalidTransition(problems)
    step.version = services.version_snapshot(issue=issue, actor=actor)
    review = valid_approval(issue, ApprovalStage.REVIEW)
    if review is not None and review.version.sha256 == step.version.sha256:
        step.target = S.AWAITING_SIGNATURE
    issue.editors.add(actor)
    if step.version.pages is None:
        services.version_preview_queue(step.version.pk)


def _bound_version(step: Step) -> IssueVersion:
    """The current version, when it is the one the actor saw."""
    issue, version_id = step.issue, step.version_id
    version = current_version(issue)
    if version is None:
        raise InvalidTransition("本期没有可审批的版本，请让编辑重新送审。")
    if version_id is None or str(version_id) != str(version.pk):
        seen = IssueVersion.objects.filter(pk=version_id, issue=issue).first()
        seen_label = f"（{seen.label}）" if seen else ""
        raise InvalidTransition(
            f"您看到的版本{seen_label}已不是当前版本（{version.label}），"
            "内容可能已被修改。请刷新页面，审阅当前版本后再操作。"
        )
    return version


def _approved(step: Step) -> None:
    """approve: an Approval of the review stage, of exactly the version seen."""
    step.version = _bound_version(step)
    Approval.objects.create(
        issue=step.issue,
        version=step.version,
        edition=step.issue.edition,
        stage=ApprovalStage.REVIEW,
        actor=step.actor,
    )


def _signed(step: Step) -> None:
    """sign: an Approval of the signing stage; the version becomes the signed one; the
    submissions it prints become 已刊发; the final PDF is queued."""
    issue = step.issue
    step.version = version = _bound_version(step)
    Approval.objects.create(
        issue=issue,
        version=version,
        edition=issue.edition,
        stage=ApprovalStage.SIGN,
        actor=step.actor,
    )
    issue.signed_version = version
    services.submissions_mark_published(issue=issue, version=version, actor=step.actor)
    renditions.issue_final_queue(issue=issue)


def _corrected(step: Step) -> None:
    """correct: a new edition (更正版) reopens; the signed version stays as it was."""
    step.issue.edition += 1


def _imported(step: Step) -> None:
    """import, reimport: the version the importer froze becomes the signed one."""
    issue = step.issue
    if issue.source != IssueSource.IMPORTED:
        raise InvalidTransition(f"{issue.issue_line}是在本系统中编制的期次，不能作为往期导入。")
    if step.action == A.IMPORT and issue.events.exists():
        raise InvalidTransition(f"{issue.issue_line}已有处理记录，不能再作为新的往期导入。")
    version = IssueVersion.objects.filter(pk=step.version_id, issue=issue).first()
    if version is None:
        raise InvalidTransition("导入的期次没有可登记的版本。")
    step.version = issue.signed_version = version


_SUBMIT = Move(S.IN_REVIEW, "issue.submit", A.SUBMIT.label, role=Role.EDITOR, effect=_submitted)
_WITHDRAW = Move(S.DRAFT, "issue.withdraw", A.WITHDRAW.label, role=Role.EDITOR)
_RETURN_COMMENT = "退回时请填写修改意见。"

TRANSITIONS: dict[tuple[str, str], Move] = {
    # submit's target is in_review, or awaiting_signature when the review approval holds.
    (S.DRAFT, A.SUBMIT): _SUBMIT,
    (S.RETURNED, A.SUBMIT): _SUBMIT,
    (S.IN_REVIEW, A.WITHDRAW): _WITHDRAW,
    (S.AWAITING_SIGNATURE, A.WITHDRAW): _WITHDRAW,
    (S.IN_REVIEW, A.APPROVE): Move(
        S.AWAITING_SIGNATURE,
        "issue.approve",
        A.APPROVE.label,
        role=Role.REVIEWER,
        binds_version=True,
        effect=_approved,
    ),
    (S.IN_REVIEW, A.RETURN): Move(
        S.RETURNED,
        "issue.review_return",
        A.RETURN.label,
        role=Role.REVIEWER,
        needs_comment=_RETURN_COMMENT,
    ),
    (S.AWAITING_SIGNATURE, A.SIGN): Move(
        S.SIGNED, "issue.sign", A.SIGN.label, role=Role.SIGNER, binds_version=True, effect=_signed
    ),
    (S.AWAITING_SIGNATURE, A.RETURN): Move(
        S.RETURNED,
        "issue.sign_return",
        A.RETURN.label,
        role=Role.SIGNER,
        needs_comment=_RETURN_COMMENT,
    ),
    (S.SIGNED, A.CORRECT): Move(
        S.DRAFT,
        "issue.correct",
        A.CORRECT.label,
        role=Role.EDITOR,
        needs_comment="发起更正须说明更正的理由。",
        effect=_corrected,
    ),
    (S.DRAFT, A.IMPORT): Move(
        S.SIGNED,
        "issue.import",
        A.IMPORT.label,
        role=Role.EDITOR,
        effect=_imported,
        on_pages=False,
        notify=False,
    ),
    (S.SIGNED, A.REIMPORT): Move(
        S.SIGNED,
        "issue.import",
        A.REIMPORT.label,
        role=Role.EDITOR,
        effect=_imported,
        on_pages=False,
        notify=False,
    ),
}

# The approval chain's own actions (the importer's are not steps anyone waits on).
ACTIONS = {action for (_status, action), move in TRANSITIONS.items() if move.on_pages}
ACTION_LABELS = EVENT_ACTION_LABELS

# Who holds an issue in each status (whose "waiting for me" it is).
HOLDER_ROLE = {
    S.DRAFT: Role.EDITOR,
    S.RETURNED: Role.EDITOR,
    S.IN_REVIEW: Role.REVIEWER,
    S.AWAITING_SIGNATURE: Role.SIGNER,
}


def available_actions(issue: Issue, user) -> list[tuple[str, Move]]:
    """The moves ``user`` may make on ``issue`` now: draws the buttons; ``issue_transition``
    authorises with the same rules."""
    return [
        (action, move)
        for action, move in moves_from(TRANSITIONS, issue.status)
        if move.on_pages and may_move(user, move, issue)
    ]


def page_move(issue: Issue, action: str) -> Move | None:
    """The move ``action`` makes from the issue's status when a page may make it."""
    move = TRANSITIONS.get((issue.status, action))
    return move if move is not None and move.on_pages else None


def stale_message(issue: Issue, action: str) -> str:
    """What someone hears whose move is no longer possible (someone else moved first)."""
    label = ACTION_LABELS.get(action, action)
    return (
        f"本期当前状态为“{issue.get_status_display()}”，不能{label}。"
        "可能已有其他人处理过，请刷新页面查看最新状态。"
    )


def sign_blocked_by_separation(issue: Issue, user) -> bool:
    """True when ``user`` is a signer who may not sign this issue because they edited it."""
    return (
        issue.status == S.AWAITING_SIGNATURE
        and has_role(user, Role.SIGNER)
        and separate_editor_and_signer()
        and is_editor_of(user, issue)
    )


SEPARATION_MESSAGE = "您编辑或送审过本期。按编辑与签发分离的规定，请由其他签发人签发。"


def valid_approval(issue: Issue, stage: str) -> Approval | None:
    return (
        issue.approvals.filter(edition=issue.edition, stage=stage, voided_at__isnull=True)
        .select_related("version", "actor")
        .first()
    )


def issue_transition(
    *,
    issue_id: int,
    action: str,
    actor,
    comment: str = "",
    version_id: int | None = None,
    expected_sha256: str = "",
) -> IssueEvent:
    """Move the issue by ``action``; see the module docstring for the table.

    Needs: the acting user, the comment for ``return``/``correct``, and for ``approve``/
    ``sign`` the id of the version the actor saw (for ``import``/``reimport`` the version the
    importer froze); ``expected_sha256``, when given, is the content the actor confirmed
    (``bulletins.confirmation``). Writes the issue's status and what the action's effect
    function writes (an Approval, the signed version, the submissions' 已刊发 status, the
    edition), and one IssueEvent. Queues the e-mail to the next holders after commit.
    Raises InvalidTransition (a ValidationError with a Chinese message) and changes nothing
    when the move is not allowed.
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        try:
            issue = Issue.objects.select_for_update().get(pk=issue_id)
        except (Issue.DoesNotExist, ValueError, TypeError):
            raise InvalidTransition("期次不存在或已被删除。") from None
        move = TRANSITIONS.get((issue.status, action))
        if move is None:
            raise InvalidTransition(stale_message(issue, action))
        if not may_move(actor, move, issue):
            if action == A.SIGN and sign_blocked_by_separation(issue, actor):
                raise InvalidTransition(SEPARATION_MESSAGE)
            raise InvalidTransition(f"只有{Role(move.role).label}人员可以{move.label}本期。")
        if move.needs_comment and not comment:
            raise InvalidTransition(move.needs_comment)
        if expected_sha256 and expected_sha256 != issue.content_sha256:
            raise InvalidTransition(
                f"您确认之后本期内容又有修改，{move.label}没有生效。请重新核对后再{move.label}。"
            )
        step = Step(issue, move, action, actor, move.target, version_id=version_id)
        if move.effect is not None:
            move.effect(step)
        else:
            step.version = current_version(issue)

        from_status = issue.status
        issue.status = step.target
        issue.status_changed_at = timezone.now()
        issue.save(
            update_fields=["status", "status_changed_at", "edition", "signed_version", "updated_at"]
        )
        event = IssueEvent.objects.create(
            issue=issue,
            action=action,
            from_status=from_status,
            to_status=step.target,
            edition=issue.edition,
            actor=actor,
            version=step.version,
            comment=comment,
        )
        if move.notify:
            transaction.on_commit(lambda: _queue_step_notification(event.pk), robust=True)
    return event


def _queue_step_notification(event_id: int) -> None:
    # Imported here: the task module imports the notifications, which read this module's
    # labels; the task is looked up when an event is queued, after both are loaded.
    from .tasks import notify_issue_step

    notify_issue_step.delay(event_id)
