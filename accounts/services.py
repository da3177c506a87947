"""Every write to users and their roles."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Role, RoleGrant, User


def role_grant(*, user: User, role: str, actor=None) -> RoleGrant:
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    user.__dict__.pop("roles", None)  # drop the cached role set
    return grant


def role_revoke(*, user: User, role: str, actor=None) -> None:
    RoleGrant.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("roles", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    roles=(),
    actor=None,
    validate: bool = True,
) -> User:
    """Create a user with ``roles``. ``password=None`` makes an account that cannot log in
    until a password is set. Raises ValidationError for a weak password."""
    user = User(username=username, full_name=full_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        role_grant(user=user, role=role, actor=actor)
    return user
