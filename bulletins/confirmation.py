"""The confirmation step of 送审, 审核通过 and 签发.

Each of the three moves is made from a page the server renders first (``views.confirm``):
it shows exactly what is being sent, approved or signed and what will follow, and carries
a signed token (``django.core.signing``) bound to the issue, the move, the content (the
working copy's SHA-256 for 送审, the version's id and SHA-256 for 审核通过 and 签发), the
user and, for 签发, the organisations that would receive nothing. A POST without a valid
token changes nothing: ``confirmed_transition`` raises :class:`ConfirmationError` and the
view sends the user back to the confirmation page.

签发 while a printed organisation of 「报」/「送」 has no address (``bulletins.hooks.reach``)
needs the signer's ticked acknowledgement, or is refused outright when
``CITISA_SIGN_REQUIRES_FULL_REACH`` is on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied

from accounts.models import Role, User
from accounts.permissions import can

from . import hooks, workflow
from .models import IssueEvent, IssueVersion, Rendition, RenditionKind
from .permissions import is_editor_of, separate_editor_and_signer
from .selectors.documents import version_document
from .selectors.issues import access_issue
from .services.issues import issue_submit_problems

CONFIRMED_ACTIONS = ("submit", "approve", "sign")
_SALT = "bulletins.confirmation"


class ConfirmationError(workflow.InvalidTransition):
    """The POST did not come through a valid confirmation: nothing was changed."""


def requires_full_reach() -> bool:
    return getattr(settings, "CITISA_SIGN_REQUIRES_FULL_REACH", False)


def max_age() -> int:
    return getattr(settings, "CITISA_CONFIRMATION_MAX_AGE", 3600)


# --- What a confirmation page shows --------------------------------------------------------


@dataclass
class Confirmation:
    issue: object
    action: str
    move: workflow.Move
    version: IssueVersion | None = None  # what is approved or signed (None for 送审)
    preview: Rendition | None = None  # the version's 送审稿 PDF
    reach: hooks.Reach | None = None
    problems: list[str] = field(default_factory=list)  # what stops 送审
    next_people: list[str] = field(default_factory=list)  # who is e-mailed next
    next_role: str = ""
    straight_to_signer: bool = False  # 送审 that skips review (its approval still holds)
    item_count: int = 0
    token: str = ""

    @property
    def needs_acknowledgement(self) -> bool:
        return self.action == "sign" and self.reach is not None and not self.reach.complete

    @property
    def blocked(self) -> bool:
        return bool(self.problems) or (self.needs_acknowledgement and requires_full_reach())


def issue_reach(issue, version: IssueVersion | None = None) -> hooks.Reach | None:
    """Whom the end matter of ``version`` (else the working copy) would reach."""
    if version is not None:
        end = version_document(version).end_matter
        report_to, send_to = end.report_to, end.send_to
    else:
        report_to, send_to = issue.report_to, issue.send_to
    return hooks.reach(
        issue_id=issue.pk, edition=issue.edition, report_to=report_to, send_to=send_to
    )


def _people(role: str, issue) -> list[str]:
    users = User.objects.filter(is_active=True, role_grants__role=role).distinct()
    users = users.order_by("full_name", "username")
    if role == Role.SIGNER and separate_editor_and_signer():
        return [u.display_name for u in users if not is_editor_of(u, issue)]
    return [u.display_name for u in users]


def confirmation_for(issue, action: str, user) -> Confirmation:
    """The confirmation page of ``action`` on ``issue`` for ``user``.

    Raises InvalidTransition (Chinese) when the issue's status does not allow the move now
    or separation of duties keeps this signer from it, PermissionDenied when the user's
    role may not make it."""
    if action not in CONFIRMED_ACTIONS:
        raise workflow.InvalidTransition("这项操作不需要确认页面。")
    move = workflow.TRANSITIONS.get((issue.status, action))
    if move is None:
        label = workflow.ACTION_LABELS.get(action, action)
        raise workflow.InvalidTransition(
            f"本期当前状态为“{issue.get_status_display()}”，不能{label}。"
            "可能已有其他人处理过，请查看最新状态。"
        )
    if not can(user, move.rule, issue):
        if action == "sign" and workflow.sign_blocked_by_separation(issue, user):
            # A signer, just not of this issue: back to it, with the reason.
            raise workflow.InvalidTransition(workflow.SEPARATION_MESSAGE)
        raise PermissionDenied(f"只有{Role(move.role).label}人员可以{move.label}本期。")
    page = Confirmation(issue=issue, action=action, move=move)
    if action == "submit":
        page.problems = issue_submit_problems(issue)
        review = workflow.valid_approval(issue, "review")
        page.straight_to_signer = review is not None and (
            review.version.sha256 == issue.content_sha256
        )
        page.item_count = issue.items.count()
        page.reach = issue_reach(issue)
        next_role = Role.SIGNER if page.straight_to_signer else Role.REVIEWER
    else:
        page.version = workflow.current_version(issue)
        if page.version is None:
            raise workflow.InvalidTransition("本期没有可审批的版本，请让编辑重新送审。")
        page.preview = Rendition.objects.filter(
            version=page.version, kind=RenditionKind.PREVIEW
        ).first()
        page.item_count = len(version_document(page.version).items)
        page.reach = issue_reach(issue, page.version)
        next_role = Role.SIGNER if action == "approve" else None
    if next_role:
        page.next_role = Role(next_role).label
        page.next_people = _people(next_role, issue)
    page.token = token_for(issue=issue, action=action, user=user, reach=page.reach)
    return page


# --- The token ------------------------------------------------------------------------------


def _missing_digest(reach: hooks.Reach | None) -> str:
    names = "、".join(reach.missing) if reach is not None else ""
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def _binding(issue, action: str, user, reach) -> dict:
    bound = {"i": issue.pk, "a": action, "u": user.pk}
    if action == "submit":
        bound["s"] = issue.content_sha256
    else:
        version = workflow.current_version(issue)
        bound["v"] = version.pk if version else None
        bound["s"] = version.sha256 if version else ""
    if action == "sign":
        bound["m"] = _missing_digest(reach)
    return bound


def token_for(*, issue, action: str, user, reach: hooks.Reach | None = None) -> str:
    """The token a confirmation page carries (tests build theirs with it too)."""
    if action == "sign" and reach is None:
        reach = issue_reach(issue, workflow.current_version(issue))
    return signing.dumps(_binding(issue, action, user, reach), salt=_SALT)


def _check_token(token: str, *, issue, action: str, user, reach) -> dict:
    label = workflow.ACTION_LABELS.get(action, action)
    if not token:
        raise ConfirmationError(
            f"{label}须先在确认页面核对内容后再确认，本次操作没有生效。请在下面核对后再{label}。"
        )
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ConfirmationError(
            f"确认页面已打开太久，已经失效，本次{label}没有生效。请重新核对后再{label}。"
        ) from None
    except signing.BadSignature:
        raise ConfirmationError(
            f"确认信息无效，本次{label}没有生效。请重新核对后再{label}。"
        ) from None
    expected = _binding(issue, action, user, reach)
    if data.get("i") != expected["i"] or data.get("a") != action or data.get("u") != user.pk:
        raise ConfirmationError(
            f"这份确认不是为本期的“{label}”开具的，本次操作没有生效。请重新核对后再{label}。"
        )
    if data.get("v") != expected.get("v") or data.get("s") != expected.get("s"):
        raise ConfirmationError(
            f"您确认的内容已不是当前版本，本次{label}没有生效。请核对当前版本后再{label}。"
        )
    if data.get("m") != expected.get("m"):
        raise ConfirmationError(
            "确认之后收件名单有了变化，本次签发没有生效。请重新核对收件单位后再签发。"
        )
    return data


def confirmed_transition(
    *,
    issue_id: int,
    action: str,
    actor,
    token: str = "",
    version_id: int | None = None,
    comment: str = "",
    acknowledged: bool = False,
) -> IssueEvent:
    """``workflow.issue_transition`` for a POST from the issue pages: the moves that need a
    confirmation (``CONFIRMED_ACTIONS``) are made only with a valid token for exactly this
    issue, move, content and user; 签发 with printed organisations that have no address
    only with ``acknowledged`` (and never under CITISA_SIGN_REQUIRES_FULL_REACH).
    Raises ConfirmationError (nothing changed; go back to the confirmation page) or
    whatever ``workflow.issue_transition`` raises."""
    issue = access_issue(actor, issue_id)
    if workflow.page_move(issue, action) is None:
        if (issue.status, action) in workflow.TRANSITIONS:  # the importer's, not a page's
            raise workflow.InvalidTransition(workflow.stale_message(issue, action))
        # Already moved on: let the workflow say so in its words.
        return workflow.issue_transition(issue_id=issue_id, action=action, actor=actor)
    if action not in CONFIRMED_ACTIONS:
        return workflow.issue_transition(
            issue_id=issue_id, action=action, actor=actor, comment=comment, version_id=version_id
        )
    version = workflow.current_version(issue) if action != "submit" else None
    reach = issue_reach(issue, version) if action == "sign" else None
    data = _check_token(token, issue=issue, action=action, user=actor, reach=reach)
    if action != "submit" and version_id is not None and str(version_id) != str(data["v"]):
        raise ConfirmationError(
            "提交的版本与确认页面上的版本不一致，本次操作没有生效。请重新核对后再操作。"
        )
    if reach is not None and not reach.complete:
        names = "、".join(reach.missing)
        if requires_full_reach():
            raise ConfirmationError(
                f"以下单位印在版记上，但没有电子邮箱地址，签发后收不到简报：{names}。"
                "按本系统的设置，须先在分发名单中为它们添加地址，才能签发。"
            )
        if not acknowledged:
            raise ConfirmationError(
                f"以下单位印在版记上，但没有电子邮箱地址，签发后收不到简报：{names}。"
                "如仍要签发，请勾选“我已知悉”后再签发。"
            )
    return workflow.issue_transition(
        issue_id=issue_id,
        action=action,
        actor=actor,
        comment=comment,
        version_id=data.get("v") if action != "submit" else None,
        expected_sha256=data["s"],
    )


# --- After 签发: the delivery ---------------------------------------------------------------


def delivery_context(issue, user) -> dict:
    """What the issue page shows of a signed issue's delivery (``bulletins/_delivery.html``):
    the progress and receipts from ``hooks.delivery``, and whether the block keeps polling
    (until every e-mail is sent or failed; while the final PDF is still being made)."""
    if issue.status != "signed" or not issue.signed_version_id:
        return {}
    delivery = hooks.delivery(version_id=issue.signed_version_id, user=user)
    if delivery is None:
        return {}
    final_failed = (
        not delivery.started
        and Rendition.objects.filter(
            version_id=issue.signed_version_id, kind=RenditionKind.FINAL, status="failed"
        ).exists()
    )
    return {
        "delivery_block": {
            "issue_id": issue.pk,
            "issue_line": issue.issue_line,
            "delivery": delivery,
            "final_failed": final_failed,
            "pending": not delivery.done and not final_failed,
        }
    }
