"""Reads for the home page: one panel per role the user holds."""

from dataclasses import dataclass, field

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role


@dataclass
class Panel:
    role: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


_TITLES = {
    Role.SECRETARIAT: "联盟秘书处工作台",
    Role.EDITOR: "编辑工作台",
    Role.REVIEWER: "审核工作台",
    Role.SIGNER: "签发工作台",
    Role.RECIPIENT: "简报接收",
    Role.ADMINISTRATOR: "系统管理",
}

# The order panels appear in when one person holds several roles.
_ORDER = [
    Role.EDITOR,
    Role.REVIEWER,
    Role.SIGNER,
    Role.SECRETARIAT,
    Role.ADMINISTRATOR,
    Role.RECIPIENT,
]

# Apps contribute what a panel shows: role -> callable(user) -> dict.
PANEL_CONTEXT: dict[str, list] = {}


def panel_context(role):
    def register(fn):
        PANEL_CONTEXT.setdefault(role, []).append(fn)
        return fn

    return register


def workspace_for(user) -> list[Panel]:
    panels = []
    for role in _ORDER:
        if role not in user.roles:
            continue
        context = {}
        for fn in PANEL_CONTEXT.get(role, []):
            context.update(fn(user))
        panels.append(
            Panel(
                role=role,
                title=_TITLES[role],
                template=f"accounts/panels/{role}.html",
                context=context,
            )
        )
    return panels


# --- Two-factor login ---------------------------------------------------------------------
# A user "has two-factor login" when they hold a confirmed authenticator (TOTP device); the
# recovery codes (one static device) stand in for it when the phone is lost.

VERIFY = "verify"
ENROL = "enrol"


def two_factor_required(user) -> bool:
    """Whether the user must log in with a second factor (settings' roles, superusers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    required = set(settings.CITISA_TWO_FACTOR_REQUIRED_ROLES)
    return user.is_superuser or bool(user.roles & required)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user) -> str | None:
    """What a signed-in session still owes before it may reach anything: ``VERIFY`` (enter a
    code), ``ENROL`` (set up an authenticator first) or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if has_authenticator(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return None


@dataclass
class TwoFactorStatus:
    enabled: bool
    required: bool
    enabled_at: object = None
    last_used_at: object = None
    recovery_codes_left: int = 0


def two_factor_status(user) -> TwoFactorStatus:
    """What the account security page shows about the user's second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return TwoFactorStatus(enabled=False, required=two_factor_required(user))
    static = list(user.staticdevice_set.all())
    used = [d.last_used_at for d in [device, *static] if d.last_used_at]
    return TwoFactorStatus(
        enabled=True,
        required=two_factor_required(user),
        enabled_at=device.created_at,
        last_used_at=max(used) if used else None,
        recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
    )


def security_events_for(user, limit=10):
    return list(user.security_events.select_related("actor")[:limit])
