"""What the issues add to the role workspaces on the home page: "waiting for me"."""

from accounts.models import Role
from accounts.selectors import panel_context

from .selectors.issues import waiting_for


@panel_context(Role.EDITOR)
def editor_issues(user):
    return {"issues_waiting": waiting_for(user, Role.EDITOR)}


@panel_context(Role.REVIEWER)
def reviewer_waiting(user):
    return {"waiting": waiting_for(user, Role.REVIEWER), "waiting_role": "审核"}


@panel_context(Role.SIGNER)
def signer_waiting(user):
    return {"waiting": waiting_for(user, Role.SIGNER), "waiting_role": "签发"}
