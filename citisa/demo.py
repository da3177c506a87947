"""Demo data for ``make run``: the registry, one user per role, and what each app adds.

Idempotent: running it again changes nothing that is already there.
"""

from django.core.management import call_command
from django.db import transaction

from accounts.models import Role, User
from accounts.services import role_grant, user_create

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

# Apps add their own demo content: callables run after the users exist, by ``order``
# and then in the order they were registered.
EXTRA_LOADERS = []


def demo_loader(fn=None, *, order: int = 100):
    """Register ``fn`` as demo content; ``@demo_loader`` or ``@demo_loader(order=10)``."""

    def register(fn):
        EXTRA_LOADERS.append((order, len(EXTRA_LOADERS), fn))
        return fn

    return register(fn) if fn is not None else register


@transaction.atomic
def load_demo(stdout=None) -> list[tuple[str, str, str]]:
    from alliances.selectors import alliance_resolve
    from alliances.services import staff_assign

    call_command("load_alliances", stdout=stdout)
    logins = []
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
    for _order, _registered, loader in sorted(EXTRA_LOADERS, key=lambda entry: entry[:2]):
        loader()
    return logins
