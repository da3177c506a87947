"""The confirmation step of 采用 (accepting a submission).

The editor accepts from a page the server renders (``confirm_views.submission_accept``):
it shows what is being accepted and what follows (the secretariat is e-mailed, the
submission can be placed in an issue) and carries a signed token bound to the submission,
the move, its latest version and the editor. A POST without a valid token changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied

from accounts.permissions import can

from . import workflow
from .models import Submission

_SALT = "submissions.accept"


class ConfirmationError(workflow.InvalidTransition):
    """The POST did not come through a valid confirmation: nothing was changed."""


def _binding(submission: Submission, user) -> dict:
    latest = submission.versions.order_by("-number").values_list("pk", flat=True).first()
    return {"s": submission.pk, "a": "accept", "u": user.pk, "v": latest}


def accept_token(*, submission: Submission, user) -> str:
    """The token the 采用 confirmation page carries (tests build theirs with it too)."""
    return signing.dumps(_binding(submission, user), salt=_SALT)


def accept_check(submission: Submission, user) -> None:
    """Raise PermissionDenied unless ``user`` may accept submissions, InvalidTransition
    (Chinese) when this one cannot be accepted now."""
    if not can(user, "submission.accept", submission):
        raise PermissionDenied("只有编辑可以采用投稿。")
    if (submission.status, workflow.SubmissionAction.ACCEPT) not in workflow.TRANSITIONS:
        raise workflow.InvalidTransition(
            f"该稿件当前状态为“{submission.get_status_display()}”，不能采用"
            "（可能已经处理过，请查看最新状态）。"
        )


def confirmed_accept(*, submission_id: int, actor, token: str, comment: str = "") -> Submission:
    """Accept with the token of the confirmation page. Raises ConfirmationError (nothing
    changed) or whatever ``workflow.submission_transition`` raises."""
    submission = Submission.objects.get(pk=submission_id)
    accept_check(submission, actor)
    if not token:
        raise ConfirmationError("请核对稿件后点击“确认采用”。采用后秘书处会收到采用通知。")
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=getattr(settings, "CITISA_CONFIRMATION_MAX_AGE", 3600)
        )
    except signing.SignatureExpired:
        raise ConfirmationError(
            "确认页面已打开太久，已经失效，本次采用没有生效。请重新确认。"
        ) from None
    except signing.BadSignature:
        raise ConfirmationError("确认信息无效，本次采用没有生效。请核对后再确认。") from None
    if data != _binding(submission, actor):
        raise ConfirmationError(
            "这份确认不是为这篇稿件的当前版本开具的，本次采用没有生效。请核对后再确认。"
        )
    return workflow.submission_transition(
        submission_id=submission.pk, action="accept", actor=actor, comment=comment
    )
