"""Model permissions derived from roles: administrators may manage everything in the admin.

Object-level rules for the application itself live in ``accounts.permissions``.
"""

from .models import Role
from .permissions import has_role


class RolePermissionBackend:
    def authenticate(self, request, **credentials):
        return None

    def _is_admin(self, user):
        return has_role(user, Role.ADMINISTRATOR)

    def has_perm(self, user, perm, obj=None):
        return self._is_admin(user)

    def has_module_perms(self, user, app_label):
        return self._is_admin(user)
