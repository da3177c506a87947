"""Every write to users and their roles."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, RoleGrant, SecurityEvent, User
from .permissions import require
from .selectors import has_authenticator


def role_grant(*, user: User, role: str, actor=None) -> RoleGrant:
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    user.__dict__.pop("roles", None)  # drop the cached role set
    return grant


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


# --- Two-factor login -----------------------------------------------------------------------
# An authenticator app (django-otp TOTPDevice, confirmed once the user types a code from it)
# plus ten one-time recovery codes (one StaticDevice). Verifying a code is throttled per
# device by django-otp; see CITISA_TWO_FACTOR_MAX_FAILURES for the cap.

AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# django-otp's recovery codes (StaticToken.random_token): eight letters and digits.
RECOVERY_CODE_LENGTH = 8
WRONG_CODE_SHAPE = (
    "验证码的位数不对：请输入身份验证器中显示的 6 位数字，"
    "或一个 8 位的恢复码（字母和数字，如 ab3d ef7h）。"
)


class TwoFactorError(Exception):
    """A code was refused; ``str(error)`` is the Chinese message for the user."""


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def _event(*, user, kind, actor, note=""):
    return SecurityEvent.objects.create(user=user, kind=kind, actor=actor, note=note)


def _cap_throttle(device):
    # django-otp doubles the wait after every wrong code without end; cap the count so
    # that the longest wait stays bounded (settings.CITISA_TWO_FACTOR_MAX_FAILURES).
    cap = settings.CITISA_TWO_FACTOR_MAX_FAILURES
    if device.throttling_failure_count > cap:
        device.throttling_failure_count = cap


def _verify_on(device, code: str) -> bool:
    """Verify ``code`` on a locked ``device``; raise TwoFactorError while it is throttled."""
    _cap_throttle(device)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
        raise TwoFactorError(f"验证码错误次数过多，请在 {wait} 秒后再试。")
    return device.verify_token(code)


def second_factor_verify(*, user: User, code: str):
    """Check a six-digit authenticator code or a recovery code of ``user``.

    Returns the device that accepted it. A recovery code is used up; an authenticator code
    cannot be used twice. Every wrong code counts toward the device's throttle (written
    even though the call raises). Raises TwoFactorError with the message to show."""
    code = normalise_code(code)
    if not code:
        raise TwoFactorError("请输入验证码。")
    # Six digits come from the authenticator; anything else is taken for a recovery code
    # (eight letters and digits, which may happen to be all digits).
    is_totp = code.isdigit() and len(code) == 6
    if not is_totp and len(code) != RECOVERY_CODE_LENGTH:
        raise TwoFactorError(WRONG_CODE_SHAPE)
    model = TOTPDevice if is_totp else StaticDevice
    throttled = None
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None:
            try:
                ok = _verify_on(device, code)
            except TwoFactorError as error:
                throttled, ok = error, False
    if device is None:
        raise TwoFactorError(
            "没有可用的恢复码。" if not is_totp else "您的账号没有设置身份验证器。"
        )
    if throttled:
        raise throttled
    if not ok:
        raise TwoFactorError(
            "验证码不正确或已使用过。请输入身份验证器中当前显示的 6 位数字，或一个未用过的恢复码。"
        )
    return device


def authenticator_start(*, user: User, device_id: int | None = None):
    """The authenticator being set up in this session: the unconfirmed device
    ``device_id`` of ``user`` if it still exists, else a new one with a fresh secret (other
    unconfirmed devices are dropped, so a secret shown once is never reused)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = pending.filter(pk=device_id).first() if device_id else None
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.CITISA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def authenticator_confirm(*, user: User, device_id: int, code: str):
    """Confirm the unconfirmed authenticator ``device_id`` with a code from it; it replaces
    any earlier authenticator of the user, and a new set of recovery codes replaces the old.

    Returns ``(device, recovery_codes)``; the codes are shown once and not kept in clear
    anywhere else than django-otp's token table. Raises TwoFactorError for a wrong code."""
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        raise TwoFactorError("请输入身份验证器中显示的 6 位数字。")
    throttled = None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, pk=device_id, confirmed=False)
            .first()
        )
        if device is None:
            raise TwoFactorError("设置已过期，请重新扫描本页的二维码。")
        try:
            ok = _verify_on(device, code)
        except TwoFactorError as error:
            throttled, ok = error, False
        if ok:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user)
            _event(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_ENABLED, actor=user)
    if throttled:
        raise throttled
    if not ok:
        raise TwoFactorError(
            "验证码不正确。请确认手机时间准确，并输入身份验证器中当前显示的 6 位数字。"
        )
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, actor) -> list[str]:
    """A new set of recovery codes for ``user``; the old ones stop working."""
    if not has_authenticator(user):
        raise TwoFactorError("请先启用两步验证。")
    codes = _recovery_codes_replace(user)
    _event(user=user, kind=SecurityEvent.Kind.RECOVERY_CODES_REGENERATED, actor=actor)
    return codes


def _devices_delete(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, user: User, actor) -> None:
    """The user turns their own second factor off. Raises PermissionDenied for users whose
    roles require it (they can replace their authenticator, not drop it)."""
    require(actor, "account.two_factor_disable", user)
    _devices_delete(user)
    _event(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_DISABLED, actor=actor)


@transaction.atomic
def two_factor_reset(*, user: User, actor, note: str = "") -> None:
    """An administrator removes another user's authenticator and recovery codes (a lost
    phone). The user sets up a new one at the next login if their roles require it; their
    verified sessions lose their verification at the next request."""
    require(actor, "account.two_factor_reset", user)
    _devices_delete(user)
    _event(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_RESET, actor=actor, note=note[:200])


@transaction.atomic
def password_change(*, user: User, new_password: str, actor) -> None:
    """Set a new (already validated) password. Every session of the user that does not
    update its auth hash (``update_session_auth_hash``) is logged out by it."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _event(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED, actor=actor)
