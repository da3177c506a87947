import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from alliances.models import Alliance, AllianceKind, AllianceName
from alliances.selectors import alliance_from_attribution, alliance_resolve
from alliances.services import (
    alias_add,
    alliance_create,
    alliance_update,
    membership_end,
    membership_join,
)
from tests.factories import AllianceFactory
from tests.seeds import SEEDS

# Attribution lines: 「（XX秘书处供稿）」, also with ASCII parentheses and across a line break.
ATTRIBUTION = re.compile(r"[（(]((?:[^（()）]|[（(][^（()）]*[)）]){2,60}?)\s*供稿[)）]")
NETWORK_OWN = "联盟协发网秘书处和联盟试点工作组"

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    call_command("load_alliances", verbosity=0)


def seed_attributions():
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"\s*\n\s*", "", path.read_text(encoding="utf-8"))  # undo hard line breaks
        found += [
            (path.name, name.strip().removesuffix("秘书处")) for name in ATTRIBUTION.findall(text)
        ]
    return found


def test_seed_files_have_attributions():
    names = seed_attributions()
    assert len(names) == 66  # 26 + 19 + 21 counted by hand, 10 of them the network's own


def test_every_alliance_attribution_in_the_seed_bulletins_resolves(registry):
    unresolved = []
    for file, name in seed_attributions():
        if name.startswith(NETWORK_OWN):
            continue
        if alliance_resolve(name) is None:
            unresolved.append((file, name))
    assert unresolved == []


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("应急装备产业技术创新战略联盟", "应急救援装备产业技术创新战略联盟"),
        ("第三代半导体照明产业技术创新战略联盟", "第三代半导体产业技术创新战略联盟"),
        ("建筑信息模型BIM产业技术创新战略联盟", "建筑信息模型（BIM）产业技术创新战略联盟"),
        ("建筑信息模型(BIM)产业技术创新战略联盟", "建筑信息模型（BIM）产业技术创新战略联盟"),
        ("封测联盟", "集成电路封测产业技术创新战略联盟"),
        ("水资源联盟", "水环境资源产业技术创新战略联盟"),
        ("水环境联盟", "水环境资源产业技术创新战略联盟"),
        ("再生联盟产业技术创新战略联盟", "再生资源产业技术创新战略联盟"),
        ("WAPI 产业联盟", "WAPI产业技术创新战略联盟"),
    ],
)
def test_variant_names_resolve_to_one_canonical_alliance(registry, printed, canonical):
    assert alliance_resolve(printed).full_name == canonical


def test_a_level_table_codes_are_loaded(registry):
    assert Alliance.objects.exclude(code=None).count() == 24
    assert alliance_resolve("化纤联盟").code == "118"
    third_gen = alliance_resolve("第三代半导体联盟")
    assert third_gen.code == "D106"
    assert third_gen.kind == AllianceKind.NETWORK
    assert alliance_resolve("建筑信息模型（BIM）产业技术创新战略联盟").batch == 3


def test_half_and_full_width_semiconductor_alliances_stay_apart(registry):
    assert alliance_resolve("半导体照明联盟") != alliance_resolve("第三代半导体联盟")


def test_attribution_line_resolves(registry):
    alliance = alliance_from_attribution("（化纤产业技术创新战略联盟秘书处供稿）")
    assert alliance.short_name == "化纤联盟"
    assert alliance.attribution == "（化纤产业技术创新战略联盟秘书处供稿）"
    assert alliance_from_attribution("(联盟协发网秘书处和联盟试点工作组供稿)") is None


def test_loading_twice_changes_nothing(registry):
    before = (Alliance.objects.count(), AllianceName.objects.count())
    call_command("load_alliances", verbosity=0)
    assert (Alliance.objects.count(), AllianceName.objects.count()) == before


@pytest.mark.parametrize("code", ["12", "1234", "012", "D", "X106", "1a2", "D12345"])
def test_invalid_batch_codes_are_rejected_with_the_rule(code):
    with pytest.raises(ValidationError) as error:
        alliance_create(full_name="某产业技术创新战略联盟", short_name="某联盟", code=code)
    assert "三位数字" in str(error.value)
    assert not Alliance.objects.exists()


@pytest.mark.parametrize("code", ["102", "354", "D106", "d7"])
def test_valid_batch_codes(code):
    alliance = alliance_create(full_name="某产业技术创新战略联盟", short_name="某联盟", code=code)
    assert alliance.code == code.upper()


def test_batch_number_and_kind_are_derived_from_the_code():
    alliance = AllianceFactory(code="354")
    assert (alliance.kind, alliance.batch) == (AllianceKind.PILOT, 3)
    alliance = alliance_update(alliance=alliance, code="D106")
    assert (alliance.kind, alliance.batch) == (AllianceKind.NETWORK, None)


def test_duplicate_full_name_is_rejected():
    AllianceFactory(full_name="化纤产业技术创新战略联盟", short_name="化纤联盟")
    with pytest.raises(ValidationError) as error:
        alliance_create(full_name="化纤产业技术创新战略联盟", short_name="另一个联盟")
    assert "同一名称不能指向两个联盟" in str(error.value)


def test_alias_pointing_at_another_alliance_is_rejected():
    first = AllianceFactory(full_name="水环境资源产业技术创新战略联盟", short_name="水环境联盟")
    second = AllianceFactory()
    with pytest.raises(ValidationError) as error:
        alias_add(alliance=second, name="水环境资源产业技术创新战略联盟 ")
    assert "水环境资源产业技术创新战略联盟" in str(error.value)
    assert alliance_resolve("水环境联盟") == first


def test_alias_differing_only_in_width_or_spaces_is_the_same_name():
    alliance = AllianceFactory(
        full_name="建筑信息模型（BIM）产业技术创新战略联盟", short_name="BIM联盟"
    )
    assert alias_add(alliance=alliance, name="建筑信息模型 (BIM) 产业技术创新战略联盟") is None
    other = AllianceFactory()
    with pytest.raises(ValidationError):
        alias_add(alliance=other, name="ＢＩＭ联盟")


def test_database_refuses_a_name_twice_even_past_the_service():
    alliance = AllianceFactory(short_name="化纤联盟")
    other = AllianceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceName.objects.create(alliance=other, name="化纤联盟", normalised="化纤联盟")
    assert alliance_resolve("化纤联盟") == alliance


def test_rename_keeps_the_old_name_free_for_nobody_else_and_resolves_new():
    alliance = AllianceFactory(short_name="钒钛联盟")
    alliance_update(alliance=alliance, short_name="钒钛资源综合利用联盟")
    assert alliance_resolve("钒钛资源综合利用联盟") == alliance
    assert alliance.names.filter(kind="short").count() == 1


def test_membership_history_keeps_dates():
    alliance = AllianceFactory()
    membership_join(alliance=alliance, joined_on=date(2023, 3, 20))
    with pytest.raises(ValidationError, match="已是协发网网员"):
        membership_join(alliance=alliance, joined_on=date(2023, 4, 1))
    with pytest.raises(ValidationError, match="不能早于"):
        membership_end(alliance=alliance, left_on=date(2022, 1, 1))
    membership_end(alliance=alliance, left_on=date(2024, 5, 1), note="取消网员注册资格")
    membership_join(alliance=alliance, joined_on=date(2025, 1, 1))
    periods = [(m.joined_on, m.left_on) for m in alliance.memberships.order_by("joined_on")]
    assert periods == [(date(2023, 3, 20), date(2024, 5, 1)), (date(2025, 1, 1), None)]


def test_resolve_alliance_command_prints_the_canonical_alliance(registry, capsys):
    call_command("resolve_alliance", "应急装备产业技术创新战略联盟")
    assert "应急救援装备产业技术创新战略联盟" in capsys.readouterr().out


def test_resolve_alliance_command_lists_closest_matches_for_unknown(registry):
    with pytest.raises(CommandError) as error:
        call_command("resolve_alliance", "花卉产业联盟会")
    message = str(error.value)
    assert "名录中没有名为“花卉产业联盟会”的联盟" in message
    assert "花卉产业技术创新战略联盟" in message
