"""The counting: hand-built data across two years, period edges, sorting, query bound."""

from datetime import date

import pytest

from reports.statistics import (
    DEFAULT_SORT,
    Period,
    period_statistics,
    sort_param,
    sort_rows,
)
from tests.factories import AllianceFactory, make_submission

from .conftest import at, shanghai

pytestmark = pytest.mark.django_db


def counts(report):
    return {row.alliance.short_name: (row.received, row.accepted, row.items) for row in report.rows}


def test_2023_counts_match_the_hand_built_data(activity):
    report = period_statistics(Period.year(2023))
    assert counts(report) == {
        "甲测试联盟": (3, 1, 2),
        "乙测试联盟": (1, 1, 1),
        "丙测试联盟": (0, 0, 0),
    }
    assert [a.short_name for a in report.silent] == ["丙测试联盟"]
    totals = report.totals
    assert (totals.received, totals.accepted, totals.items) == (4, 2, 3)
    assert totals.rate_label == "50%"


def test_2024_counts_match_the_hand_built_data(activity):
    report = period_statistics(Period.year(2024))
    assert counts(report) == {
        "甲测试联盟": (1, 1, 0),
        "乙测试联盟": (0, 0, 1),
        "丙测试联盟": (0, 0, 0),
    }
    # Received nothing but had an item printed: B did send news (it was printed).
    assert [a.short_name for a in report.silent] == ["丙测试联盟"]


def test_a_range_over_both_years_adds_them_up(activity):
    report = period_statistics(Period(date(2023, 1, 1), date(2024, 12, 31)))
    assert counts(report)["甲测试联盟"] == (4, 2, 2)
    assert counts(report)["乙测试联盟"] == (1, 1, 2)


@pytest.mark.parametrize(
    ("first", "last", "a_received", "a_items", "b_items"),
    [
        # 23:59:59 on the last day is in; the signed issue dated that day is in.
        (date(2023, 12, 31), date(2023, 12, 31), 1, 1, 0),
        # 00:00:00 Beijing time on the first day is in (16:00 UTC the day before).
        (date(2024, 1, 1), date(2024, 1, 1), 1, 0, 1),
        (date(2023, 12, 30), date(2023, 12, 30), 0, 0, 0),
        (date(2024, 1, 2), date(2024, 1, 31), 0, 0, 0),
    ],
)
def test_period_edges_are_inclusive_days_in_beijing_time(
    activity, first, last, a_received, a_items, b_items
):
    report = counts(period_statistics(Period(first, last)))
    assert report["甲测试联盟"][0] == a_received
    assert report["甲测试联盟"][2] == a_items
    assert report["乙测试联盟"][2] == b_items


def test_period_bounds_are_shanghai_midnight():
    period = Period(date(2024, 1, 1), date(2024, 1, 31))
    assert period.start == shanghai(2024, 1, 1)
    assert period.end == shanghai(2024, 2, 1)
    assert period.start.utcoffset().total_seconds() == 8 * 3600


def test_monthly_series_counts_first_submission_month(activity):
    monthly = dict(period_statistics(Period.year(2023)).monthly)
    assert len(monthly) == 12
    assert monthly[date(2023, 3, 1)] == 1
    assert monthly[date(2023, 6, 1)] == 1  # resubmitted in 2024, first sent in June
    assert monthly[date(2023, 7, 1)] == 1
    assert monthly[date(2023, 12, 1)] == 1
    assert sum(monthly.values()) == 4


def test_retired_alliance_with_nothing_is_left_out_but_shown_when_active(activity):
    names = {row.alliance.short_name for row in period_statistics(Period.year(2023)).rows}
    assert "丁测试联盟" not in names
    with at(shanghai(2023, 9, 1, 9)):
        from tests.factories import make_secretary

        secretary = make_secretary(activity.retired, username="retired_sec")
        make_submission(activity.retired, secretary, title="丁一")
    names = {row.alliance.short_name for row in period_statistics(Period.year(2023)).rows}
    assert "丁测试联盟" in names


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("items", "items"),
        ("-received", "-received"),
        ("rate", "rate"),
        ("-name", "-name"),
        ("", DEFAULT_SORT),
        (None, DEFAULT_SORT),
        ("password", DEFAULT_SORT),
        ("--items", DEFAULT_SORT),
        ("alliance__secretariat__user__password", DEFAULT_SORT),
        ("-", DEFAULT_SORT),
        ("items;drop table", DEFAULT_SORT),
    ],
)
def test_sort_whitelist(given, expected):
    assert sort_param(given) == expected


def test_sorting_each_way(activity):
    rows = period_statistics(Period.year(2023)).rows
    by = {
        key: [r.alliance.short_name for r in sort_rows(rows, key)]
        for key in ("received", "-received", "-items", "code", "-code")
    }
    assert by["-received"] == ["甲测试联盟", "乙测试联盟", "丙测试联盟"]
    assert by["received"] == ["丙测试联盟", "乙测试联盟", "甲测试联盟"]
    assert by["-items"] == ["甲测试联盟", "乙测试联盟", "丙测试联盟"]
    assert by["code"] == ["甲测试联盟", "丙测试联盟", "乙测试联盟"]  # 901, 902, D901
    assert by["-code"] == list(reversed(by["code"]))


def test_the_table_is_two_queries_whatever_the_number_of_alliances(
    activity, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        small = period_statistics(Period.year(2023))
    for _ in range(30):
        AllianceFactory()
    with django_assert_max_num_queries(2):
        large = period_statistics(Period.year(2023))
    assert len(large.rows) == len(small.rows) + 30
