"""What distribution adds to the recipient's workspace on the home page."""

from accounts.models import Role
from accounts.selectors import panel_context

from .selectors import archive_entries


@panel_context(Role.RECIPIENT)
def recent_issues(user):
    return {"recent_issues": list(archive_entries()[:6])}
