"""Who may do what to the alliance registry."""

from accounts.models import Role
from accounts.permissions import has_role, is_office_staff, rule


@rule("alliance.view")
def may_view_alliance(user, alliance):
    if is_office_staff(user):
        return True
    return has_role(user, Role.SECRETARIAT) and alliance.staff.filter(user=user).exists()


@rule("alliance.list_all")
def may_list_all_alliances(user, _obj):
    return is_office_staff(user)


@rule("alliance.manage")
def may_manage_alliances(user, _obj):
    return has_role(user, Role.ADMINISTRATOR) or user.is_superuser


@rule("alliance.statistics")
def may_see_statistics(user, _obj):
    """Activity statistics and ratings: the editors and the administrators."""
    return has_role(user, Role.EDITOR, Role.ADMINISTRATOR)


@rule("alliance.rate")
def may_record_ratings(user, _obj):
    """Record 活跃度评价 (evaluation periods and their ratings)."""
    return has_role(user, Role.EDITOR, Role.ADMINISTRATOR)
