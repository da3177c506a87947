"""The one writer of ``Submission.status``.

::

                 submit                      accept                publish
     草稿 draft ─────────▶ 已投稿 submitted ─────────▶ 已采用 accepted ─────────▶ 已刊发 published
                          │  │   ▲   ▲                     │
                 withdraw │  │   │   │ reopen              │ reopen
      (no editor acted    │  │   │   └───────────┐         ▼
       on it yet)         │  │   │          未采用 declined ◀── decline ── (from submitted)
                          ▼  │   │
           已撤回 withdrawn  │   │ resubmit (back to submitted)
           (kept, final)     ▼   │
                   退回修改 revision_requested
                       (request_revision)

    status              action            to                  rule (accounts.permissions)
    draft               submit            submitted           submission.submit: secretariat
                                                                of the alliance
    revision_requested  resubmit          submitted           submission.resubmit: the same
    submitted           withdraw          withdrawn           submission.withdraw: the same;
                                                                only while untouched
    submitted           accept            accepted            submission.accept: editor
    submitted           request_revision  revision_requested  submission.request_revision:
                                                                editor (comment required)
    submitted           decline           declined            submission.decline: editor
                                                                (reason required)
    accepted, declined  reopen            submitted           submission.reopen: editor
    accepted            publish           published           submission.publish: editor or
                                                                signer; or the system (where
                                                                it was printed recorded)

*Untouched*: no editor has acted on it (its only events are its creation and first
submit); a guard refuses the move otherwise, with the reason in Chinese. A withdrawn
submission stays for the record, visible to its alliance and the office, out of the inbox.

*Publish* needs the place of printing recorded first (``printed_version_record``): the
issue side records it when the issue that prints the submission is signed; for a text
printed outside the system, ``services.submission_publish_elsewhere`` records the issue
an editor named and confirmed. So no e-mail says 「已在简报刊发」 without naming the issue.

Moves with a ``confirm_url`` are made through that server-rendered confirmation page, never
by a bare button on the submission page (``views.submission_action_post`` refuses them).
Deleting a draft is no move: the row goes (``services.draft_delete``).

Calling it from the issue side (when an issue that contains accepted submissions is
published)::

    from submissions.workflow import submission_transition
    from submissions.services import printed_version_record

    # inside the issue's publish transaction, for each item that came from a submission:
    printed_version_record(                      # first: what was printed, and where
        submission_id=item.submission_id, title=item.title, body_html=item.body_html,
        issue_label="2026年第2期（总第84期）", issue_ref=issue.pk, page=3, actor=signer)
    submission_transition(submission_id=item.submission_id, action="publish", actor=signer)
    # or, from a task with no person behind it:
    submission_transition(submission_id=..., action="publish", actor=None, comment="随期次印发")

``submission_transition`` locks the row, looks the move up in ``TRANSITIONS`` (keyed
``(status, action)``, the shape of ``core.statemachine``), asks the move's rule
(``accounts.permissions.may_move``), runs the action's effects (one function per action
that has any, named in the move), writes ``status`` with ``update_fields``, appends a
:class:`~submissions.models.SubmissionEvent` in the same transaction and queues the e-mail
to the secretariat with ``transaction.on_commit``. It raises :class:`InvalidTransition` (a
``ValidationError`` with a Chinese message) when the move is not in the table from the
current status (e.g. a double click on 提交), ``PermissionDenied`` when the actor may not
make it, and ``ValidationError`` when a required comment is missing or a submission is
incomplete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.permissions import may_move
from core.statemachine import InvalidTransition, moves_from, moves_named
from core.statemachine import Move as BaseMove

from .models import Submission, SubmissionEvent
from .notifications import queue_event_email

S = Submission.Status

__all__ = ["InvalidTransition", "SubmissionAction", "available_actions", "submission_transition"]


class SubmissionAction(models.TextChoices):
    SUBMIT = "submit", "提交投稿"
    RESUBMIT = "resubmit", "重新提交"
    WITHDRAW = "withdraw", "撤回投稿"
    ACCEPT = "accept", "采用"
    REQUEST_REVISION = "request_revision", "退回修改"
    DECLINE = "decline", "不予采用"
    REOPEN = "reopen", "重新处理"
    PUBLISH = "publish", "登记已刊发"


A = SubmissionAction

# The effects of one action beyond the status: ``fn(submission, actor, action, now)`` sets
# further fields (returned, to be saved with the status) and writes what goes with them.
Effect = Callable[[Submission, object, str, object], list[str]]


@dataclass(frozen=True)
class Move(BaseMove):
    comment_required: str = ""  # what the comment is called when it is required
    notify: bool = False  # e-mail the secretariat about it
    # Why the move is refused for this submission although status and actor fit ("" = not).
    guard: Callable[[Submission], str] | None = None
    needs_print_record: bool = False  # where it was printed must be recorded first
    confirm_url: str = ""  # the URL name of the page that confirms and makes the move
    effect: Effect | None = None


EDITOR_ACTIONS = ("accept", "request_revision", "decline", "reopen", "edit")


def untouched_by_editors(submission: Submission) -> str:
    """The withdraw guard: "" while no editor has acted on the submission."""
    acted = (
        SubmissionEvent.objects.filter(submission=submission, action__in=EDITOR_ACTIONS)
        .order_by("-created_at", "-pk")
        .first()
    )
    if acted is None:
        return ""
    return (
        f"编辑部已处理过这篇稿件（{acted.actor_label}，{acted.created_at:%Y-%m-%d}），"
        "不能再撤回。如需撤回，请与编辑部联系。"
    )


def _sent(submission: Submission, actor, action: str, now) -> list[str]:
    """submit, resubmit: complete or refused; the sent text frozen as a version; the
    duplicate warnings computed anew."""
    from . import services  # services imports this module (the status is written here)

    services.submission_check_complete(submission)
    submission.submitted_at = now
    services.version_snapshot(
        submission=submission,
        kind="submitted",
        actor=actor,
        note="重新提交" if action == A.RESUBMIT else "首次提交",
    )
    services.duplicates_refresh(submission=submission)
    return ["submitted_at"]


def _decided(submission: Submission, actor, action: str, now) -> list[str]:
    """accept, request_revision, decline, publish: the secretariat hears of the decision."""
    submission.decided_at = now
    return ["decided_at"]


_REOPEN = Move(S.SUBMITTED, "submission.reopen", A.REOPEN.label)

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, A.SUBMIT): Move(S.SUBMITTED, "submission.submit", A.SUBMIT.label, effect=_sent),
    (S.REVISION_REQUESTED, A.RESUBMIT): Move(
        S.SUBMITTED, "submission.resubmit", A.RESUBMIT.label, effect=_sent
    ),
    (S.SUBMITTED, A.WITHDRAW): Move(
        S.WITHDRAWN,
        "submission.withdraw",
        A.WITHDRAW.label,
        guard=untouched_by_editors,
        confirm_url="submissions:withdraw",
    ),
    (S.SUBMITTED, A.ACCEPT): Move(
        S.ACCEPTED, "submission.accept", A.ACCEPT.label, notify=True, effect=_decided
    ),
    (S.SUBMITTED, A.REQUEST_REVISION): Move(
        S.REVISION_REQUESTED,
        "submission.request_revision",
        A.REQUEST_REVISION.label,
        comment_required="修改意见",
        notify=True,
        effect=_decided,
    ),
    (S.SUBMITTED, A.DECLINE): Move(
        S.DECLINED,
        "submission.decline",
        A.DECLINE.label,
        comment_required="不予采用的理由",
        notify=True,
        effect=_decided,
    ),
    (S.ACCEPTED, A.REOPEN): _REOPEN,
    (S.DECLINED, A.REOPEN): _REOPEN,
    (S.ACCEPTED, A.PUBLISH): Move(
        S.PUBLISHED,
        "submission.publish",
        A.PUBLISH.label,
        system=True,
        notify=True,
        needs_print_record=True,
        confirm_url="submissions:publish",
        effect=_decided,
    ),
}

# Shown to the secretariat next to the editor's comment.
COMMENT_LABELS = {
    "request_revision": "修改意见",
    "decline": "未采用理由",
    "accept": "编辑意见",
}
SYSTEM_ACTOR_LABEL = "系统"


def send_action(submission: Submission) -> str:
    """The move the secretariat's 提交 button makes: first submission or answer to a return."""
    return A.RESUBMIT if submission.status == S.REVISION_REQUESTED else A.SUBMIT


def move_named(action: str) -> Move | None:
    """A move made by ``action`` from any status (they share their label and page)."""
    named = moves_named(TRANSITIONS, action)
    return named[0] if named else None


def available_actions(submission: Submission, user) -> list[tuple[str, Move]]:
    """The moves ``user`` may make now: draws the buttons, and ``submission_transition``
    agrees."""
    return [
        (action, move)
        for action, move in moves_from(TRANSITIONS, submission.status)
        if may_move(user, move, submission) and not (move.guard and move.guard(submission))
    ]


def check_move(submission: Submission, action: str, actor) -> Move:
    """Raise what ``submission_transition`` would raise before writing anything
    (``PermissionDenied``, ``InvalidTransition``, or ``ValidationError`` with the guard's
    reason); a confirmation page asks it before showing its button."""
    named = moves_named(TRANSITIONS, action)
    if not named:
        raise InvalidTransition(f"未知的操作：{action}")
    # Who may is asked before whether it may be done now: a stranger learns nothing of the
    # submission's status.
    if not any(may_move(actor, move, submission) for move in named):
        raise PermissionDenied
    move = TRANSITIONS.get((submission.status, action))
    if move is None or not may_move(actor, move, submission):
        label = named[0].label
        raise InvalidTransition(
            f"该稿件当前状态为“{submission.get_status_display()}”，"
            f"不能执行“{label}”（可能已经处理过，请刷新页面查看）。",
            code="stale",
        )
    refusal = move.guard(submission) if move.guard else ""
    if refusal:
        raise ValidationError(refusal, code="guard")
    return move


def submission_transition(
    *, submission_id: int, action: str, actor, comment: str = ""
) -> Submission:
    """Move a submission along the table. See the module docstring for what it writes,
    queues and raises."""
    if not moves_named(TRANSITIONS, action):
        raise InvalidTransition(f"未知的操作：{action}")
    comment = (comment or "").strip()
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().select_related("alliance").get(pk=submission_id)
        )
        move = check_move(submission, action, actor)
        if move.needs_print_record and not submission.printed_issue_label:
            raise ValidationError(
                "请先注明刊发在哪一期：随期次签发的稿件会自动登记，"
                "在系统外刊发的请在“登记已刊发”页面填写期次。",
                code="no_print_record",
            )
        if move.comment_required and not comment:
            raise ValidationError(
                {"comment": f"请填写{move.comment_required}，秘书处会在邮件和稿件页面看到。"}
            )
        from_status = submission.status
        submission.status = move.target
        fields = ["status", "updated_at"]
        if move.effect is not None:
            fields += move.effect(submission, actor, action, timezone.now())
        submission.save(update_fields=fields)
        event = SubmissionEvent.objects.create(
            submission=submission,
            action=action,
            from_status=from_status,
            to_status=move.target,
            actor=actor,
            actor_label=actor.display_name if actor is not None else SYSTEM_ACTOR_LABEL,
            comment=comment,
        )
        if move.notify:
            queue_event_email(event.pk)
    return submission
