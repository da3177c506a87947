"""Who may do what with the lists, the deliveries and the archive."""

from django.conf import settings

from accounts.models import Role
from accounts.permissions import has_role, is_office_staff, rule


@rule("distribution.view")
def may_view_distribution(user, _obj):
    """See the lists, the dispatches, their progress and the receipts."""
    return is_office_staff(user)


@rule("distribution.deliver")
def may_deliver(user, _obj):
    """Resend, revoke and reissue links."""
    return has_role(user, Role.EDITOR, Role.ADMINISTRATOR)


@rule("distribution.manage_lists")
def may_manage_lists(user, _obj):
    """Add organisations and contacts, import and export contact sheets."""
    return has_role(user, Role.ADMINISTRATOR) or user.is_superuser


@rule("archive.view")
def may_view_archive(user, _obj):
    """Signed-in users with a role (recipients, office staff, secretariats). Anonymous
    visitors are let in by ``distribution.selectors.archive_open_to`` when
    CITISA_ARCHIVE_PUBLIC is on: ``can`` answers only for signed-in users."""
    return settings.CITISA_ARCHIVE_PUBLIC or bool(user.roles)
