"""Save a parsed old issue into the archive: a signed issue with its frozen version.

``import_save`` takes a :class:`~bulletins.importer.parse.ParseResult` and writes, in one
transaction, an :class:`~bulletins.models.Issue` marked ``source=imported`` with its
sections, items (linked to the registry's alliance when the attribution names one; the
printed attribution line is kept as printed), free blocks (致谢), 报/送, the printed names
(本期编辑/审核/签发, stored as text: those people are no users here), and one frozen
:class:`~bulletins.models.IssueVersion` whose document is the parsed document. It was signed
on paper, so it skips the approval chain: the importer's own moves of ``bulletins.workflow``
(``import`` for a new issue, ``reimport`` for one imported before) make it 已签发 with that
version and write the event; ``bulletins.workflow`` stays the one writer of ``Issue.status``.

Importing the same issue (volume year + number) again replaces an imported issue's content
in place (a new version when the content differs; nothing at all when it is the same), and
refuses to touch an issue that was made in the system.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.permissions import can
from core.sanitise import sanitise_html

from ..models import (
    FreeBlock,
    FreeBlockKind,
    Issue,
    IssueSource,
    IssueStatus,
    IssueVersion,
    Item,
    ItemKind,
    Section,
)
from ..selectors.documents import working_document
from ..snapshot import content_sha256
from ..workflow import IssueAction, issue_transition
from .parse import ParseResult
from .resolve import AttributionMatch, resolve_attributions


@dataclass
class ImportCheck:
    """What stands between a parse result and the archive, in Chinese."""

    blocking: list[str] = field(default_factory=list)  # refuse even with force
    forcible: list[str] = field(default_factory=list)  # refuse unless force
    matches: list[AttributionMatch] = field(default_factory=list)

    def refusal(self, *, force: bool) -> list[str]:
        return self.blocking + ([] if force else self.forcible)


def unknown_alliance_message(match: AttributionMatch) -> str:
    closest = "、".join(f"{name}（{alliance.full_name}）" for name, alliance in match.suggestions)
    return f"稿件「{match.title}」的供稿单位{match.attribution}不在联盟名录中；" + (
        f"最接近的：{closest}。" if closest else "也没有相近的名称。"
    )


def import_check(result: ParseResult) -> ImportCheck:
    """The reasons the result cannot be saved: no masthead (always), problems and unknown
    alliances (unless forced)."""
    check = ImportCheck()
    if result.document is None:
        check.blocking.append(
            "无法确定期次（卷年、期号、总期号、印发日期）：请补充报头信息后再导入。"
        )
    if not result.items:
        check.blocking.append("没有读到任何稿件，无法导入。")
    check.forcible.extend(result.problems)
    check.matches = resolve_attributions(result)
    check.forcible.extend(unknown_alliance_message(m) for m in check.matches if m.unknown)
    return check


@dataclass(frozen=True)
class ImportOutcome:
    issue: Issue
    created: bool
    changed: bool  # False when the same content was already imported


def import_save(
    result: ParseResult, *, actor, source_name: str, force: bool = False
) -> tuple[Issue, bool]:
    """Save ``result`` as a signed, imported issue; ``(issue, created)``. Raises
    ValidationError (Chinese, every reason listed) and PermissionDenied; on any error
    nothing is written."""
    outcome = import_save_outcome(result, actor=actor, source_name=source_name, force=force)
    return outcome.issue, outcome.created


def import_save_outcome(
    result: ParseResult, *, actor, source_name: str, force: bool = False
) -> ImportOutcome:
    if not can(actor, "issue.import"):
        raise PermissionDenied("只有编辑和系统管理员可以导入往期简报。")
    check = import_check(result)
    refusal = check.refusal(force=force)
    if refusal:
        if not check.blocking:
            refusal = [*refusal, "确认无误后可强制导入（--force）。"]
        raise ValidationError(refusal)
    doc = result.document
    masthead = doc.masthead
    sha, data = content_sha256(doc)
    end = result.end_matter
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update()
            .filter(volume_year=masthead.volume_year, number=masthead.number)
            .first()
        )
        if issue is not None and issue.source != IssueSource.IMPORTED:
            raise ValidationError(
                f"{issue.issue_line}是在本系统中编制的期次，不能用导入的内容覆盖。"
            )
        if issue is not None and issue.status != IssueStatus.SIGNED:
            raise ValidationError(
                f"{issue.issue_line}正在更正（{issue.get_status_display()}），"
                "不能重新导入：请先完成或放弃更正。"
            )
        other = (
            Issue.objects.filter(cumulative_number=masthead.cumulative_number)
            .exclude(pk=issue.pk if issue else None)
            .first()
        )
        if other is not None:
            raise ValidationError(
                f"总第{masthead.cumulative_number}期已经是{other.issue_line}，"
                f"不能再导入为{masthead.issue_line}。"
            )
        fields = {
            "cumulative_number": masthead.cumulative_number,
            "issued_on": masthead.issued_on,
            "issuer": masthead.issuer[:60],
            "report_to": end.report_to,
            "send_to": end.send_to,
            "imported_from": source_name[:200],
            "printed_editor": end.editor[:60],
            "printed_reviewer": end.reviewer[:60],
            "printed_signer": end.signer[:60],
        }
        created = issue is None
        if created:
            issue = Issue(  # a draft until the import move below signs it
                volume_year=masthead.volume_year,
                number=masthead.number,
                source=IssueSource.IMPORTED,
                numbering_note="导入往期",
                created_by=actor,
                **fields,
            )
            issue.full_clean(exclude=["created_by", "signed_version"], validate_unique=False)
            issue.save()
        elif (
            issue.signed_version is not None
            and issue.signed_version.sha256 == sha
            and all(getattr(issue, name) == value for name, value in fields.items())
        ):
            return ImportOutcome(issue, created=False, changed=False)
        else:
            for name, value in fields.items():
                setattr(issue, name, value)
            issue.items.all().delete()
            issue.sections.all().delete()
            issue.free_blocks.all().delete()
        _write_content(issue, result, check.matches, actor)
        version = issue.versions.filter(sha256=sha).first()
        if version is None:
            number = (issue.versions.aggregate(m=Max("number"))["m"] or 0) + 1
            version = IssueVersion.objects.create(
                issue=issue,
                number=number,
                edition=issue.edition,
                sha256=sha,
                document=data,
                created_by=actor,
            )
        issue.content_sha256 = _working_sha(issue)
        issue.save()
        issue_transition(
            issue_id=issue.pk,
            action=IssueAction.IMPORT if created else IssueAction.REIMPORT,
            actor=actor,
            version_id=version.pk,
            comment=f"导入文件：{source_name}"[:2000],
        )
        issue.refresh_from_db()
    return ImportOutcome(issue, created=created, changed=True)


def _write_content(issue: Issue, result: ParseResult, matches, actor) -> None:
    by_item = iter(matches)
    for s_position, section_doc in enumerate(result.sections):
        section = Section.objects.create(
            issue=issue, title=section_doc.title[:60], position=s_position
        )
        items = []
        for i_position, item_doc in enumerate(section_doc.items):
            match = next(by_item) if item_doc.attribution else None
            items.append(
                Item(
                    issue=issue,
                    section=section,
                    position=i_position,
                    kind=ItemKind.EDITORIAL,
                    alliance=match.alliance if match is not None else None,
                    title=item_doc.title[:300],
                    toc_title=item_doc.toc_title[:120],
                    body_html=sanitise_html(item_doc.body_html),
                    attribution=item_doc.attribution[:200],
                    created_by=actor,
                )
            )
        Item.objects.bulk_create(items)
    FreeBlock.objects.bulk_create(
        FreeBlock(
            issue=issue,
            kind=FreeBlockKind.THANKS if "致谢" in block.title else FreeBlockKind.NOTE,
            title=block.title[:120],
            body_html=sanitise_html(block.body_html),
            position=position,
        )
        for position, block in enumerate(result.free_blocks)
    )


def _working_sha(issue: Issue) -> str:
    sha, _data = content_sha256(working_document(issue))
    return sha
