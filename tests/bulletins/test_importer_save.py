"""Saving parsed old issues into the archive (bulletins.importer.save) and the command."""

import io
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.importer import decode_bulletin, parse_bulletin
from bulletins.importer.resolve import ALLIANCE, attribution_kind
from bulletins.importer.save import import_save
from bulletins.models import (
    FreeBlock,
    Issue,
    IssueEvent,
    IssueSource,
    IssueStatus,
    IssueVersion,
    Item,
    Section,
)
from bulletins.selectors.documents import issue_document
from tests.factories import make_issue
from tests.seeds import SEEDS as SEED_FOLDER

from .test_importer import COUNTS, MD_SEED, PDF_OPTIONS, PDF_SEED, TEXT_SEED, TITLES

pytestmark = pytest.mark.django_db

SEEDS = {PDF_SEED: PDF_OPTIONS, MD_SEED: {}, TEXT_SEED: {}}
MODELS = (Issue, Section, Item, FreeBlock, IssueVersion, IssueEvent)


@pytest.fixture
def registry():
    call_command("load_alliances", verbosity=0)


def parse(path):
    return parse_bulletin(decode_bulletin(path.read_bytes()), **SEEDS[path])


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def save(path, editor, **kwargs):
    return import_save(parse(path), actor=editor, source_name=path.name, force=True, **kwargs)


@pytest.mark.parametrize("path", list(SEEDS), ids=lambda p: p.name[:3])
def test_each_seed_is_saved_as_a_signed_imported_issue(path, registry, editor):
    result = parse(path)
    issue, created = save(path, editor)
    assert created
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SIGNED
    assert issue.source == IssueSource.IMPORTED
    assert issue.imported_from == path.name
    masthead = result.masthead
    assert (issue.volume_year, issue.number, issue.cumulative_number, issue.issued_on) == (
        masthead.volume_year,
        masthead.number,
        masthead.cumulative_number,
        masthead.issued_on,
    )
    sections = list(issue.sections.order_by("position"))
    assert [s.title for s in sections] == list(TITLES[path.name])
    per_section = tuple(s.items.count() for s in sections)
    assert per_section == COUNTS[path.name][0]
    assert {s.title: [i.title for i in s.items.order_by("position")] for s in sections} == (
        TITLES[path.name]
    )
    # Every alliance's attribution is linked to the registry; the printed line is kept.
    items = list(issue.items.select_related("alliance"))
    alliance_items = [i for i in items if attribution_kind(i.attribution) == ALLIANCE]
    assert len(alliance_items) == COUNTS[path.name][2][1]
    assert all(i.alliance is not None for i in alliance_items)
    assert [i.attribution for i in items] == [i.attribution for i in result.items]
    assert issue.free_blocks.count() == len(result.free_blocks)
    assert issue.report_to == result.end_matter.report_to
    assert issue.send_to == result.end_matter.send_to
    assert (issue.printed_editor, issue.printed_reviewer, issue.printed_signer) == (
        result.end_matter.editor,
        result.end_matter.reviewer,
        result.end_matter.signer,
    )
    # The frozen version is the parsed document; the printed names come back with it.
    version = issue.signed_version
    assert version is not None and issue.versions.count() == 1
    doc = issue_document(issue)
    assert [i.title for i in doc.items] == [i.title for i in result.items]
    assert doc.end_matter.signer == result.end_matter.signer
    assert doc.end_matter.contact_lines == result.end_matter.contact_lines
    assert doc.watermark == ""
    assert IssueEvent.objects.get(issue=issue).action == "import"
    assert issue.get_source_display() == "导入往期"
    assert not issue.approvals.exists()  # nobody here approved it: no invented users


def test_the_pdf_seed_keeps_its_thanks_block(registry, editor):
    issue, _ = save(PDF_SEED, editor)
    block = issue.free_blocks.get()
    assert block.kind == "thanks" and block.title == "致谢"


def test_importing_twice_changes_nothing(registry, editor):
    for path in SEEDS:
        save(path, editor)
    before = counts()
    versions = list(IssueVersion.objects.values_list("pk", "sha256"))
    for path in SEEDS:
        _issue, created = save(path, editor)
        assert not created
    assert counts() == before
    assert list(IssueVersion.objects.values_list("pk", "sha256")) == versions


def test_reimport_with_changed_content_replaces_it_in_place(registry, editor):
    issue, _ = save(MD_SEED, editor)
    result = parse(MD_SEED)
    result.sections[0].items[0].title = "改过的标题"
    result.document.sections[0].items[0].title = "改过的标题"
    again, created = import_save(result, actor=editor, source_name="x.txt", force=True)
    assert again.pk == issue.pk and not created
    assert Issue.objects.count() == 1
    assert again.items.count() == 25
    assert again.items.filter(title="改过的标题").count() == 1
    assert again.versions.count() == 2 and again.signed_version.number == 2
    assert issue_document(again).items[0].title == "改过的标题"


def test_nothing_is_half_imported_when_something_fails_midway(registry, editor):
    before = counts()
    with (
        mock.patch("bulletins.importer.save.IssueVersion.objects.create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        save(MD_SEED, editor)
    assert counts() == before


def test_an_issue_made_in_the_system_is_not_overwritten(registry, editor):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    before = counts()
    with pytest.raises(ValidationError, match="是在本系统中编制的期次，不能用导入的内容覆盖"):
        save(MD_SEED, editor)
    assert counts() == before


def test_an_imported_issue_being_corrected_is_not_reimported(registry, editor):
    from bulletins.workflow import issue_transition

    issue, _ = save(MD_SEED, editor)
    issue_transition(issue_id=issue.pk, action="correct", actor=editor, comment="更正错字")
    with pytest.raises(ValidationError, match="正在更正（组版中），不能重新导入"):
        save(MD_SEED, editor)
    issue.refresh_from_db()
    assert issue.edition == 2 and issue.status == IssueStatus.DRAFT


def test_a_cumulative_number_taken_by_another_issue_is_refused(registry, editor):
    make_issue(editor, volume_year=2024, number=1, cumulative_number=66)
    with pytest.raises(ValidationError, match="总第66期已经是2024年第1期"):
        save(MD_SEED, editor)


def test_problems_refuse_saving_unless_forced(registry, editor):
    result = parse(MD_SEED)
    assert result.problems
    with pytest.raises(ValidationError) as error:
        import_save(result, actor=editor, source_name=MD_SEED.name)
    assert any("本期导读与正文的标题不一致" in m for m in error.value.messages)
    assert "确认无误后可强制导入（--force）。" in error.value.messages
    assert not Issue.objects.exists()


def test_an_unknown_alliance_refuses_saving_with_the_closest_names(registry, editor):
    result = parse(PDF_SEED)
    assert result.ok
    item = result.sections[2].items[0]
    item.attribution = "（封测技术产业联盟秘书处供稿）"
    with pytest.raises(ValidationError) as error:
        import_save(result, actor=editor, source_name=PDF_SEED.name)
    (message,) = [m for m in error.value.messages if "不在联盟名录中" in m]
    assert "（封测技术产业联盟秘书处供稿）" in message and "最接近的：" in message
    assert not Issue.objects.exists()
    issue, _ = import_save(result, actor=editor, source_name=PDF_SEED.name, force=True)
    saved = issue.items.get(title=item.title)
    assert saved.alliance is None and saved.attribution == "（封测技术产业联盟秘书处供稿）"


def test_without_masthead_it_cannot_be_forced(registry, editor):
    result = parse_bulletin(decode_bulletin(PDF_SEED.read_bytes()))
    with pytest.raises(ValidationError, match="无法确定期次"):
        import_save(result, actor=editor, source_name=PDF_SEED.name, force=True)


@pytest.mark.parametrize("who", ["reviewer", "signer", "secretary_a", "recipient"])
def test_only_editors_and_administrators_import(who, request, registry):
    with pytest.raises(PermissionDenied):
        save(MD_SEED, request.getfixturevalue(who))


def test_administrator_may_import(registry, administrator):
    issue, created = save(MD_SEED, administrator)
    assert created and issue.created_by == administrator


# --------------------------------------------------------------------------- the command


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_saves_and_says_what_it_did(registry, editor):
    out, _ = run(PDF_SEED, "--year=2022", "--number=6", "--cumulative=65", "--date=2023-01-16")
    assert "已保存：新建往期2022年第6期（总第65期）（3个栏目，31篇稿件），状态为已签发。" in out
    out, _ = run(PDF_SEED, "--year=2022", "--number=6", "--cumulative=65", "--date=2023-01-16")
    assert "未改动：往期2022年第6期（总第65期）已导入过，内容相同。" in out
    assert Issue.objects.count() == 1


def test_command_refuses_problems_without_force_and_exits_non_zero(registry, editor):
    with pytest.raises(CommandError, match="1 个文件无法导入"):
        run(MD_SEED)
    assert not Issue.objects.exists()
    out, _ = run(MD_SEED, "--force", f"--user={editor.username}")
    assert "已保存：新建往期2023年第1期（总第66期）（3个栏目，25篇稿件）" in out


def test_command_reports_each_failure_in_chinese(registry, editor):
    make_issue(editor, volume_year=2023, number=1, cumulative_number=66)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_bulletin", str(MD_SEED), "--force", stdout=StringIO(), stderr=err)
    assert "不能用导入的内容覆盖" in err.getvalue()


def test_command_dry_run_writes_nothing(registry, editor):
    run(MD_SEED, "--dry-run")
    assert not Issue.objects.exists()


def test_command_with_an_unknown_user(registry):
    with pytest.raises(CommandError, match="没有用户名为「nobody」的用户"):
        run(MD_SEED, "--user=nobody")


# ------------------------------------------------------------------------- the demo archive


def test_demo_archive_imports_the_seeds_idempotently(registry, editor, tmp_path):
    from bulletins.demo import BUNDLED_SEEDS, demo_archive

    editor.username = "editor"
    editor.save()
    demo_archive()
    assert sorted(Issue.objects.values_list("cumulative_number", flat=True)) == [62, 65, 66]
    before = counts()
    demo_archive(BUNDLED_SEEDS)  # the same folder, named: nothing is imported twice
    assert counts() == before
    assert BUNDLED_SEEDS == SEED_FOLDER  # the demo and the tests read the same copies


# ------------------------------------------------------------------------- the round trip


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_round_trip_through_the_pdf(registry, editor):
    from pypdf import PdfReader

    from bulletins.rendering import render_pdf

    issue, _ = save(MD_SEED, editor)
    rendered = render_pdf(issue_document(issue))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = normalise("".join(page.extract_text() for page in reader.pages))
    # Each title in the body, in order: past the 本期导读 (whose lines end in leader dots).
    position = text.index("本期导读")
    for item in issue_document(issue).items:
        title = normalise(item.title)
        found = re.compile(re.escape(title) + r"(?!\.)").search(text, position)
        assert found is not None, item.title
        position = found.end()
    assert text.rindex("签发：" + issue.printed_signer) > position  # the end matter, last


# --- The importer's moves of the workflow ---------------------------------------------------


def test_the_import_is_one_event_of_the_workflow_and_e_mails_nobody(registry, editor, reviewer):
    from django.core import mail

    issue, _ = save(MD_SEED, editor)
    event = issue.events.get()
    assert (event.action, event.from_status, event.to_status) == ("import", "draft", "signed")
    assert event.version == issue.signed_version and event.comment == f"导入文件：{MD_SEED.name}"
    assert mail.outbox == []


def test_the_importers_moves_cannot_be_made_from_the_issue_page(registry, client, editor):
    """An editor may import, but not sign a corrected issue by posting the importer's move."""
    from django.urls import reverse

    from bulletins.workflow import available_actions, issue_transition

    issue, _ = save(MD_SEED, editor)
    signed = issue.signed_version
    assert not [a for a, _ in available_actions(issue, editor) if a in ("import", "reimport")]
    client.force_login(editor)
    posted = reverse("bulletins:transition", args=[issue.pk])
    response = client.post(posted, {"action": "reimport", "version": signed.pk}, follow=True)
    assert "不能重新导入" in response.content.decode()
    assert issue.events.count() == 1

    issue_transition(issue_id=issue.pk, action="correct", actor=editor, comment="更正错字")
    response = client.post(posted, {"action": "import", "version": signed.pk}, follow=True)
    assert "不能导入往期" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and issue.edition == 2
    # Made by code, the move still refuses an issue that has a history.
    from bulletins.workflow import InvalidTransition

    with pytest.raises(InvalidTransition, match="已有处理记录"):
        issue_transition(issue_id=issue.pk, action="import", actor=editor, version_id=signed.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_the_import_move_refuses_an_issue_made_in_the_system(editor):
    from bulletins.workflow import InvalidTransition, issue_transition

    issue = make_issue(editor)
    with pytest.raises(InvalidTransition, match="是在本系统中编制的期次，不能作为往期导入"):
        issue_transition(issue_id=issue.pk, action="import", actor=editor, version_id=None)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
