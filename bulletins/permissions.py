"""Who may do what to an issue.

The rules for the approval chain's moves are named in the transition table of
``bulletins.workflow``; that table and these rules together are the whole answer to
"may this user press this button" (``workflow.available_actions`` draws the buttons and
``workflow.issue_transition`` authorises the POST with the same call).
"""

from django.conf import settings

from accounts.models import Role
from accounts.permissions import has_role, is_office_staff, rule


def separate_editor_and_signer() -> bool:
    return getattr(settings, "CITISA_SEPARATE_EDITOR_AND_SIGNER", True)


def is_editor_of(user, issue) -> bool:
    """Did ``user`` edit this issue's content or create it? (Then they may not sign it.)"""
    if issue is None or user is None or not getattr(user, "pk", None):
        return False
    if issue.created_by_id == user.pk:
        return True
    return issue.editors.filter(pk=user.pk).exists()


@rule("issue.view")
def may_view_issue(user, _issue):
    return is_office_staff(user)


@rule("issue.create")
def may_create_issue(user, _obj):
    return has_role(user, Role.EDITOR)


@rule("issue.edit")
def may_edit_issue(user, _issue):
    return has_role(user, Role.EDITOR)


@rule("issue.comment")
def may_comment_issue(user, _issue):
    return has_role(user, Role.EDITOR, Role.REVIEWER, Role.SIGNER)


@rule("issue.submit")
def may_submit_issue(user, _issue):
    return has_role(user, Role.EDITOR)


@rule("issue.withdraw")
def may_withdraw_issue(user, _issue):
    return has_role(user, Role.EDITOR)


@rule("issue.approve")
def may_approve_issue(user, _issue):
    return has_role(user, Role.REVIEWER)


@rule("issue.review_return")
def may_return_in_review(user, _issue):
    return has_role(user, Role.REVIEWER)


@rule("issue.sign")
def may_sign_issue(user, issue):
    if not has_role(user, Role.SIGNER):
        return False
    return not (separate_editor_and_signer() and is_editor_of(user, issue))


@rule("issue.sign_return")
def may_return_at_signature(user, _issue):
    return has_role(user, Role.SIGNER)


@rule("issue.correct")
def may_correct_issue(user, _issue):
    return has_role(user, Role.EDITOR)


@rule("issue.preview")
def may_preview_issue(user, _issue):
    return is_office_staff(user)


@rule("issue.import")
def may_import_issue(user, _obj):
    """Importing old issues into the archive: the editors and the administrators."""
    return has_role(user, Role.EDITOR, Role.ADMINISTRATOR)
