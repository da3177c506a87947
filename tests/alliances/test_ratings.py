"""活跃度评价: periods and ratings (services, constraints, history), the A级 derivation,
the rating sheet page and the alliance page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from alliances.models import ActivityLevel, ActivityRating, EvaluationPeriod
from alliances.ratings import a_level_alliances, a_level_chain, alliance_activity
from alliances.services import activity_ratings_record, evaluation_period_create
from tests.factories import AllianceFactory, make_periods, make_user

pytestmark = pytest.mark.django_db

H, F, A, X = (
    ActivityLevel.HIGH,
    ActivityLevel.FAIRLY_HIGH,
    ActivityLevel.AVERAGE,
    ActivityLevel.INACTIVE,
)


# --- the derivation, as a table ------------------------------------------------------------
@pytest.mark.parametrize(
    ("levels", "chain"),
    [
        ([H, H, H], [1, 2, 3]),  # HHH -> A
        ([H, H, F], None),  # HH较高 -> not
        ([H, H, None, H], None),  # H H gap H -> not
        ([H, H, None, H, H], None),  # the gap is inside the latest three
        ([H, H], None),  # fewer than three periods
        ([H], None),
        ([], None),
        ([A, H, H, H], [2, 3, 4]),  # the latest three
        ([H, H, H, F], None),  # lost it in the latest period
        ([H, H, H, None], [1, 2, 3]),  # not yet rated in P4: its latest three still stand
        ([None, H, H, H], [2, 3, 4]),
        ([X, F, A], None),
    ],
)
def test_a_level_chain(levels, chain):
    period_ids = list(range(1, max(len(levels), 1) + 1))
    rated = {pk: level for pk, level in zip(period_ids, levels, strict=False) if level}
    assert a_level_chain(period_ids if levels else [], rated) == chain


def test_a_level_from_recorded_ratings_and_the_alliance_page(client, editor, alliance_a):
    p = make_periods(editor, 4)
    b = AllianceFactory(code="903")
    for period, (level_a, level_b) in zip(p, [(F, H), (H, H), (H, None), (H, H)], strict=True):
        decisions = {alliance_a.pk: (level_a, "")}
        if level_b:
            decisions[b.pk] = (level_b, "")
        activity_ratings_record(period_id=period.pk, decisions=decisions, actor=editor)
    assert [pair[0] for pair in a_level_alliances()] == [alliance_a]
    activity = alliance_activity(alliance_a)
    assert activity.is_a_level
    assert activity.a_level_label == "2021年度、2022年度、2023年度"
    assert not alliance_activity(b).is_a_level  # 2022年度 missing breaks the chain

    client.force_login(editor)
    body = client.get(reverse("alliances:detail", args=[alliance_a.pk])).content.decode()
    assert "A级活跃度联盟" in body
    assert "2021年度、2022年度、2023年度连续三个评价期均为“高”" in body
    body_b = client.get(reverse("alliances:detail", args=[b.pk])).content.decode()
    assert 'class="badge a-level"' not in body_b
    assert "2020年度" in body_b  # the history of its ratings


def test_the_published_list_is_shown_apart_from_the_derived_status(client, editor):
    """化纤联盟 (118) is on the 2018-2021 list printed in 2022年第3期; no ratings recorded."""
    chemical = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    activity = alliance_activity(chemical)
    assert not activity.is_a_level
    assert [entry.years for entry in activity.published] == ["2018-2021年"]
    client.force_login(editor)
    body = client.get(reverse("alliances:detail", args=[chemical.pk])).content.decode()
    assert "A级（2018-2021年名单）" in body
    assert "2022年第3期" in body
    assert "不由本系统的评价记录推算" in body
    assert 'class="badge a-level"' not in body  # the derived badge is not claimed


def test_the_published_list_has_the_24_codes_of_the_printed_table():
    from alliances.ratings import published_a_level_lists

    (entry,) = published_a_level_lists()
    assert len(entry.codes) == 24
    assert {"102", "118", "354", "D106"} <= entry.codes


# --- services --------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.RECIPIENT, Role.REVIEWER, Role.SIGNER])
def test_only_editors_and_administrators_record(role, editor, alliance_a):
    (period,) = make_periods(editor, 1)
    outsider = make_user(role)
    with pytest.raises(PermissionDenied):
        evaluation_period_create(
            name="2030年度", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31), actor=outsider
        )
    with pytest.raises(PermissionDenied):
        activity_ratings_record(
            period_id=period.pk, decisions={alliance_a.pk: (H, "")}, actor=outsider
        )
    assert not ActivityRating.objects.exists()


def test_administrator_records(administrator, alliance_a):
    period = evaluation_period_create(
        name="2024年度", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31), actor=administrator
    )
    done = activity_ratings_record(
        period_id=period.pk, decisions={alliance_a.pk: (H, "")}, actor=administrator
    )
    assert done.created == 1


@pytest.mark.parametrize(
    ("name", "starts", "ends", "field", "message"),
    [
        ("2020年度", date(2030, 1, 1), date(2030, 12, 31), "name", "已存在"),
        ("跨年", date(2020, 7, 1), date(2021, 6, 30), "starts_on", "时间重叠"),
        ("倒置", date(2031, 7, 1), date(2031, 6, 30), "ends_on", "不能早于起始日期"),
        ("  ", date(2031, 1, 1), date(2031, 6, 30), "name", "请填写评价期名称"),
    ],
)
def test_period_rules(editor, name, starts, ends, field, message):
    make_periods(editor, 1)
    with pytest.raises(ValidationError) as error:
        evaluation_period_create(name=name, starts_on=starts, ends_on=ends, actor=editor)
    assert message in " ".join(error.value.message_dict[field])
    assert EvaluationPeriod.objects.count() == 1


def test_database_constraints(editor, alliance_a):
    (period,) = make_periods(editor, 1)
    ActivityRating.objects.create(period=period, alliance=alliance_a, level=H)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRating.objects.create(period=period, alliance=alliance_a, level=F)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRating.objects.create(period=period, alliance=AllianceFactory(), level="excellent")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationPeriod.objects.create(
            name="倒置", starts_on=date(2040, 2, 1), ends_on=date(2040, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationPeriod.objects.create(
            name="2020年度", starts_on=date(2041, 1, 1), ends_on=date(2041, 2, 1)
        )


def test_changes_are_kept_in_the_history(editor, administrator, alliance_a):
    (period,) = make_periods(editor, 1)
    activity_ratings_record(period_id=period.pk, decisions={alliance_a.pk: (F, "")}, actor=editor)
    done = activity_ratings_record(
        period_id=period.pk, decisions={alliance_a.pk: (H, "复核后调整")}, actor=administrator
    )
    assert (done.created, done.changed, done.removed) == (0, 1, 0)
    same = activity_ratings_record(
        period_id=period.pk, decisions={alliance_a.pk: (H, "复核后调整")}, actor=administrator
    )
    assert (same.created, same.changed, same.removed) == (0, 0, 0)
    removed = activity_ratings_record(
        period_id=period.pk, decisions={alliance_a.pk: ("", "")}, actor=editor
    )
    assert removed.removed == 1
    assert not ActivityRating.objects.exists()
    history = list(
        ActivityRating.history.filter(alliance_id=alliance_a.pk).order_by("history_date")
    )
    assert [(h.history_type, h.level, h.history_user) for h in history] == [
        ("+", F, editor),
        ("~", H, administrator),
        ("-", H, editor),
    ]


def test_an_unknown_level_writes_nothing(editor, alliance_a, alliance_b):
    (period,) = make_periods(editor, 1)
    with pytest.raises(ValidationError):
        activity_ratings_record(
            period_id=period.pk,
            decisions={alliance_a.pk: (H, ""), alliance_b.pk: ("excellent", "")},
            actor=editor,
        )
    assert not ActivityRating.objects.exists()


# --- the pages (the rating sheet of a period: tests/reports/test_ratings.py) ---------------
def test_new_period_form_keeps_input_on_error(client, editor):
    make_periods(editor, 1)
    client.force_login(editor)
    response = client.post(
        reverse("alliances:ratings"),
        {"name": "2020年度", "starts_on": "2024-02-30", "ends_on": "2024-12-31", "notes": "说明"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "起始日期不是有效的日期" in body
    assert 'value="2020年度"' in body and 'value="2024-02-30"' in body and 'value="说明"' in body
    response = client.post(
        reverse("alliances:ratings"),
        {"name": "2020年度", "starts_on": "2025-01-01", "ends_on": "2025-12-31"},
    )
    assert "评价期“2020年度”已存在" in response.content.decode()
    response = client.post(
        reverse("alliances:ratings"),
        {"name": "2025年度", "starts_on": "2025-01-01", "ends_on": "2025-12-31"},
    )
    assert response.status_code == 302
    assert EvaluationPeriod.objects.filter(name="2025年度").exists()


def test_ratings_index_lists_derived_and_published(client, editor, alliance_a):
    p = make_periods(editor, 3)
    for period in p:
        activity_ratings_record(
            period_id=period.pk, decisions={alliance_a.pk: (H, "")}, actor=editor
        )
    client.force_login(editor)
    body = client.get(reverse("alliances:ratings")).content.decode()
    assert "按本系统评价记录推算（1 个）" in body
    assert "甲测试联盟" in body
    assert "A级活跃度产业技术创新战略联盟名单（2018-2021年）" in body


def test_demo_loader_records_three_periods_and_one_a_level(db, settings):
    from citisa.demo import load_demo  # the project's demo, a floor above (test only)

    settings.DEBUG = True  # the demo is refused outside DEBUG
    load_demo()
    load_demo()  # idempotent
    assert list(EvaluationPeriod.objects.values_list("name", flat=True)) == [
        "2023年度",
        "2024年度",
        "2025年度",
    ]
    assert [a.short_name for a, _ in a_level_alliances()] == ["化纤联盟"]


def test_the_published_list_names_its_24_alliances(client, editor):
    """Not only 「共 24 家」: every alliance as printed, linked to the registry by 批次编号."""
    chemical = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    client.force_login(editor)
    body = client.get(reverse("alliances:ratings")).content.decode()
    assert "共 24 家" in body
    for name in (
        "农业装备产业技术创新战略联盟",
        "建筑信息模型（BIM）产业技术创新战略联盟",
        "第三代半导体产业技术创新战略联盟",
    ):
        assert name in body
    assert body.count("产业技术创新战略") >= 24
    link = reverse("alliances:detail", args=[chemical.pk])
    assert f'<a href="{link}">化纤产业技术创新战略联盟</a>' in body
    assert "<td>D106</td>" in body
