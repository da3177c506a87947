"""What submissions add to the role workspaces on the home page."""

from accounts.models import Role
from accounts.selectors import panel_context

from . import selectors


@panel_context(Role.SECRETARIAT)
def secretariat_submissions(user):
    return {
        "submission_counts": selectors.secretariat_counts(user),
        "open_calls": list(selectors.open_calls()[:5]),
    }


@panel_context(Role.EDITOR)
def editor_inbox(user):
    return {
        "inbox_counts": selectors.inbox_counts(),
        "open_calls": list(selectors.open_calls()[:5]),
    }
