"""Demo data for ``make run``: the registry, one user per role, and what each app adds.

Idempotent: running it again changes nothing that is already there.
"""

from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.services import role_grant, user_create
from alliances.selectors import alliance_resolve
from alliances.services import staff_assign
from core.demo import EXTRA_LOADERS

DEMO_PASSWORD = "citisa-demo-2026"  # noqa: S105 - printed on purpose, demo only

# (username, full name, roles, alliance short name for secretariat users)
DEMO_USERS = [
    ("editor", "杨丹泽", [Role.EDITOR], None),
    ("reviewer", "尚辉良", [Role.REVIEWER], None),
    ("signer", "李新男", [Role.SIGNER], None),
    ("admin", "系统管理员", [Role.ADMINISTRATOR], None),
    ("recipient", "王接收", [Role.RECIPIENT], None),
    ("huaxian", "化纤联盟秘书处 张明", [Role.SECRETARIAT], "化纤联盟"),
    ("fenmo", "粉末冶金联盟秘书处 刘芳", [Role.SECRETARIAT], "粉末冶金联盟"),
]

# Signers and administrators must log in with a second factor. The demo ones share this
# fixed authenticator secret (printed by load_demo: add it to any authenticator app) and have
# one-time recovery codes written to DEMO_RECOVERY_CODES_FILE. Demo only, never in production.
DEMO_TOTP_KEY = b"citisa-demo-totp-key"  # 20 bytes; base32 below
DEMO_RECOVERY_CODES_NAME = "demo-recovery-codes.txt"


def demo_totp_secret() -> str:
    return b32encode(DEMO_TOTP_KEY).decode()


def demo_recovery_codes_path():
    return settings.VAR_DIR / DEMO_RECOVERY_CODES_NAME


def demo_second_factors(users, *, force=False):
    """Give each of ``users`` the demo authenticator (confirmed, with the fixed secret) and
    top their recovery codes up to ten; write the unused codes to the demo file.
    Refuses outside DEBUG unless ``force`` (the demo secret is public)."""
    if not (settings.DEBUG or force):
        raise ImproperlyConfigured("演示用的两步验证密钥是公开的，只能在调试模式下载入。")
    lines = [
        "citisa 演示账号的两步验证（仅供演示，切勿用于正式环境）",
        "",
        f"身份验证器密钥（基于时间，6 位数字，30 秒）：{demo_totp_secret()}",
        "没有身份验证器时，可在登录的第二步输入下面任一恢复码；每个只能用一次，",
        "每次 make run 会补足 10 个并重写本文件。",
    ]
    for user in users:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            TOTPDevice.objects.create(
                user=user, name="演示验证器", key=DEMO_TOTP_KEY.hex(), confirmed=True
            )
        static, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "恢复码", "confirmed": True}
        )
        missing = 10 - static.token_set.count()
        StaticToken.objects.bulk_create(
            StaticToken(device=static, token=StaticToken.random_token()) for _ in range(missing)
        )
        codes = static.token_set.order_by("pk").values_list("token", flat=True)
        lines += ["", f"{user.username}（{user.display_name}）："]
        lines += [f"  {code[:4]} {code[4:]}" for code in codes]
    path = demo_recovery_codes_path()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@transaction.atomic
def load_demo(stdout=None, *, force=False) -> list[tuple[str, str, str]]:
    call_command("load_alliances", stdout=stdout)
    logins = []
    second_factor_users = []
    for username, full_name, roles, alliance_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@example.org",
                roles=roles,
            )
        for role in roles:
            role_grant(user=user, role=role)
        if alliance_name:
            staff_assign(alliance=alliance_resolve(alliance_name), user=user, title="秘书处")
        labels = "、".join(Role(role).label for role in roles)
        if alliance_name:
            labels += f"（{alliance_name}）"
        logins.append((username, DEMO_PASSWORD, labels))
        if Role.SIGNER in roles or Role.ADMINISTRATOR in roles:
            second_factor_users.append(user)
    demo_second_factors(second_factor_users, force=force)
    for _order, _registered, loader in sorted(EXTRA_LOADERS, key=lambda entry: entry[:2]):
        loader()
    return logins
