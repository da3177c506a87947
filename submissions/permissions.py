"""Who may do what to submissions and calls.

The status moves are authorised by the rules named in the transition table of
:mod:`submissions.workflow` (``available_actions`` draws the buttons and
``submission_transition`` checks the same rules); they are registered at the end.
"""

from accounts.models import Role
from accounts.permissions import has_role, is_office_staff, rule
from alliances.models import SecretariatStaff

from .models import Submission


def secretariat_alliance_ids(user) -> frozenset[int]:
    """The alliances whose secretariat this user works for (one query, cached on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = user.__dict__.get("_secretariat_alliance_ids")
    if cached is None:
        if Role.SECRETARIAT not in user.roles:
            cached = frozenset()
        else:
            cached = frozenset(
                SecretariatStaff.objects.filter(user=user).values_list("alliance_id", flat=True)
            )
        user.__dict__["_secretariat_alliance_ids"] = cached
    return cached


def is_secretariat_of(user, alliance_id) -> bool:
    return alliance_id in secretariat_alliance_ids(user)


def is_editor(user) -> bool:
    return has_role(user, Role.EDITOR)


@rule("submission.create")
def may_create_submission(user, alliance):
    """``alliance`` may be None: "may this user submit for any alliance at all?"."""
    if alliance is None:
        return bool(secretariat_alliance_ids(user))
    return is_secretariat_of(user, alliance.pk)


@rule("submission.view")
def may_view_submission(user, submission):
    return is_office_staff(user) or is_secretariat_of(user, submission.alliance_id)


@rule("submission.edit_draft")
def may_edit_draft(user, submission):
    """The secretariat edits its own drafts and returned submissions in the form."""
    return submission.status in Submission.EDITABLE_BY_SECRETARIAT and is_secretariat_of(
        user, submission.alliance_id
    )


@rule("submission.revise")
def may_revise_submission(user, submission):
    """Editors revise what was submitted and not yet published; each revision becomes a
    new version and the submitted original stays."""
    return submission.status in Submission.REVISABLE_BY_EDITOR and is_editor(user)


@rule("submission.edit")
def may_edit_submission(user, submission):
    """Either of the two above: someone may change this text now."""
    return may_edit_draft(user, submission) or may_revise_submission(user, submission)


@rule("submission.inbox")
def may_use_inbox(user, _obj):
    return is_office_staff(user)


@rule("call.manage")
def may_manage_calls(user, _obj):
    return is_editor(user)


@rule("call.view_board")
def may_view_call_board(user, _obj):
    return is_office_staff(user)


# The moves of a submission (``submissions.workflow.TRANSITIONS`` names these rules).


def _may_send(user, submission):
    return is_secretariat_of(user, submission.alliance_id)


rule("submission.submit")(_may_send)
rule("submission.resubmit")(_may_send)
rule("submission.withdraw")(_may_send)


def _may_decide(user, _submission):
    return is_editor(user)


rule("submission.accept")(_may_decide)
rule("submission.request_revision")(_may_decide)
rule("submission.decline")(_may_decide)
rule("submission.reopen")(_may_decide)


@rule("submission.publish")
def may_publish_submission(user, _submission):
    """Record it as printed: an editor, or a signer (the system may too, see the workflow)."""
    return has_role(user, Role.EDITOR, Role.SIGNER)
