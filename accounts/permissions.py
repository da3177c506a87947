"""The one authority on "may this user do this to that object".

Each app registers its rules here (in its own ``permissions.py``, imported when the app is
ready) under a dotted action name such as ``"alliance.view"``. Views, templates and services
ask :func:`can`; nobody decides permission by looking at roles themselves.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from core.statemachine import Move

from .models import Role
from .selectors import two_factor_required

Rule = Callable[..., bool]
_RULES: dict[str, Rule] = {}


def rule(action: str):
    """Register ``fn(user, obj)`` as the rule for ``action``."""

    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"rule {action!r} registered twice")
        _RULES[action] = fn
        return fn

    return register


def has_role(user, *roles: str) -> bool:
    """True when the user is signed in, active and holds any of ``roles``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.roles.intersection(roles))


def is_office_staff(user) -> bool:
    """Liaison-office staff: editors, reviewers, signers and administrators."""
    return has_role(user, Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.ADMINISTRATOR)


def can(user, action: str, obj=None) -> bool:
    try:
        fn = _RULES[action]
    except KeyError:
        raise LookupError(f"no permission rule for {action!r}") from None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(fn(user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied


def may_move(user, move: Move, obj=None) -> bool:
    """May ``user`` make this move of a state machine? The system (``None``) makes the moves
    marked ``system``; a person needs the move's rule."""
    if user is None:
        return move.system
    return move.rule is not None and can(user, move.rule, obj)


def registered_actions() -> list[str]:
    return sorted(_RULES)


@rule("admin.site")
def _may_use_admin(user, _obj):
    return has_role(user, Role.ADMINISTRATOR) or user.is_superuser


@rule("account.two_factor_disable")
def _may_disable_two_factor(user, target):
    # Only for oneself, and not when one's roles require a second factor.
    return target is not None and target.pk == user.pk and not two_factor_required(user)


@rule("account.two_factor_reset")
def _may_reset_two_factor(user, target):
    # Another user's, by an administrator: resetting one's own would let a stolen
    # session drop the factor that protects the account.
    return target is not None and target.pk != user.pk and _may_use_admin(user, None)
