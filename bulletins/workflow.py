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

    from                 action    to                              who    notes
    -------------------  --------  ------------------------------  -----  -------------------------
    draft, returned      submit    in_review                       编辑   freezes a version;
                                   (awaiting_signature when the           no empty section, ≥1 item
                                   review approval still holds)
    in_review            withdraw  draft                           编辑
    awaiting_signature   withdraw  draft                           编辑
    in_review            approve   awaiting_signature              审核   binds the version seen
    in_review            return    returned                        审核   comment required
    awaiting_signature   sign      signed                          签发   binds the version seen;
                                                                          not an editor of the issue;
                                                                          queues the final PDF
    awaiting_signature   return    returned                        签发   comment required
    signed               correct   draft, edition + 1 (更正版)     编辑   reason required

The table (``TRANSITIONS``) maps (status, action) to the move: its target, the permission
rule the actor must pass (``bulletins.permissions``), whether a comment is required, and
whether the POST must name the version the actor saw.

Approvals bind to content. ``submit`` freezes the working copy into an
:class:`~bulletins.models.IssueVersion` (content-addressed by SHA-256). ``approve`` and
``sign`` record an :class:`~bulletins.models.Approval` of exactly the version the actor
saw, and refuse if it is no longer the current one. Content can only change in
``draft``/``returned``; every change voids the approvals whose version differs from the new
content (``services._content_changed``). So after a return:

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
the next role's holders is queued with ``transaction.on_commit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import can

from . import renditions
from .models import (
    EVENT_ACTION_LABELS,
    Approval,
    ApprovalStage,
    Issue,
    IssueEvent,
    IssueStatus,
    IssueVersion,
)
from .permissions import is_editor_of, separate_editor_and_signer

S = IssueStatus


class TransitionError(ValidationError):
    """A move that may not happen now; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Move:
    target: str
    rule: str  # the permission rule the actor must pass
    label: str  # the button and the history say this
    role: str  # who does it, for messages
    needs_comment: bool = False
    binds_version: bool = False  # the POST names the version the actor saw


_SUBMIT = Move(S.IN_REVIEW, "issue.submit", "送审", Role.EDITOR)
_WITHDRAW = Move(S.DRAFT, "issue.withdraw", "撤回修改", Role.EDITOR)

TRANSITIONS: dict[tuple[str, str], Move] = {
    # submit's target is in_review, or awaiting_signature when the review approval holds.
    (S.DRAFT, "submit"): _SUBMIT,
    (S.RETURNED, "submit"): _SUBMIT,
    (S.IN_REVIEW, "withdraw"): _WITHDRAW,
    (S.AWAITING_SIGNATURE, "withdraw"): _WITHDRAW,
    (S.IN_REVIEW, "approve"): Move(
        S.AWAITING_SIGNATURE, "issue.approve", "审核通过", Role.REVIEWER, binds_version=True
    ),
    (S.IN_REVIEW, "return"): Move(
        S.RETURNED, "issue.review_return", "退回修改", Role.REVIEWER, needs_comment=True
    ),
    (S.AWAITING_SIGNATURE, "sign"): Move(
        S.SIGNED, "issue.sign", "签发", Role.SIGNER, binds_version=True
    ),
    (S.AWAITING_SIGNATURE, "return"): Move(
        S.RETURNED, "issue.sign_return", "退回修改", Role.SIGNER, needs_comment=True
    ),
    (S.SIGNED, "correct"): Move(
        S.DRAFT, "issue.correct", "发起更正", Role.EDITOR, needs_comment=True
    ),
}

ACTIONS = {action for _status, action in TRANSITIONS}
ACTION_LABELS = EVENT_ACTION_LABELS

# Who holds an issue in each status (whose "waiting for me" it is).
HOLDER_ROLE = {
    S.DRAFT: Role.EDITOR,
    S.RETURNED: Role.EDITOR,
    S.IN_REVIEW: Role.REVIEWER,
    S.AWAITING_SIGNATURE: Role.SIGNER,
}


def available_actions(issue: Issue, user) -> list[tuple[str, Move]]:
    """The moves ``user`` may make on ``issue`` now: draws the buttons; ``transition``
    authorises with the same rules."""
    return [
        (action, move)
        for (status, action), move in TRANSITIONS.items()
        if status == issue.status and can(user, move.rule, issue)
    ]


def sign_blocked_by_separation(issue: Issue, user) -> bool:
    """True when ``user`` is a signer who may not sign this issue because they edited it."""
    from accounts.permissions import has_role

    return (
        issue.status == S.AWAITING_SIGNATURE
        and has_role(user, Role.SIGNER)
        and separate_editor_and_signer()
        and is_editor_of(user, issue)
    )


def valid_approval(issue: Issue, stage: str) -> Approval | None:
    return (
        issue.approvals.filter(edition=issue.edition, stage=stage, voided_at__isnull=True)
        .select_related("version", "actor")
        .first()
    )


def current_version(issue: Issue) -> IssueVersion | None:
    """The frozen version whose content is the issue's current content, if one exists."""
    if not issue.content_sha256:
        return None
    return issue.versions.filter(sha256=issue.content_sha256).first()


def transition(
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
    ``sign`` the id of the version the actor saw; ``expected_sha256``, when given, is the
    content the actor confirmed (``bulletins.confirmation``). Writes the issue's status, an Approval
    (approve, sign), the signed version (sign), the submissions' 已刊发 status (sign) and one
    IssueEvent. Queues the e-mail to the next holders after commit.
    Raises TransitionError (a ValidationError with a Chinese message) and changes nothing
    when the move is not allowed.
    """
    from . import services

    comment = (comment or "").strip()
    with transaction.atomic():
        try:
            issue = Issue.objects.select_for_update().get(pk=issue_id)
        except (Issue.DoesNotExist, ValueError, TypeError):
            raise TransitionError("期次不存在或已被删除。") from None
        move = TRANSITIONS.get((issue.status, action))
        if move is None:
            label = ACTION_LABELS.get(action, action)
            raise TransitionError(
                f"本期当前状态为“{issue.get_status_display()}”，不能{label}。"
                "可能已有其他人处理过，请刷新页面查看最新状态。"
            )
        if not can(actor, move.rule, issue):
            if action == "sign" and sign_blocked_by_separation(issue, actor):
                raise TransitionError(
                    "您编辑或送审过本期。按编辑与签发分离的规定，请由其他签发人签发。"
                )
            raise TransitionError(f"只有{Role(move.role).label}人员可以{move.label}本期。")
        if move.needs_comment and not comment:
            raise TransitionError(
                "发起更正须说明更正的理由。" if action == "correct" else "退回时请填写修改意见。"
            )

        version = None
        target = move.target
        if expected_sha256 and expected_sha256 != issue.content_sha256:
            raise TransitionError(
                f"您确认之后本期内容又有修改，{move.label}没有生效。请重新核对后再{move.label}。"
            )
        if action == "submit":
            problems = services.issue_submit_problems(issue)
            if problems:
                raise TransitionError(problems)
            version = services.version_snapshot(issue=issue, actor=actor)
            review = valid_approval(issue, ApprovalStage.REVIEW)
            if review is not None and review.version.sha256 == version.sha256:
                target = S.AWAITING_SIGNATURE
            issue.editors.add(actor)
            if version.pages is None:
                services.version_preview_queue(version.pk)
        elif move.binds_version:
            version = current_version(issue)
            if version is None:
                raise TransitionError("本期没有可审批的版本，请让编辑重新送审。")
            if version_id is None or str(version_id) != str(version.pk):
                seen = IssueVersion.objects.filter(pk=version_id, issue=issue).first()
                seen_label = f"（{seen.label}）" if seen else ""
                raise TransitionError(
                    f"您看到的版本{seen_label}已不是当前版本（{version.label}），"
                    "内容可能已被修改。请刷新页面，审阅当前版本后再操作。"
                )
            stage = ApprovalStage.REVIEW if action == "approve" else ApprovalStage.SIGN
            Approval.objects.create(
                issue=issue, version=version, edition=issue.edition, stage=stage, actor=actor
            )
            if action == "sign":
                issue.signed_version = version
                services.submissions_mark_published(issue=issue, version=version, actor=actor)
                renditions.issue_final_queue(issue=issue)
        elif action == "correct":
            issue.edition += 1
        else:
            version = current_version(issue)

        from_status = issue.status
        issue.status = target
        issue.status_changed_at = timezone.now()
        issue.save(
            update_fields=["status", "status_changed_at", "edition", "signed_version", "updated_at"]
        )
        event = IssueEvent.objects.create(
            issue=issue,
            action=action,
            from_status=from_status,
            to_status=target,
            edition=issue.edition,
            actor=actor,
            version=version,
            comment=comment,
        )
        transaction.on_commit(lambda: _queue_step_notification(event.pk), robust=True)
    return event


def _queue_step_notification(event_id: int) -> None:
    from .tasks import notify_issue_step

    notify_issue_step.delay(event_id)
