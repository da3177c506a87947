"""Every read of the registry that a view, command or task needs."""

import difflib
import re

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.permissions import has_role

from .models import Alliance, AllianceName, NetworkMembership
from .names import FULL_SUFFIX, normalise

_ATTRIBUTION = re.compile(r"^[（(]\s*(?P<name>.+?)\s*秘书处\s*供稿\s*[)）]$")


def _name_forms(name: str) -> list[str]:
    """``name`` normalised, then its other form: 「XX联盟」 <-> 「XX产业技术创新战略联盟」."""
    key = normalise(name)
    forms = [key]
    if key.endswith(FULL_SUFFIX) and len(key) > len(FULL_SUFFIX):
        forms.append(key[: -len(FULL_SUFFIX)] + "联盟")
    elif key.endswith("联盟") and len(key) > 2:
        forms.append(key[:-2] + FULL_SUFFIX)
    return forms


def alliance_resolve(name: str) -> Alliance | None:
    """The alliance known by ``name`` (full name, short name or alias), or None.

    A name that is only known in its other form (「水资源联盟」 for the alias
    「水资源产业技术创新战略联盟」) resolves too; the exact form wins.
    """
    forms = _name_forms(name)
    found = {
        row.normalised: row
        for row in AllianceName.objects.filter(normalised__in=forms).select_related("alliance")
    }
    for key in forms:
        if key in found:
            return found[key].alliance
    return None


def alliance_from_attribution(line: str) -> Alliance | None:
    """The alliance of an attribution line such as 「（化纤产业技术创新战略联盟秘书处供稿）」."""
    match = _ATTRIBUTION.match(line.strip())
    return alliance_resolve(match.group("name")) if match else None


def alliance_name_suggestions(name: str, *, limit: int = 5) -> list[tuple[str, Alliance]]:
    """The registered names closest to ``name``, best first, with their alliances."""
    key = normalise(name)
    rows = list(AllianceName.objects.select_related("alliance"))
    by_key = {row.normalised: row for row in rows}
    close = difflib.get_close_matches(key, by_key, n=limit * 3, cutoff=0.4)
    # Containment catches "水资源联盟" vs "水环境资源产业技术创新战略联盟" that ratios miss.
    contained = [k for k in by_key if k not in close and (k in key or key in k)]
    seen, out = set(), []
    for k in close + contained:
        row = by_key[k]
        if row.alliance_id in seen:
            continue
        seen.add(row.alliance_id)
        out.append((row.name, row.alliance))
        if len(out) == limit:
            break
    return out


def alliances_for_user(user) -> QuerySet[Alliance]:
    """The alliances a user may see: all for office staff, their own for a secretariat."""
    if has_role(user, Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.ADMINISTRATOR):
        return Alliance.objects.all()
    if has_role(user, Role.SECRETARIAT):
        return Alliance.objects.filter(staff__user=user).distinct()
    return Alliance.objects.none()


def alliance_list(*, user) -> QuerySet[Alliance]:
    return (
        alliances_for_user(user)
        .annotate(alias_count=Count("names"))
        .prefetch_related(
            Prefetch("memberships", queryset=NetworkMembership.objects.order_by("joined_on"))
        )
        .order_by("code", "full_name")
    )


def access_alliance(user, alliance_id: int) -> Alliance:
    """The alliance for this user, or 404 — never revealing whether it exists."""
    try:
        return (
            alliances_for_user(user)
            .prefetch_related("names", "memberships", "contacts", "staff__user")
            .get(pk=alliance_id)
        )
    except (Alliance.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
