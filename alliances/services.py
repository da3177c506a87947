"""Every write to the alliance registry.

Names are the delicate part: a full name, a short name and every alias share one
namespace (``AllianceName.normalised`` is unique), so a name can never point at two
alliances. Each function validates and raises ``ValidationError`` with a message that
names the rule; nothing is written when it raises.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role
from accounts.permissions import require
from accounts.services import role_grant

from .models import (
    ActivityLevel,
    ActivityRating,
    Alliance,
    AllianceContact,
    AllianceName,
    EvaluationPeriod,
    NameKind,
    NetworkMembership,
    SecretariatStaff,
)
from .names import normalise
from .selectors import alliance_resolve


def name_check_free(name: str, *, alliance: Alliance | None, field: str) -> str:
    key = normalise(name)
    if not key:
        raise ValidationError({field: "名称不能为空。"})
    clash = AllianceName.objects.filter(normalised=key).select_related("alliance").first()
    if clash and (alliance is None or clash.alliance_id != alliance.pk):
        owner = f"“{clash.alliance.full_name}”（{clash.get_kind_display()}）"
        raise ValidationError({field: f"名称“{name}”已属于{owner}，同一名称不能指向两个联盟。"})
    return key


def _set_name(alliance: Alliance, kind: str, name: str) -> None:
    """Make ``name`` the alliance's single name of ``kind`` (full or short)."""
    key = normalise(name)
    current = alliance.names.filter(kind=kind).first()
    same_as_alias = alliance.names.filter(normalised=key, kind=NameKind.ALIAS).first()
    if same_as_alias:  # promoting an alias to the canonical name
        same_as_alias.delete()
    if current:
        current.name, current.normalised = name, key
        current.save(update_fields=["name", "normalised"])
    else:
        AllianceName.objects.create(alliance=alliance, name=name, normalised=key, kind=kind)


def _validated(alliance: Alliance, *, exclude=()) -> None:
    try:
        alliance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


@transaction.atomic
def alliance_create(
    *,
    full_name: str,
    short_name: str,
    code: str | None = None,
    website: str = "",
    aliases=(),
    actor=None,
) -> Alliance:
    """Register an alliance with its names. Raises ValidationError (nothing written)."""
    full_name, short_name = full_name.strip(), short_name.strip()
    code = (code or "").strip().upper() or None
    name_check_free(full_name, alliance=None, field="full_name")
    name_check_free(short_name, alliance=None, field="short_name")
    if normalise(full_name) == normalise(short_name):
        raise ValidationError({"short_name": "简称不能与全称相同。"})
    alliance = Alliance(full_name=full_name, short_name=short_name, code=code, website=website)
    _validated(alliance)
    alliance.save()
    _set_name(alliance, NameKind.FULL, full_name)
    _set_name(alliance, NameKind.SHORT, short_name)
    for alias in aliases:
        alias_add(alliance=alliance, name=alias, actor=actor)
    return alliance


@transaction.atomic
def alliance_update(*, alliance: Alliance, actor=None, **fields) -> Alliance:
    """Change fields of an alliance; renaming keeps names unique. Raises ValidationError."""
    allowed = {"full_name", "short_name", "code", "website", "is_active", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    for field in ("full_name", "short_name"):
        if field in fields:
            fields[field] = fields[field].strip()
            name_check_free(fields[field], alliance=alliance, field=field)
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip().upper() or None
    for field, value in fields.items():
        setattr(alliance, field, value)
    if normalise(alliance.full_name) == normalise(alliance.short_name):
        raise ValidationError({"short_name": "简称不能与全称相同。"})
    _validated(alliance)
    alliance.save(update_fields=[*fields, "updated_at"])
    if "full_name" in fields:
        _set_name(alliance, NameKind.FULL, alliance.full_name)
    if "short_name" in fields:
        _set_name(alliance, NameKind.SHORT, alliance.short_name)
    return alliance


def alias_add(*, alliance: Alliance, name: str, actor=None) -> AllianceName | None:
    """Record another name of the alliance. Re-adding one of its own names is a no-op
    (returns None); a name of another alliance raises ValidationError."""
    name = name.strip()
    key = name_check_free(name, alliance=alliance, field="name")
    existing = alliance.names.filter(normalised=key).first()
    if existing:
        return None
    try:
        with transaction.atomic():
            return AllianceName.objects.create(
                alliance=alliance, name=name, normalised=key, kind=NameKind.ALIAS
            )
    except IntegrityError:  # a concurrent writer took the name first
        raise ValidationError({"name": f"名称“{name}”已被其他联盟使用。"}) from None


def alias_remove(*, alias: AllianceName, actor=None) -> None:
    if alias.kind != NameKind.ALIAS:
        raise ValidationError("全称和简称不能删除，只能修改。")
    alias.delete()


@transaction.atomic
def membership_join(
    *, alliance: Alliance, joined_on: date, note: str = "", actor=None
) -> NetworkMembership:
    """Record that the alliance became a network member (正式成为网员)."""
    if alliance.memberships.filter(left_on__isnull=True).exists():
        raise ValidationError("该联盟目前已是协发网网员，不能重复登记。")
    last = alliance.memberships.order_by("-joined_on").first()
    if last and last.left_on and joined_on < last.left_on:
        raise ValidationError("重新成为网员的日期不能早于上次取消资格的日期。")
    return NetworkMembership.objects.create(alliance=alliance, joined_on=joined_on, note=note)


@transaction.atomic
def membership_end(
    *, alliance: Alliance, left_on: date, note: str = "", actor=None
) -> NetworkMembership:
    """Record that the alliance lost its membership (取消网员注册资格)."""
    open_membership = alliance.memberships.select_for_update().filter(left_on__isnull=True).first()
    if open_membership is None:
        raise ValidationError("该联盟目前不是协发网网员。")
    if left_on < open_membership.joined_on:
        raise ValidationError("取消资格的日期不能早于成为网员的日期。")
    open_membership.left_on = left_on
    if note:
        open_membership.note = f"{open_membership.note}；{note}" if open_membership.note else note
    open_membership.save(update_fields=["left_on", "note"])
    return open_membership


def staff_assign(*, alliance: Alliance, user, title: str = "", actor=None) -> SecretariatStaff:
    """Make ``user`` secretariat staff of ``alliance`` and give them the secretariat role."""
    with transaction.atomic():
        post, _ = SecretariatStaff.objects.get_or_create(
            alliance=alliance, user=user, defaults={"title": title}
        )
        role_grant(user=user, role=Role.SECRETARIAT, actor=actor)
    return post


def contact_add(
    *, alliance: Alliance, name: str, title="", phone="", email="", actor=None
) -> AllianceContact:
    contact = AllianceContact(
        alliance=alliance, name=name.strip(), title=title, phone=phone, email=email
    )
    _validated(contact, exclude=["alliance"])
    contact.save()
    return contact


@transaction.atomic
def registry_load(*, records: list[dict], actor=None) -> tuple[int, int]:
    """Create or update alliances from registry records (see ``alliances/data/registry.json``).

    Idempotent: an alliance is found by its code, else by any of its names. Returns
    ``(created, updated)``.
    """
    created = updated = 0
    for record in records:
        names = [record["full_name"], record["short_name"], *record.get("aliases", [])]
        alliance = None
        if record.get("code"):
            alliance = Alliance.objects.filter(code=record["code"]).first()
        for name in names:
            alliance = alliance or alliance_resolve(name)
        if alliance is None:
            alliance = alliance_create(
                full_name=record["full_name"],
                short_name=record["short_name"],
                code=record.get("code"),
                actor=actor,
            )
            created += 1
        else:
            changes = {
                key: record[key]
                for key in ("full_name", "short_name", "code")
                if record.get(key) and getattr(alliance, key) != record[key]
            }
            if changes:
                alliance = alliance_update(alliance=alliance, actor=actor, **changes)
                updated += 1
        for alias in record.get("aliases", []):
            alias_add(alliance=alliance, name=alias, actor=actor)
        joined = record.get("network_joined")
        if joined and not alliance.memberships.exists():
            membership_join(
                alliance=alliance,
                joined_on=date.fromisoformat(joined),
                note="据简报记载",
                actor=actor,
            )
    return created, updated


# --- 活跃度评价 ----------------------------------------------------------------------------
@transaction.atomic
def evaluation_period_create(
    *, name: str, starts_on: date, ends_on: date, notes: str = "", actor
) -> EvaluationPeriod:
    """A new evaluation period. Periods may not overlap: "consecutive" is their order in time.

    Raises PermissionDenied (not an editor or administrator) or ValidationError keyed by
    field (nothing written).
    """
    require(actor, "alliance.rate")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写评价期名称，如“2024年度”。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "截止日期不能早于起始日期。"})
    # Lock the table's rows so two people creating periods at once cannot both pass.
    existing = list(EvaluationPeriod.objects.select_for_update().order_by("starts_on"))
    if any(p.name == name for p in existing):
        raise ValidationError({"name": f"评价期“{name}”已存在，请换一个名称。"})
    for other in existing:
        if other.starts_on <= ends_on and starts_on <= other.ends_on:
            raise ValidationError(
                {
                    "starts_on": f"与评价期“{other.name}”（{other.starts_on:%Y-%m-%d}至"
                    f"{other.ends_on:%Y-%m-%d}）的时间重叠；评价期按时间先后排列，不能重叠。"
                }
            )
    period = EvaluationPeriod(
        name=name, starts_on=starts_on, ends_on=ends_on, notes=notes.strip(), created_by=actor
    )
    period._history_user = actor
    period.save()
    return period


@dataclass
class RatingsRecorded:
    created: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def activity_ratings_record(
    *, period_id: int, decisions: dict[int, tuple[str, str]], actor
) -> RatingsRecorded:
    """Record a period's levels: ``decisions`` maps alliance id -> (level, note); an empty
    level removes the alliance's rating for the period. Rows that do not change are not
    written; every change is kept by simple-history with ``actor`` as its author.

    Raises PermissionDenied, or ValidationError for an unknown level or alliance (nothing
    written: one transaction).
    """
    require(actor, "alliance.rate")
    period = EvaluationPeriod.objects.select_for_update().get(pk=period_id)
    known = set(Alliance.objects.filter(pk__in=decisions).values_list("pk", flat=True))
    if unknown := set(decisions) - known:
        raise ValidationError(f"联盟不存在：{sorted(unknown)}。")
    existing = {r.alliance_id: r for r in ActivityRating.objects.filter(period=period)}
    result = RatingsRecorded()
    for alliance_id, (level, note) in decisions.items():
        note = (note or "").strip()
        current = existing.get(alliance_id)
        if not level:
            if current is not None:
                current._history_user = actor
                current.delete()
                result.removed += 1
            continue
        if level not in ActivityLevel.values:
            raise ValidationError(f"“{level}”不是活跃度等级（高、较高、一般、不活跃）。")
        if current is None:
            rating = ActivityRating(
                period=period, alliance_id=alliance_id, level=level, note=note, recorded_by=actor
            )
            rating._history_user = actor
            rating.save()
            result.created += 1
        elif (current.level, current.note) != (level, note):
            current.level, current.note, current.recorded_by = level, note, actor
            current._history_user = actor
            current.save(update_fields=["level", "note", "recorded_by", "recorded_at"])
            result.changed += 1
    return result
