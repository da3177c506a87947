"""Who may do what to submissions and calls.

Status moves are authorised by the transition table in :mod:`submissions.workflow`
(``available_actions`` draws the buttons and ``transition`` checks the same thing); the
rules here cover everything else and are what that table's ``who`` column refers to.
"""

from accounts.models import Role
from accounts.permissions import has_role, is_office_staff, rule


def secretariat_alliance_ids(user) -> frozenset[int]:
    """The alliances whose secretariat this user works for (one query, cached on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = user.__dict__.get("_secretariat_alliance_ids")
    if cached is None:
        if Role.SECRETARIAT not in user.roles:
            cached = frozenset()
        else:
            from alliances.models import SecretariatStaff

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


@rule("submission.edit")
def may_edit_submission(user, submission):
    """Secretariat: its own drafts and returned submissions. Editors: anything submitted
    and not yet published (their edits become new versions; the original stays)."""
    status = submission.status
    if is_secretariat_of(user, submission.alliance_id) and status in {
        "draft",
        "revision_requested",
    }:
        return True
    return is_editor(user) and status in {"submitted", "accepted"}


@rule("submission.inbox")
def may_use_inbox(user, _obj):
    return is_office_staff(user)


@rule("call.manage")
def may_manage_calls(user, _obj):
    return is_editor(user)


@rule("call.view_board")
def may_view_call_board(user, _obj):
    return is_office_staff(user)
