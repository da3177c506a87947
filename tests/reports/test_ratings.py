"""The rating sheet of an evaluation period: each alliance's statistics, the level they
suggest, and the level the person records."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from alliances.models import ActivityLevel, ActivityRating
from alliances.services import activity_ratings_record, evaluation_period_create
from reports.statistics import AllianceRow, Period, suggest_level
from tests.factories import AllianceFactory, make_periods, make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db

H, F, A, X = (
    ActivityLevel.HIGH,
    ActivityLevel.FAIRLY_HIGH,
    ActivityLevel.AVERAGE,
    ActivityLevel.INACTIVE,
)


def sheet_url(period):
    return reverse("reports:ratings_record", args=[period.pk])


def test_sheet_leaves_unrated_alliances_unrated_and_shows_the_suggestion_beside(
    client, editor, activity
):
    period = evaluation_period_create(
        name="2023年度", starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31), actor=editor
    )
    activity_ratings_record(period_id=period.pk, decisions={activity.a.pk: (H, "")}, actor=editor)
    client.force_login(editor)
    response = client.get(sheet_url(period))
    body = response.content.decode()
    assert "建议等级怎么来的" in body and "每年 4 篇及以上建议“高”" in body
    form = response.context["form"]
    # A is rated 高: shown as recorded. B (1 item, suggests 一般) and C (nothing, suggests
    # 不活跃) are not rated: their fields start at 未评, the suggestion beside them.
    assert form[f"level_{activity.a.pk}"].value() == H
    assert form[f"level_{activity.b.pk}"].value() == ""
    assert form[f"level_{activity.c.pk}"].value() == ""
    assert body.count('<option value="" selected>未评</option>') == 2
    lines = {line.alliance.pk: line for line, _, _ in response.context["sheet"]}
    assert (lines[activity.b.pk].suggestion, lines[activity.c.pk].suggestion) == (A, X)
    assert f'<span class="badge level-{X}">不活跃</span>' in body


def test_saving_the_sheet_untouched_records_no_one_unrated(client, editor, activity):
    """One 保存 must not record 不活跃 (or any suggestion) for every alliance not yet rated."""
    period = evaluation_period_create(
        name="2023年度", starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31), actor=editor
    )
    activity_ratings_record(period_id=period.pk, decisions={activity.a.pk: (H, "")}, actor=editor)
    client.force_login(editor)
    form = client.get(sheet_url(period)).context["form"]
    # Post back exactly what the page holds, as a browser would on 保存 without a change.
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"level_{activity.b.pk}"] = A  # the one choice made
    response = client.post(sheet_url(period), data)
    assert response.status_code == 302
    recorded = dict(
        ActivityRating.objects.filter(period=period).values_list("alliance_id", "level")
    )
    assert recorded == {activity.a.pk: H, activity.b.pk: A}
    assert "新增 1 条，修改 0 条，撤销 0 条" in client.get(response.url).content.decode()


def test_suggestion_rule_table():
    year = Period.year(2024)
    two_years = Period(date(2023, 1, 1), date(2024, 12, 31))
    month = Period(date(2024, 1, 1), date(2024, 1, 31))
    cases = [
        (year, 0, 4, H),
        (year, 0, 3, F),
        (year, 0, 2, F),
        (year, 0, 1, A),
        (year, 5, 0, A),
        (year, 0, 0, X),
        (two_years, 0, 4, F),
        (two_years, 0, 8, H),
        (month, 0, 1, A),  # a short period counts as a whole year
    ]
    for period, received, items, expected in cases:
        row = AllianceRow(alliance=None, received=received, accepted=0, items=items)
        assert suggest_level(row, period) == expected, (period, received, items)


def test_saving_the_sheet_records_the_persons_choice(client, editor, alliance_a, alliance_b):
    (period,) = make_periods(editor, 1)
    client.force_login(editor)
    response = client.post(
        sheet_url(period),
        {
            f"level_{alliance_a.pk}": H,
            f"note_{alliance_a.pk}": "成员大会和标准发布",
            f"level_{alliance_b.pk}": "",
            f"note_{alliance_b.pk}": "",
        },
    )
    assert response.status_code == 302
    rating = ActivityRating.objects.get()
    assert (rating.alliance, rating.level, rating.note, rating.recorded_by) == (
        alliance_a,
        H,
        "成员大会和标准发布",
        editor,
    )
    body = client.get(response.url).content.decode()
    assert "新增 1 条" in body


def test_bad_input_keeps_everything_typed(client, editor, alliance_a, alliance_b):
    (period,) = make_periods(editor, 1)
    client.force_login(editor)
    long_note = "很" * 201
    response = client.post(
        sheet_url(period),
        {
            f"level_{alliance_a.pk}": "excellent",
            f"note_{alliance_a.pk}": "甲的备注",
            f"level_{alliance_b.pk}": A,
            f"note_{alliance_b.pk}": long_note,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "“excellent”不是可选的等级" in body
    assert "备注最多 200 个字（现有 201 个）" in body
    assert 'value="甲的备注"' in body
    assert f'value="{long_note}"' in body
    assert f'<option value="{A}" selected>一般</option>' in body
    assert "其余填写都已保留" in body
    assert not ActivityRating.objects.exists()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.RECIPIENT, Role.REVIEWER, Role.SIGNER])
def test_sheet_refuses_other_roles(client, role, editor, alliance_a):
    (period,) = make_periods(editor, 1)
    force_login_verified(client, make_user(role))
    assert client.get(sheet_url(period)).status_code == 403
    post = client.post(sheet_url(period), {f"level_{alliance_a.pk}": H})
    assert post.status_code == 403
    assert not ActivityRating.objects.exists()


def test_sheet_query_count_is_bounded(client, editor, django_assert_max_num_queries):
    (period,) = make_periods(editor, 1)
    client.force_login(editor)
    client.get(sheet_url(period))
    with django_assert_max_num_queries(7):
        client.get(sheet_url(period))
    for _ in range(20):
        AllianceFactory()
    with django_assert_max_num_queries(7):
        response = client.get(sheet_url(period))
    assert len(response.context["sheet"]) == 20
