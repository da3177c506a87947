"""What distribution adds to the home page: the archive for recipients, and for the editors
and signers how the latest signed issue's delivery is going."""

from accounts.models import Role
from accounts.selectors import panel_context

from .reach import latest_delivery
from .selectors import archive_entries


@panel_context(Role.RECIPIENT)
def recent_issues(user):
    return {"recent_issues": list(archive_entries()[:6])}


@panel_context(Role.EDITOR)
def editor_latest_delivery(user):
    return latest_delivery(user)


@panel_context(Role.SIGNER)
def signer_latest_delivery(user):
    return latest_delivery(user)
