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

    action            from                  to                  who
    submit            draft                 submitted           secretariat of the alliance
    resubmit          revision_requested    submitted           secretariat of the alliance
    withdraw          submitted, untouched  withdrawn           secretariat of the alliance
    accept            submitted             accepted            editor
    request_revision  submitted             revision_requested  editor (comment required)
    decline           submitted             declined            editor (reason required)
    reopen            accepted, declined    submitted           editor
    publish           accepted              published           editor, signer or the system
                                                                (where it was printed recorded)

*Untouched*: no editor has acted on it (its only events are its creation and first
submit); a guard refuses the move otherwise, with the reason in Chinese. A withdrawn
submission stays for the record, visible to its alliance and the office, out of the inbox.

*Publish* needs the place of printing recorded first (``printed_version_record``): the
issue side records it when the issue that prints the submission is signed; for a text
printed outside the system, ``services.submission_publish_elsewhere`` records the issue
an editor named and confirmed. So no e-mail says 「已在简报刊发」 without naming the issue.

Moves with a ``confirm_url`` are made through that server-rendered confirmation page, never
by a bare button on the submission page (``views.submission_transition`` refuses them).
Deleting a draft is no move: the row goes (``services.draft_delete``).

Calling it from the issue side (when an issue that contains accepted submissions is
published)::

    from submissions.workflow import transition
    from submissions.services import printed_version_record

    # inside the issue's publish transaction, for each item that came from a submission:
    printed_version_record(                      # first: what was printed, and where
        submission_id=item.submission_id, title=item.title, body_html=item.body_html,
        issue_label="2026年第2期（总第84期）", issue_ref=issue.pk, page=3, actor=signer)
    transition(submission_id=item.submission_id, action="publish", actor=signer)
    # or, from a task with no person behind it:
    transition(submission_id=..., action="publish", actor=None, comment="随期次印发")

``transition`` locks the row, checks the move and the actor, writes ``status`` with
``update_fields``, appends a :class:`~submissions.models.SubmissionEvent` in the same
transaction and queues the e-mail to the secretariat with ``transaction.on_commit``. It
raises :class:`InvalidTransition` (a ``ValidationError`` with a Chinese message) when the
move is not in the table from the current status (e.g. a double click on 提交),
``PermissionDenied`` when the actor may not make it, and ``ValidationError`` when a
required comment is missing or a submission is incomplete.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import has_role

from .models import Submission, SubmissionEvent
from .permissions import is_secretariat_of

S = Submission.Status


@dataclass(frozen=True)
class Move:
    sources: frozenset
    target: str
    who: str  # "secretariat", "editor" or "publisher"
    label: str  # the button
    comment_required: bool = False
    notify: bool = False  # e-mail the secretariat about it
    system_allowed: bool = False  # may run with actor=None
    # Why the move is refused for this submission although status and actor fit ("" = not).
    guard: Callable[[Submission], str] | None = None
    needs_print_record: bool = False  # where it was printed must be recorded first
    confirm_url: str = ""  # the URL name of the page that confirms and makes the move


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


TRANSITIONS: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT}), S.SUBMITTED, "secretariat", "提交投稿"),
    "resubmit": Move(frozenset({S.REVISION_REQUESTED}), S.SUBMITTED, "secretariat", "重新提交"),
    "withdraw": Move(
        frozenset({S.SUBMITTED}),
        S.WITHDRAWN,
        "secretariat",
        "撤回投稿",
        guard=untouched_by_editors,
        confirm_url="submissions:withdraw",
    ),
    "accept": Move(frozenset({S.SUBMITTED}), S.ACCEPTED, "editor", "采用", notify=True),
    "request_revision": Move(
        frozenset({S.SUBMITTED}),
        S.REVISION_REQUESTED,
        "editor",
        "退回修改",
        comment_required=True,
        notify=True,
    ),
    "decline": Move(
        frozenset({S.SUBMITTED}),
        S.DECLINED,
        "editor",
        "不予采用",
        comment_required=True,
        notify=True,
    ),
    "reopen": Move(frozenset({S.ACCEPTED, S.DECLINED}), S.SUBMITTED, "editor", "重新处理"),
    "publish": Move(
        frozenset({S.ACCEPTED}),
        S.PUBLISHED,
        "publisher",
        "登记已刊发",
        notify=True,
        system_allowed=True,
        needs_print_record=True,
        confirm_url="submissions:publish",
    ),
}

# Shown to the secretariat next to the editor's comment.
COMMENT_LABELS = {
    "request_revision": "修改意见",
    "decline": "未采用理由",
    "accept": "编辑意见",
}
SYSTEM_ACTOR_LABEL = "系统"


class InvalidTransition(ValidationError):
    pass


def actor_may(actor, move: Move, submission: Submission) -> bool:
    """The ``who`` column of the table, asked of one actor (None is the system)."""
    if actor is None:
        return move.system_allowed
    if move.who == "secretariat":
        return is_secretariat_of(actor, submission.alliance_id)
    if move.who == "editor":
        return has_role(actor, Role.EDITOR)
    if move.who == "publisher":
        return has_role(actor, Role.EDITOR, Role.SIGNER)
    raise AssertionError(move.who)


def send_action(submission: Submission) -> str:
    """The move the secretariat's 提交 button makes: first submission or answer to a return."""
    return "resubmit" if submission.status == S.REVISION_REQUESTED else "submit"


def available_actions(submission: Submission, user) -> list[tuple[str, Move]]:
    """The moves ``user`` may make now: draws the buttons, and ``transition`` agrees."""
    return [
        (action, move)
        for action, move in TRANSITIONS.items()
        if submission.status in move.sources
        and actor_may(user, move, submission)
        and not (move.guard and move.guard(submission))
    ]


def check_move(submission: Submission, action: str, actor) -> Move:
    """Raise what ``transition`` would raise before writing anything (``PermissionDenied``,
    ``InvalidTransition``, or ``ValidationError`` with the guard's reason); a confirmation
    page asks it before showing its button."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise InvalidTransition(f"未知的操作：{action}")
    if not actor_may(actor, move, submission):
        raise PermissionDenied
    if submission.status not in move.sources:
        raise InvalidTransition(
            f"该稿件当前状态为“{submission.get_status_display()}”，"
            f"不能执行“{move.label}”（可能已经处理过，请刷新页面查看）。",
            code="stale",
        )
    refusal = move.guard(submission) if move.guard else ""
    if refusal:
        raise ValidationError(refusal, code="guard")
    return move


def transition(*, submission_id: int, action: str, actor, comment: str = "") -> Submission:
    """Move a submission along the table. See the module docstring for what it writes,
    queues and raises."""
    from . import services
    from .notifications import queue_event_email

    if action not in TRANSITIONS:
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
            what = "修改意见" if action == "request_revision" else "不予采用的理由"
            raise ValidationError({"comment": f"请填写{what}，秘书处会在邮件和稿件页面看到。"})
        from_status = submission.status
        now = timezone.now()
        submission.status = move.target
        fields = ["status", "updated_at"]
        if action in {"submit", "resubmit"}:
            services.submission_check_complete(submission)
            submission.submitted_at = now
            fields.append("submitted_at")
        elif move.notify:
            submission.decided_at = now
            fields.append("decided_at")
        submission.save(update_fields=fields)
        if action in {"submit", "resubmit"}:
            services.version_snapshot(
                submission=submission,
                kind="submitted",
                actor=actor,
                note="重新提交" if action == "resubmit" else "首次提交",
            )
            services.duplicates_refresh(submission=submission)
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
