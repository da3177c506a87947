"""Assembling an issue: numbering, sections, items from submissions and from editors,
ordering, attribution lines, the generated TOC, and the IssueDocument it converts to."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from bulletins import services
from bulletins.document import (
    DEFAULT_SECTIONS,
    NETWORK_ATTRIBUTION,
    SECTION_ALLIANCES,
    SECTION_NETWORK,
    SECTION_POLICY,
    IssueDocument,
)
from bulletins.models import Issue, Item, ItemKind
from bulletins.selectors.documents import issue_document
from tests.factories import make_accepted_submission, make_issue, make_user

pytestmark = pytest.mark.django_db

POLICY_SOURCE = "（联盟协发网秘书处和联盟试点工作联络组摘述。信息来源：新华社）"


@pytest.fixture
def issue(editor):
    return make_issue(editor)


@pytest.fixture
def accepted(alliance_a, secretary_a, editor):
    return make_accepted_submission(
        alliance_a, secretary_a, editor, title="甲测试联盟召开第九次成员大会"
    )


def section(issue, title):
    return issue.sections.get(title=title)


def titles(issue, title):
    return list(section(issue, title).items.order_by("position").values_list("title", flat=True))


def policy_item(issue, editor, title="科技部召开会议", **kwargs):
    return services.item_create(
        issue_id=issue.pk,
        section_id=section(issue, SECTION_POLICY).pk,
        title=title,
        body_html=f"<p>{title}的正文。</p>",
        attribution=POLICY_SOURCE,
        actor=editor,
        **kwargs,
    )


# --- Numbering -------------------------------------------------------------------------


def test_first_issue_takes_any_numbers_and_gets_the_fixed_sections_in_order(editor):
    issue = make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    assert issue.issue_line == "2023年第1期（总第66期）"
    assert list(issue.sections.order_by("position").values_list("title", flat=True)) == list(
        DEFAULT_SECTIONS
    )
    assert issue.events.get().action == "create"
    assert issue.report_to.startswith("科技部、发展改革委")


def test_next_numbers_are_proposed_from_the_last_issue(editor):
    make_issue(editor, volume_year=2023, number=5, cumulative_number=70)
    same_year = services.issue_next_numbers(on=date(2023, 11, 1))
    assert (same_year.volume_year, same_year.number, same_year.cumulative_number) == (2023, 6, 71)
    new_year = services.issue_next_numbers(on=date(2024, 3, 1))
    assert (new_year.volume_year, new_year.number, new_year.cumulative_number) == (2024, 1, 71)


def test_volume_year_may_differ_from_the_publication_year(editor):
    make_issue(editor, volume_year=2023, number=5, cumulative_number=70)
    sixth = make_issue(
        editor, volume_year=2023, number=6, cumulative_number=71, issued_on=date(2024, 1, 10)
    )
    assert sixth.issue_line == "2023年第6期（总第71期）"
    assert sixth.issued_on.year == 2024
    seventh = make_issue(editor, volume_year=2024, number=1, cumulative_number=72)
    assert seventh.number == 1


@pytest.mark.parametrize(
    ("volume_year", "number", "cumulative", "message"),
    [
        (2023, 3, 69, "总期号应为 68"),  # cumulative skips
        (2023, 4, 67, "已经存在"),  # cumulative repeats
        (2023, 2, 68, "已经存在"),  # number already used
        (2023, 4, 68, "应为2023年第3期"),  # number skips
        (2024, 2, 68, "2024年第1期"),  # a new year must start at 1
        (2025, 1, 68, "应接续上一期"),  # a year skipped
    ],
)
def test_numbers_that_do_not_follow_are_refused_with_a_clear_message(
    editor, volume_year, number, cumulative, message
):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    make_issue(editor, volume_year=2023, number=2, cumulative_number=67)
    with pytest.raises(ValidationError) as caught:
        make_issue(editor, volume_year=volume_year, number=number, cumulative_number=cumulative)
    assert message in " ".join(caught.value.messages)
    assert Issue.objects.count() == 2


def test_an_editor_may_override_the_sequence_only_with_a_reason(editor):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    with pytest.raises(ValidationError, match="请填写理由"):
        services.issue_create(
            volume_year=2023,
            number=3,
            cumulative_number=68,
            issued_on=date(2023, 6, 1),
            override_numbering=True,
            actor=editor,
        )
    issue = services.issue_create(
        volume_year=2023,
        number=3,
        cumulative_number=68,
        issued_on=date(2023, 6, 1),
        override_numbering=True,
        numbering_note="第2期为内部增刊，不编入本系统",
        actor=editor,
    )
    assert issue.numbering_note == "第2期为内部增刊，不编入本系统"
    assert "第2期为内部增刊" in issue.events.get(action="create").comment


def test_import_mode_creates_arbitrary_past_numbers_but_never_a_used_one(editor):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    old = services.issue_create(
        volume_year=2019,
        number=3,
        cumulative_number=45,
        issued_on=date(2019, 6, 1),
        import_mode=True,
        actor=editor,
    )
    assert old.issue_line == "2019年第3期（总第45期）"
    with pytest.raises(ValidationError, match="总第45期已经存在"):
        services.issue_create(
            volume_year=2018,
            number=9,
            cumulative_number=45,
            issued_on=date(2018, 6, 1),
            import_mode=True,
            actor=editor,
        )


def test_only_an_editor_creates_issues(reviewer, signer, secretary_a):
    for user in (reviewer, signer, secretary_a):
        with pytest.raises(PermissionDenied):
            make_issue(user)
    assert not Issue.objects.exists()


# --- Items ------------------------------------------------------------------------------


def test_accepted_submission_is_placed_as_an_editable_copy_with_the_registry_attribution(
    issue, accepted, editor, alliance_a
):
    item = services.item_place_submission(
        issue_id=issue.pk, submission_id=accepted.pk, actor=editor
    )
    assert item.kind == ItemKind.SUBMISSION
    assert item.section.title == SECTION_ALLIANCES  # the section the submission suggests
    services.item_update(
        item_id=item.pk,
        title="甲测试联盟召开成员大会",
        body_html="<p>编辑改过的正文。</p><script>alert(1)</script>",
        actor=editor,
    )
    accepted.refresh_from_db()
    assert accepted.title == "甲测试联盟召开第九次成员大会"  # the original is untouched
    assert "编辑改过" not in accepted.body_html
    doc = issue_document(issue)
    printed = doc.items[0]
    assert printed.title == "甲测试联盟召开成员大会"
    assert "<script>" not in printed.body_html
    assert printed.attribution == "（甲测试产业技术创新战略联盟秘书处供稿）"
    assert printed.attribution == alliance_a.attribution


def test_attribution_can_be_overridden_per_item(issue, accepted, editor):
    item = services.item_place_submission(
        issue_id=issue.pk, submission_id=accepted.pk, actor=editor
    )
    services.item_update(
        item_id=item.pk,
        title=item.title,
        body_html=item.body_html,
        attribution="（甲测试联盟和乙测试联盟秘书处联合供稿）",
        actor=editor,
    )
    assert issue_document(issue).items[0].attribution == "（甲测试联盟和乙测试联盟秘书处联合供稿）"


def test_editorial_items_carry_their_source_line_and_network_items_the_network_line(issue, editor):
    policy_item(issue, editor)
    services.item_create(
        issue_id=issue.pk,
        section_id=section(issue, SECTION_NETWORK).pk,
        title="联盟协发网理事会召开",
        body_html="<p>会议召开。</p>",
        actor=editor,
    )
    policy, network = issue_document(issue).items
    assert policy.attribution == POLICY_SOURCE
    assert network.attribution == NETWORK_ATTRIBUTION


def test_the_same_submission_cannot_be_placed_twice(issue, accepted, editor):
    services.item_place_submission(issue_id=issue.pk, submission_id=accepted.pk, actor=editor)
    with pytest.raises(ValidationError, match="已编入本期，不能重复编入"):
        services.item_place_submission(issue_id=issue.pk, submission_id=accepted.pk, actor=editor)
    other = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    with pytest.raises(ValidationError, match="已编入2023年第2期"):
        services.item_place_submission(issue_id=other.pk, submission_id=accepted.pk, actor=editor)
    assert Item.objects.filter(submission=accepted).count() == 1


def test_only_accepted_submissions_can_be_placed(issue, alliance_a, secretary_a, editor):
    from submissions.services import DraftInput, draft_save
    from submissions.workflow import submission_transition

    submission, _ = draft_save(
        actor=secretary_a,
        alliance=alliance_a,
        data=DraftInput(title="未采用的稿件", body_html="<p>正文</p>"),
    )
    submission_transition(submission_id=submission.pk, action="submit", actor=secretary_a)
    with pytest.raises(ValidationError, match="只有已采用的投稿可以编入期次"):
        services.item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
    assert not issue.items.exists()


def test_removing_an_item_frees_its_submission(issue, accepted, editor):
    item = services.item_place_submission(
        issue_id=issue.pk, submission_id=accepted.pk, actor=editor
    )
    services.item_remove(item_id=item.pk, actor=editor)
    other = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    moved = services.item_place_submission(
        issue_id=other.pk, submission_id=accepted.pk, actor=editor
    )
    assert moved.issue_id == other.pk


def test_empty_title_or_body_is_refused_and_nothing_changes(issue, editor):
    policy = section(issue, SECTION_POLICY)
    with pytest.raises(ValidationError, match="请填写稿件标题"):
        services.item_create(
            issue_id=issue.pk, section_id=policy.pk, title="  ", body_html="<p>x</p>", actor=editor
        )
    with pytest.raises(ValidationError, match="请填写稿件正文"):
        services.item_create(
            issue_id=issue.pk,
            section_id=policy.pk,
            title="标题",
            body_html="<p> </p><script>x</script>",
            actor=editor,
        )
    assert not issue.items.exists()


def test_only_editors_change_content(issue, reviewer, signer, editor):
    for user in (reviewer, signer):
        with pytest.raises(PermissionDenied):
            policy_item(issue, user)
        with pytest.raises(PermissionDenied):
            services.section_add(issue_id=issue.pk, title="专题", actor=user)
    assert not issue.items.exists()


# --- Ordering -----------------------------------------------------------------------------


def test_items_move_up_and_down_and_across_section_boundaries(issue, editor):
    a = policy_item(issue, editor, "甲")
    b = policy_item(issue, editor, "乙")
    c = policy_item(issue, editor, "丙")
    services.item_move(item_id=c.pk, direction="up", actor=editor)
    assert titles(issue, SECTION_POLICY) == ["甲", "丙", "乙"]
    services.item_move(item_id=a.pk, direction="up", actor=editor)  # already first: stays
    assert titles(issue, SECTION_POLICY) == ["甲", "丙", "乙"]
    services.item_move(item_id=b.pk, direction="down", actor=editor)  # last: to next section
    assert titles(issue, SECTION_POLICY) == ["甲", "丙"]
    assert titles(issue, SECTION_NETWORK) == ["乙"]
    services.item_move(item_id=b.pk, direction="up", actor=editor)  # first: back, at the end
    assert titles(issue, SECTION_POLICY) == ["甲", "丙", "乙"]
    positions = list(
        section(issue, SECTION_POLICY).items.order_by("position").values_list("position", flat=True)
    )
    assert positions == [0, 1, 2]


def test_drag_and_drop_puts_an_item_at_an_index_of_any_section(issue, editor):
    a = policy_item(issue, editor, "甲")
    policy_item(issue, editor, "乙")
    services.item_move_to(
        item_id=a.pk, section_id=section(issue, SECTION_ALLIANCES).pk, index=0, actor=editor
    )
    assert titles(issue, SECTION_ALLIANCES) == ["甲"]
    assert titles(issue, SECTION_POLICY) == ["乙"]
    services.item_move_to(
        item_id=a.pk, section_id=section(issue, SECTION_POLICY).pk, index=0, actor=editor
    )
    assert titles(issue, SECTION_POLICY) == ["甲", "乙"]
    services.item_move_to(
        item_id=a.pk, section_id=section(issue, SECTION_POLICY).pk, index=99, actor=editor
    )
    assert titles(issue, SECTION_POLICY) == ["乙", "甲"]


def test_an_item_cannot_be_moved_into_another_issues_section(issue, editor):
    a = policy_item(issue, editor, "甲")
    other = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    with pytest.raises(ValidationError, match="请选择本期的一个栏目"):
        services.item_move_to(
            item_id=a.pk, section_id=section(other, SECTION_POLICY).pk, index=0, actor=editor
        )
    a.refresh_from_db()
    assert a.section.issue_id == issue.pk


# --- Sections and free blocks ---------------------------------------------------------------


def test_sections_are_editable_per_issue(issue, editor):
    extra = services.section_add(issue_id=issue.pk, title="专题报道", actor=editor)
    services.section_move(section_id=extra.pk, direction="up", actor=editor)
    order = list(issue.sections.order_by("position").values_list("title", flat=True))
    assert order == [SECTION_POLICY, SECTION_NETWORK, "专题报道", SECTION_ALLIANCES]
    with pytest.raises(ValidationError, match="本期已有栏目"):
        services.section_add(issue_id=issue.pk, title=SECTION_POLICY, actor=editor)
    services.section_rename(section_id=extra.pk, title="专题", actor=editor)
    services.section_remove(section_id=extra.pk, actor=editor)
    assert issue.sections.count() == 3


def test_a_section_with_items_cannot_be_removed(issue, editor):
    policy_item(issue, editor)
    with pytest.raises(ValidationError, match="还有 1 篇稿件"):
        services.section_remove(section_id=section(issue, SECTION_POLICY).pk, actor=editor)
    assert issue.sections.count() == 3


def test_free_blocks_print_after_the_sections(issue, editor):
    services.block_add(
        issue_id=issue.pk,
        kind="thanks",
        title="致谢",
        body_html="<p>值此新春佳节之际，向各联盟致以节日的问候！</p>",
        actor=editor,
    )
    services.block_add(
        issue_id=issue.pk,
        kind="table",
        title="A级活跃度联盟名单",
        body_html="<table><tr><th>序号</th><th>联盟名称</th><th>批次</th></tr>"
        "<tr><td>1</td><td>化纤联盟</td><td>102</td></tr></table>",
        actor=editor,
    )
    doc = issue_document(issue)
    assert [b.title for b in doc.free_blocks] == ["致谢", "A级活跃度联盟名单"]
    assert "<table>" in doc.free_blocks[1].body_html


# --- The document ----------------------------------------------------------------------------


def test_issue_document_matches_the_contract_and_the_toc_follows_the_body(issue, accepted, editor):
    policy_item(issue, editor, "科技部召开会议", toc_title="科技部会议")
    services.item_place_submission(issue_id=issue.pk, submission_id=accepted.pk, actor=editor)
    doc = issue_document(issue)
    assert isinstance(doc, IssueDocument)
    assert doc.masthead.issue_line == "2023年第2期（总第67期）"
    assert doc.masthead.date_line == "2023年5月20日"
    assert [s.title for s in doc.sections] == list(DEFAULT_SECTIONS)
    assert [i.toc_label for i in doc.items] == ["科技部会议", "甲测试联盟召开第九次成员大会"]
    anchors = [i.anchor for i in doc.items] + [s.anchor for s in doc.sections]
    assert len(set(anchors)) == len(anchors)
    assert doc.watermark == "送审稿"
    assert doc.end_matter.send_to.startswith("各试点产业技术创新战略联盟")
    assert doc.end_matter.contact_lines


def test_content_hash_changes_with_every_content_change_and_only_then(issue, editor):
    first = Issue.objects.get(pk=issue.pk).content_sha256
    assert len(first) == 64
    item = policy_item(issue, editor)
    second = Issue.objects.get(pk=issue.pk).content_sha256
    assert second != first
    services.item_update(
        item_id=item.pk, title=item.title, body_html=item.body_html, attribution=POLICY_SOURCE,
        actor=editor,
    )  # fmt: skip
    assert Issue.objects.get(pk=issue.pk).content_sha256 == second


def test_editing_makes_the_user_an_editor_of_the_issue(issue, editor):
    other = make_user(Role.EDITOR, full_name="王编辑")
    policy_item(issue, other)
    assert set(issue.editors.all()) == {editor, other}


def test_only_the_newest_draft_without_versions_can_be_deleted(editor):
    first = make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    second = make_issue(editor, volume_year=2023, number=2, cumulative_number=67)
    with pytest.raises(ValidationError, match="期号出现空缺"):
        services.issue_delete(issue_id=first.pk, actor=editor)
    services.issue_preview_request(issue_id=second.pk, actor=editor)
    with pytest.raises(ValidationError, match="版本记录"):
        services.issue_delete(issue_id=second.pk, actor=editor)
    third = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    services.issue_delete(issue_id=third.pk, actor=editor)
    assert list(Issue.objects.values_list("cumulative_number", flat=True)) == [67, 66]
    assert services.issue_next_numbers(on=date(2023, 9, 1)).cumulative_number == 68
