"""Attribution lines of imported issues matched to the alliance registry."""

from datetime import date

import pytest
from django.core.management import call_command

from alliances.models import Alliance
from bulletins.importer import parse_bulletin, resolve_attributions
from bulletins.importer.resolve import ALLIANCE, NETWORK

from .test_importer import COUNTS, MD_SEED, PDF_SEED, TEXT_SEED, parse_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    call_command("load_alliances", verbosity=0)


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_every_seed_attribution_resolves_to_one_alliance(registry, path):
    matches = resolve_attributions(parse_seed(path))
    own, alliances = COUNTS[path.name][2]
    assert len(matches) == own + alliances
    assert [m.kind for m in matches].count(NETWORK) == own
    alliance_matches = [m for m in matches if m.kind == ALLIANCE]
    assert len(alliance_matches) == alliances
    unresolved = [m.attribution for m in alliance_matches if m.alliance is None]
    assert unresolved == []
    assert all(m.alliance is None and m.suggestions == [] for m in matches if m.kind == NETWORK)


def test_variant_names_resolve_to_the_canonical_alliance(registry):
    by_attribution = {
        m.attribution: m.alliance
        for path in (PDF_SEED, MD_SEED, TEXT_SEED)
        for m in resolve_attributions(parse_seed(path))
    }
    emergency = Alliance.objects.get(full_name="应急救援装备产业技术创新战略联盟")
    assert by_attribution["（应急装备产业技术创新战略联盟秘书处供稿）"] == emergency
    assert by_attribution["（应急救援装备产业技术创新战略联盟秘书处供稿）"] == emergency
    water = by_attribution["（水资源产业技术创新战略联盟秘书处供稿）"]
    assert water == by_attribution["（水环境资源产业技术创新战略联盟秘书处供稿）"]
    bim = by_attribution["（建筑信息模型（BIM）产业技术创新战略联盟秘书处供稿）"]
    assert bim == by_attribution["（BIM产业技术创新战略联盟秘书处供稿）"]
    assert bim == by_attribution["（建筑信息模型BIM产业技术创新战略联盟秘书处供稿）"]


def test_unknown_alliance_comes_with_the_closest_names(registry):
    text = (
        "➤ 试点联盟及协发网网员单位动态\n\n太阳能光热利用联盟召开年会\n\n"
        "太阳能光热利用产业技术创新战略联盟近日召开年会。\n\n"
        "（太阳能光热利用产业技术创新战略联盟秘书处供稿）\n"
    )
    result = parse_bulletin(text, year=2024, number=1, cumulative=72, issued_on=date(2024, 3, 1))
    (match,) = resolve_attributions(result)
    assert match.title == "太阳能光热利用联盟召开年会"
    assert match.kind == ALLIANCE and match.alliance is None and match.unknown
    names = [name for name, _ in match.suggestions]
    assert names[0] == "太阳能光热产业技术创新战略联盟"
    assert len(names) <= 5


def test_without_a_registry_nothing_resolves(db):
    matches = resolve_attributions(parse_seed(MD_SEED))
    assert all(m.alliance is None for m in matches)
    assert all(m.suggestions == [] for m in matches)
