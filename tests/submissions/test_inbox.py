"""The editors' inbox: filters, the jieba keyword search, sorting, paging, counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.text import search_terms
from submissions.calls import call_open
from tests.factories import AllianceFactory, make_secretary, make_submission

pytestmark = pytest.mark.django_db


def titles(response):
    return [s.title for s in response.context["page"].object_list]


@pytest.fixture
def inbox_rows(alliance_a, secretary_a, alliance_b, secretary_b, editor):
    call = call_open(
        title="2026年第2期征稿", deadline=timezone.localdate() + timedelta(days=10), actor=editor
    )
    make_submission(
        alliance_a,
        secretary_a,
        title="化纤联盟召开2024年年会",
        body_html="<p>化纤产业技术创新战略联盟在北京召开年会，审议工作报告。</p>",
        editor=editor,
        call=call,
    )
    make_submission(
        alliance_a,
        secretary_a,
        status="accepted",
        title="化纤联盟发布团体标准",
        body_html="<p>联盟发布三项团体标准。</p>",
        editor=editor,
    )
    make_submission(
        alliance_b,
        secretary_b,
        status="declined",
        title="粉末冶金联盟举办高峰论坛",
        body_html="<p>注射成形及增材制造技术与应用高峰论坛在线上召开。</p>",
        editor=editor,
        section="联盟联络组及协发网动态",
    )
    make_submission(alliance_b, secretary_b, status="draft", title="乙联盟的草稿")
    return call


def test_search_terms_are_cut_with_jieba():
    assert search_terms("化纤联盟年会") == ["化纤", "联盟", "年会"]
    assert search_terms("  的  ") == ["的"]  # only stop words: search for them anyway
    assert search_terms("联盟的年会") == ["联盟", "年会"]
    assert search_terms("年会和标准") == ["年会", "标准"]
    assert search_terms("WAPI 标准") == ["wapi", "标准"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["粉末冶金联盟举办高峰论坛", "化纤联盟发布团体标准", "化纤联盟召开2024年年会"]),
        ({"status": "accepted"}, ["化纤联盟发布团体标准"]),
        ({"section": "联盟联络组及协发网动态"}, ["粉末冶金联盟举办高峰论坛"]),
        # every term must match, wherever it is: not a substring search
        ({"q": "化纤联盟年会"}, ["化纤联盟召开2024年年会"]),
        ({"q": "年会 工作报告"}, ["化纤联盟召开2024年年会"]),
        ({"q": "增材制造"}, ["粉末冶金联盟举办高峰论坛"]),
        ({"q": "化纤 论坛"}, []),
        (
            {"o": "title"},
            ["化纤联盟发布团体标准", "化纤联盟召开2024年年会", "粉末冶金联盟举办高峰论坛"],
        ),
    ],
)
def test_inbox_filters(client, editor, inbox_rows, params, expected):
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"), params)
    assert response.status_code == 200
    got = titles(response)
    if "o" in params:
        assert got == sorted(expected, key=lambda t: t.encode("utf-8")) or got == expected
    else:
        assert got == expected
    assert "乙联盟的草稿" not in response.content.decode()  # drafts are the secretariat's


def test_filter_by_alliance_call_and_date(client, editor, inbox_rows, alliance_b):
    client.force_login(editor)
    inbox = reverse("submissions:inbox")
    assert titles(client.get(inbox, {"alliance": alliance_b.pk})) == ["粉末冶金联盟举办高峰论坛"]
    assert titles(client.get(inbox, {"call": inbox_rows.pk})) == ["化纤联盟召开2024年年会"]
    today = timezone.localdate()
    assert len(titles(client.get(inbox, {"submitted_from": today, "submitted_to": today}))) == 3
    tomorrow = today + timedelta(days=1)
    assert titles(client.get(inbox, {"submitted_from": tomorrow})) == []
    assert len(titles(client.get(inbox, {"submitted_to": today - timedelta(days=1)}))) == 0


def test_counts_per_status_follow_the_other_filters(client, editor, inbox_rows, alliance_a):
    client.force_login(editor)
    response = client.get(
        reverse("submissions:inbox"), {"alliance": alliance_a.pk, "status": "accepted"}
    )
    counts = {value: n for value, _, n in response.context["counts"]}
    assert counts == {
        "submitted": 1,
        "revision_requested": 0,
        "accepted": 1,
        "declined": 0,
        "published": 0,
    }
    assert titles(response) == ["化纤联盟发布团体标准"]


def test_an_invalid_filter_value_is_reported_not_a_crash(client, editor, inbox_rows):
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"), {"submitted_from": "昨天", "alliance": "x"})
    assert response.status_code == 200


def test_an_alliance_or_call_that_is_not_an_option_is_refused(client, editor, inbox_rows):
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"), {"alliance": 99999, "call": inbox_rows.pk})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["alliance"] == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]
    assert f'value="{inbox_rows.pk}" selected' in response.content.decode()


def test_the_inbox_queries_do_not_grow_with_rows(client, editor, django_assert_max_num_queries):
    alliances = [AllianceFactory() for _ in range(6)]
    for n, alliance in enumerate(alliances):
        author = make_secretary(alliance)
        for k in range(5):
            make_submission(alliance, author, title=f"第{n}-{k}篇 联盟年会", editor=editor)
    call = call_open(
        title="2026年第2期征稿", deadline=timezone.localdate() + timedelta(days=10), actor=editor
    )
    make_submission(alliances[0], make_secretary(alliances[0]), title="应征稿件", call=call)
    client.force_login(editor)
    client.get(reverse("submissions:inbox"))  # warm the session
    for params in (
        {},
        {"q": "联盟年会"},
        {"status": "submitted", "page": 2},
        {"o": "-alliance"},
        # The chosen alliance and call are found among the options the selects show.
        {"alliance": alliances[0].pk, "call": call.pk},
    ):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("submissions:inbox"), params)
        assert response.status_code == 200


def test_pagination_keeps_the_filters(client, editor, alliance_a, secretary_a):
    for k in range(27):
        make_submission(alliance_a, secretary_a, title=f"稿件{k:02d}", editor=editor)
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"), {"q": "稿件", "page": 2})
    assert len(titles(response)) == 2
    page = response.content.decode()
    assert "q=%E7%A8%BF%E4%BB%B6&page=1" in page  # links keep the search


def test_sort_labels_are_chinese(client, editor):
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"))
    labels = [label for _, label in response.context["filter"].form.fields["o"].choices]
    assert "投稿时间（从新到旧）" in labels and "投稿时间（从旧到新）" in labels
    body = response.content.decode()
    assert "descending" not in body and "联盟（倒序）" in body


def test_a_from_date_after_the_to_date_is_reported_beside_the_fields(client, editor, inbox_rows):
    client.force_login(editor)
    today = timezone.localdate()
    later = today + timedelta(days=5)
    response = client.get(
        reverse("submissions:inbox"), {"submitted_from": later, "submitted_to": today}
    )
    assert response.status_code == 200
    form = response.context["filter"].form
    assert "早于开始日期" in form.errors["submitted_to"][0]
    assert "晚于结束日期" in form.errors["submitted_from"][0]
    body = response.content.decode()
    assert "日期条件暂未生效" in body
    # What was typed stays in the fields; the impossible range does not empty the list.
    assert f'value="{later:%Y-%m-%d}"' in body and f'value="{today:%Y-%m-%d}"' in body
    assert len(titles(response)) == 3


def test_a_withdrawn_submission_is_out_of_the_inbox_and_its_counts(
    client, editor, inbox_rows, alliance_a, secretary_a
):
    from submissions.selectors import inbox_counts

    make_submission(alliance_a, secretary_a, status="withdrawn", title="撤回的稿件")
    client.force_login(editor)
    response = client.get(reverse("submissions:inbox"))
    assert "撤回的稿件" not in titles(response)
    assert response.context["total"] == 3
    assert "withdrawn" not in {value for value, _, _ in response.context["counts"]}
    assert "withdrawn" not in inbox_counts() and sum(inbox_counts().values()) == 3
    assert titles(client.get(reverse("submissions:inbox"), {"status": "withdrawn"})) != [
        "撤回的稿件"
    ]
