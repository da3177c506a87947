"""Reads for the home page: one panel per role the user holds."""

from dataclasses import dataclass, field

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
