"""Hand-built activity data for the statistics and rating tests.

The moments are set by patching ``django.utils.timezone.now`` while the services and the
workflow run, so every row (the submit event included) is written as the application
writes it, only at another time.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.factories import AllianceFactory, make_issue, make_submission

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@contextmanager
def at(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def imported_issue_text(*, year, number, cumulative, issued_on: date, items) -> str:
    """An old issue in the plain-text shape, one alliance item per (title, full name)."""
    toc = "\n".join(f"- {title}" for title, _ in items)
    body = "\n\n".join(
        f"{title}\n\n近日，{title}，成员单位代表参加。\n\n（{full_name}秘书处供稿）"
        for title, full_name in items
    )
    return f"""产业技术创新战略联盟试点工作

简 报

{year}年第{number}期（总第{cumulative}期）

联盟试点工作联络组办公室

{issued_on.year}年{issued_on.month}月{issued_on.day}日

本期导读

试点联盟及协发网网员单位动态

{toc}

➤ 试点联盟及协发网网员单位动态

{body}

报：科技部相关司局

送：各试点产业技术创新战略联盟

本期编辑：杨丹泽        审核：尚辉良        签发：李新男
"""


def import_issue(editor, **kwargs):
    from bulletins.importer import parse_bulletin
    from bulletins.importer.save import import_save

    result = parse_bulletin(imported_issue_text(**kwargs))
    issue, _ = import_save(result, actor=editor, source_name="test.txt", force=True)
    return issue


@dataclass
class Activity:
    a: object
    b: object
    c: object
    retired: object


@pytest.fixture
def activity(
    alliance_a, alliance_b, secretary_a, secretary_b, editor, reviewer, signer
) -> Activity:
    """2023: A received 3 (1 accepted), 2 items (imported + signed); B received 1 (accepted),
    1 item (imported; its item in a draft issue does not count); C nothing.
    2024: A received 1 (published) at 00:00 on 1 January, 0 items; B 1 item (imported,
    dated 1 January); C nothing. A retired (not 在册) alliance with nothing is left out."""
    from alliances.services import alliance_update
    from bulletins import services as issue_services
    from bulletins.models import IssueStatus
    from submissions.workflow import submission_transition
    from tests.bulletins.test_workflow import bring_to

    c = AllianceFactory(full_name="丙测试产业技术创新战略联盟", short_name="丙测试联盟", code="902")
    retired = AllianceFactory(full_name="丁测试产业技术创新战略联盟", short_name="丁测试联盟")
    alliance_update(alliance=retired, is_active=False)

    with at(shanghai(2023, 3, 1, 10)):
        make_submission(alliance_a, secretary_a, status="accepted", editor=editor, title="甲一")
    with at(shanghai(2023, 6, 15, 9)):
        returned = make_submission(
            alliance_a, secretary_a, status="revision_requested", editor=editor, title="甲二"
        )
    with at(shanghai(2024, 2, 1, 9)):  # resubmitted next year: still received in 2023
        submission_transition(submission_id=returned.pk, action="resubmit", actor=secretary_a)
    with at(shanghai(2023, 12, 31, 23, 59, 59)):
        make_submission(alliance_a, secretary_a, status="declined", editor=editor, title="甲三")
    with at(shanghai(2024, 1, 1, 0, 0, 0)):
        make_submission(alliance_a, secretary_a, status="published", editor=editor, title="甲四")
    with at(shanghai(2023, 8, 1, 9)):
        make_submission(alliance_a, secretary_a, status="draft", title="甲草稿")
    with at(shanghai(2023, 7, 1, 9)):
        make_submission(alliance_b, secretary_b, status="accepted", editor=editor, title="乙一")

    import_issue(
        editor,
        year=2023,
        number=2,
        cumulative=67,
        issued_on=date(2023, 5, 20),
        items=[
            ("甲测试联盟召开理事会", alliance_a.full_name),
            ("乙测试联盟发布团体标准", alliance_b.full_name),
        ],
    )
    signed = make_issue(
        editor, volume_year=2023, number=3, cumulative_number=68, issued_on=date(2023, 12, 31)
    )
    for section in signed.sections.all():
        issue_services.item_create(
            issue_id=signed.pk,
            section_id=section.pk,
            title=f"{section.title}的稿件",
            body_html="<p>正文。</p>",
            actor=editor,
            alliance=alliance_a if section.position == signed.sections.count() - 1 else None,
        )
    bring_to(IssueStatus.SIGNED, signed, editor, reviewer, signer)
    draft = make_issue(
        editor, volume_year=2023, number=4, cumulative_number=69, issued_on=date(2023, 11, 1)
    )
    issue_services.item_create(
        issue_id=draft.pk,
        section_id=draft.sections.last().pk,
        title="乙测试联盟未刊发的稿件",
        body_html="<p>正文。</p>",
        actor=editor,
        alliance=alliance_b,
    )
    import_issue(
        editor,
        year=2024,
        number=1,
        cumulative=70,
        issued_on=date(2024, 1, 1),
        items=[("乙测试联盟召开年会", alliance_b.full_name)],
    )
    return Activity(a=alliance_a, b=alliance_b, c=c, retired=retired)
