"""Every write to an issue's content: creating it with its numbers, its sections, items and
free blocks, the frozen versions, comments, and the preview figures from the renderer.

The status is not written here but in ``bulletins.workflow.issue_transition``. Every content
write locks the issue row and refuses unless the issue is in an editable status (组版中 or
退回修改); after the change it recomputes the content hash and voids the approvals that no
longer match (``_content_changed``). Errors are ``ValidationError`` with a Chinese message;
nothing is written when one is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape

from accounts.permissions import can
from core.text import has_content, visible_text
from submissions.models import Submission
from submissions.services import printed_version_record
from submissions.workflow import submission_transition

from . import bodies
from .document import DEFAULT_SECTIONS, ISSUER
from .models import (
    EDITABLE_STATUSES,
    Approval,
    Comment,
    FreeBlock,
    FreeBlockKind,
    Issue,
    IssueEvent,
    IssueStatus,
    IssueVersion,
    Item,
    ItemKind,
    Section,
)
from .renditions import rendition_queue
from .selectors import working_document
from .snapshot import content_sha256, document_from_data
from .workflow import current_version

MAX_ITEMS_PER_ISSUE = 200


# --- HTML --------------------------------------------------------------------------------


def html_from_text(text: str) -> str:
    """Plain text with blank-line-separated paragraphs → ``<p>`` paragraphs."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def _required(
    value: str,
    message: str,
    *,
    max_length: int | None = None,
    label: str = "",
    multiline: bool = False,
) -> str:
    """``value`` without invisible characters (``visible_text``); raises ValidationError
    with ``message`` when nothing visible is left, or when it is longer than
    ``max_length`` (refused, not cut: what was typed is not silently changed)."""
    value = visible_text(value, multiline=multiline)
    if not value:
        raise ValidationError(message)
    if max_length is not None and len(value) > max_length:
        raise ValidationError(f"{label}不能超过 {max_length} 个字符（现有 {len(value)} 个）。")
    return value


# --- Numbering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextNumbers:
    volume_year: int | None
    number: int | None
    cumulative_number: int | None
    last: Issue | None

    @property
    def issue_line(self) -> str:
        if self.volume_year is None:
            return ""
        return f"{self.volume_year}年第{self.number}期（总第{self.cumulative_number}期）"


def _last_issue() -> Issue | None:
    return Issue.objects.order_by("-cumulative_number").first()


def issue_next_numbers(*, on: date | None = None) -> NextNumbers:
    """The numbers proposed for a new issue, from the last one: cumulative + 1; the same
    volume year with number + 1, or number 1 of the next year when the proposal date is
    already in a later year. With no issue yet, nothing can be proposed."""
    on = on or timezone.localdate()
    last = _last_issue()
    if last is None:
        return NextNumbers(None, None, None, None)
    if on.year > last.volume_year:
        return NextNumbers(last.volume_year + 1, 1, last.cumulative_number + 1, last)
    return NextNumbers(last.volume_year, last.number + 1, last.cumulative_number + 1, last)


def numbering_problem(*, volume_year: int, number: int, cumulative_number: int) -> str:
    """A Chinese message when the numbers do not follow the last issue, else ""."""
    last = _last_issue()
    if last is None:
        return ""
    expected_cumulative = last.cumulative_number + 1
    if cumulative_number != expected_cumulative:
        return (
            f"总期号应为 {expected_cumulative}：上一期是{last.issue_line}，总期号不能跳号或重复。"
        )
    if volume_year == last.volume_year and number == last.number + 1:
        return ""
    if volume_year == last.volume_year + 1 and number == 1:
        return ""
    return (
        f"期号应接续上一期{last.issue_line}：应为{last.volume_year}年第{last.number + 1}期，"
        f"或新的一年的{last.volume_year + 1}年第1期。"
    )


def _defaults_from_last(last: Issue | None) -> dict:
    if last is not None:
        return {"report_to": last.report_to, "send_to": last.send_to, "issuer": last.issuer}
    return {
        "report_to": settings.CITISA_BULLETIN_REPORT_TO,
        "send_to": settings.CITISA_BULLETIN_SEND_TO,
        "issuer": ISSUER,
    }


def issue_create(
    *,
    volume_year: int,
    number: int,
    cumulative_number: int,
    issued_on: date,
    actor,
    numbering_note: str = "",
    override_numbering: bool = False,
    import_mode: bool = False,
    sections=DEFAULT_SECTIONS,
) -> Issue:
    """Create a draft issue with the default sections (in their fixed order).

    The numbers must follow the last issue (``numbering_problem``) unless an editor
    overrides with a reason (``override_numbering`` and ``numbering_note``) or the importer
    creates an old issue (``import_mode``: any numbers that are free). The database's unique
    constraints refuse a number already used. Writes the issue, its sections and a
    ``create`` event. Raises ValidationError, PermissionDenied.
    """
    if not can(actor, "issue.create"):
        raise PermissionDenied("只有编辑可以新建期次。")
    numbering_note = (numbering_note or "").strip()
    with transaction.atomic():
        # Lock the last issue so that two editors creating "the next issue" at once
        # cannot both pass the check (the unique constraints would refuse one anyway).
        last = Issue.objects.select_for_update().order_by("-cumulative_number").first()
        taken = Issue.objects.filter(volume_year=volume_year, number=number).first()
        if taken is not None:
            raise ValidationError(f"{volume_year}年第{number}期已经存在（{taken.issue_line}）。")
        taken = Issue.objects.filter(cumulative_number=cumulative_number).first()
        if taken is not None:
            raise ValidationError(f"总第{cumulative_number}期已经存在（{taken.issue_line}）。")
        if not import_mode:
            problem = numbering_problem(
                volume_year=volume_year, number=number, cumulative_number=cumulative_number
            )
            if problem and not override_numbering:
                raise ValidationError(problem)
            if problem and not numbering_note:
                raise ValidationError(problem + "如确需使用此期号，请填写理由。")
            if not problem:
                numbering_note = ""
        issue = Issue(
            volume_year=volume_year,
            number=number,
            cumulative_number=cumulative_number,
            issued_on=issued_on,
            numbering_note=numbering_note[:200],
            created_by=actor,
            **_defaults_from_last(last),
        )
        try:
            issue.full_clean(exclude=["created_by", "signed_version"], validate_unique=False)
            with transaction.atomic():
                issue.save()
        except IntegrityError:
            raise ValidationError("期号或总期号已被使用，请刷新后重试。") from None
        for position, title in enumerate(sections):
            Section.objects.create(issue=issue, title=title, position=position)
        IssueEvent.objects.create(
            issue=issue,
            action="create",
            to_status=issue.status,
            actor=actor,
            comment=f"期号说明：{numbering_note}" if numbering_note else "",
        )
        _content_changed(issue, actor, record_editor=not import_mode)
    return issue


# --- Locking and the content hash ---------------------------------------------------------

_LOCKED_MESSAGES = {
    IssueStatus.IN_REVIEW: "本期已送审，正在审核中，不能修改。如需修改，请先“撤回修改”。",
    IssueStatus.AWAITING_SIGNATURE: "本期已审核通过，正在等待签发，不能修改。"
    "如需修改，请先“撤回修改”（修改后审核须重新进行）。",
    IssueStatus.SIGNED: "本期已签发，内容已冻结，不能修改。如需更正，请“发起更正”生成更正版。",
}


def _lock_editable(issue_id, actor) -> Issue:
    """The issue, locked for this transaction, if ``actor`` may edit it now."""
    try:
        issue = Issue.objects.select_for_update().get(pk=issue_id)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise ValidationError("期次不存在或已被删除。") from None
    if not can(actor, "issue.edit", issue):
        raise PermissionDenied("只有编辑可以修改期次内容。")
    if issue.status not in EDITABLE_STATUSES:
        raise ValidationError(_LOCKED_MESSAGES[issue.status])
    return issue


def _content_changed(issue: Issue, actor, *, record_editor: bool = True) -> None:
    """After a content write: store the new hash, remember the actor as an editor of the
    issue, and void every valid approval whose version is not the new content (with an
    event per voided approval)."""
    sha, _data = content_sha256(working_document(issue))
    if sha != issue.content_sha256:
        issue.content_sha256 = sha
        issue.save(update_fields=["content_sha256", "updated_at"])
    if record_editor:
        issue.editors.add(actor)
    stale = (
        Approval.objects.filter(issue=issue, edition=issue.edition, voided_at__isnull=True)
        .exclude(version__sha256=sha)
        .select_related("version")
    )
    for approval in stale:
        reason = f"{approval.version.label} 之后内容有修改"
        approval.voided_at = timezone.now()
        approval.void_reason = reason
        approval.save(update_fields=["voided_at", "void_reason"])
        IssueEvent.objects.create(
            issue=issue,
            action="void_approval",
            from_status=issue.status,
            to_status=issue.status,
            edition=issue.edition,
            actor=actor,
            version=approval.version,
            comment=f"{approval.get_stage_display()}批准（{reason}）作废，须重新{approval.get_stage_display()}。",
        )


# --- Masthead ----------------------------------------------------------------------------


def issue_update(
    *, issue_id: int, issued_on: date, report_to: str, send_to: str, actor, issuer: str = ""
) -> Issue:
    """Change the date line and the end matter of an editable issue."""
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        issue.issued_on = issued_on
        issue.report_to = (report_to or "").strip()
        issue.send_to = (send_to or "").strip()
        issue.issuer = _required(issuer or issue.issuer, "请填写印发单位。")[:60]
        issue.save(update_fields=["issued_on", "report_to", "send_to", "issuer", "updated_at"])
        _content_changed(issue, actor)
    return issue


def issue_delete(*, issue_id: int, actor) -> None:
    """Delete the newest issue while it is a draft without versions (a mistake in its
    numbers). Only the newest: deleting an earlier one would leave a gap in the numbers."""
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        if issue.versions.exists() or issue.edition > 1:
            raise ValidationError("本期已有送审或排版预览的版本记录，不能删除。")
        if Issue.objects.filter(cumulative_number__gt=issue.cumulative_number).exists():
            raise ValidationError("只能删除最新的一期：删除较早的一期会使期号出现空缺。")
        issue.delete()


# --- Sections ----------------------------------------------------------------------------


def _renumber(rows) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def section_add(*, issue_id: int, title: str, actor) -> Section:
    title = _required(title, "请填写栏目名称。", max_length=60, label="栏目名称")
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        if issue.sections.filter(title=title).exists():
            raise ValidationError(f"本期已有栏目“{title}”。")
        position = (issue.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section.objects.create(issue=issue, title=title, position=position)
        _renumber(issue.sections.order_by("position", "pk"))
        _content_changed(issue, actor)
    return section


def _lock_section(section_id, actor) -> tuple[Issue, Section]:
    section = Section.objects.filter(pk=section_id).only("issue_id").first()
    if section is None:
        raise ValidationError("栏目不存在或已被删除。")
    issue = _lock_editable(section.issue_id, actor)
    return issue, Section.objects.get(pk=section_id)


def section_rename(*, section_id: int, title: str, actor) -> Section:
    title = _required(title, "请填写栏目名称。", max_length=60, label="栏目名称")
    with transaction.atomic():
        issue, section = _lock_section(section_id, actor)
        if issue.sections.filter(title=title).exclude(pk=section.pk).exists():
            raise ValidationError(f"本期已有栏目“{title}”。")
        section.title = title
        section.save(update_fields=["title"])
        _content_changed(issue, actor)
    return section


def section_remove(*, section_id: int, actor) -> None:
    with transaction.atomic():
        issue, section = _lock_section(section_id, actor)
        count = section.items.count()
        if count:
            raise ValidationError(
                f"栏目“{section.title}”中还有 {count} 篇稿件，请先移走或删除稿件再删除栏目。"
            )
        section.delete()
        _renumber(issue.sections.order_by("position", "pk"))
        _content_changed(issue, actor)


def section_move(*, section_id: int, direction: str, actor) -> None:
    """Move a section one place ``up`` or ``down``."""
    with transaction.atomic():
        issue, section = _lock_section(section_id, actor)
        _move_in(list(issue.sections.order_by("position", "pk")), section, direction)
        _content_changed(issue, actor)


def _move_in(rows: list, row, direction: str) -> None:
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"}:
        raise ValidationError("移动方向不对。")
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    _renumber(rows)


# --- Items -------------------------------------------------------------------------------


def _check_room(issue: Issue) -> None:
    if issue.items.count() >= MAX_ITEMS_PER_ISSUE:
        raise ValidationError(f"一期最多 {MAX_ITEMS_PER_ISSUE} 篇稿件。")


def _section_of(issue: Issue, section_id) -> Section:
    section = issue.sections.filter(pk=section_id).first() if section_id else None
    if section is None:
        raise ValidationError("请选择本期的一个栏目。")
    return section


def _append_position(section: Section) -> int:
    return (section.items.aggregate(m=Max("position"))["m"] or -1) + 1


def item_place_submission(
    *, issue_id: int, submission_id: int, actor, section_id: int | None = None
) -> Item:
    """Place an accepted submission in the issue, as an item whose text is a copy of the
    submission's (the submission itself is not changed). Without ``section_id`` it goes to
    the section the submission suggests, else the last section."""
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        submission = (
            Submission.objects.select_for_update()
            .select_related("alliance")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None:
            raise ValidationError("投稿不存在或已被删除。")
        placed = Item.objects.filter(submission=submission).select_related("issue").first()
        if placed is not None:
            where = "本期" if placed.issue_id == issue.pk else placed.issue.issue_line
            raise ValidationError(f"投稿“{submission.title}”已编入{where}，不能重复编入。")
        if submission.status != Submission.Status.ACCEPTED:
            raise ValidationError(
                f"投稿“{submission.title}”的状态是“{submission.get_status_display()}”，"
                "只有已采用的投稿可以编入期次。"
            )
        _check_room(issue)
        if section_id:
            section = _section_of(issue, section_id)
        else:
            section = (
                issue.sections.filter(title=submission.suggested_section).first()
                or issue.sections.order_by("-position").first()
            )
            if section is None:
                raise ValidationError("本期还没有栏目，请先添加栏目。")
        item = Item(
            issue=issue,
            section=section,
            position=_append_position(section),
            kind=ItemKind.SUBMISSION,
            submission=submission,
            alliance=submission.alliance,
            title=(submission.title or "（无标题）")[:300],
            body_html=bodies.of_submission(submission.pk, submission.body_html),
            created_by=actor,
        )
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            raise ValidationError(f"投稿“{submission.title}”已编入期次，不能重复编入。") from None
        _content_changed(issue, actor)
    return item


def item_create(
    *,
    issue_id: int,
    section_id: int,
    title: str,
    body_html: str,
    actor,
    attribution: str = "",
    toc_title: str = "",
    alliance=None,
) -> Item:
    """An item written by the editors (policy news, network news)."""
    title = _required(title, "请填写稿件标题。")[:300]
    body = bodies.for_issue(issue_id, body_html)
    if not has_content(body):
        raise ValidationError("请填写稿件正文。")
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        section = _section_of(issue, section_id)
        _check_room(issue)
        item = Item.objects.create(
            issue=issue,
            section=section,
            position=_append_position(section),
            kind=ItemKind.EDITORIAL,
            alliance=alliance,
            title=title,
            toc_title=(toc_title or "").strip()[:120],
            body_html=body,
            attribution=(attribution or "").strip()[:200],
            created_by=actor,
        )
        _content_changed(issue, actor)
    return item


def _lock_item(item_id, actor) -> tuple[Issue, Item]:
    row = Item.objects.filter(pk=item_id).only("issue_id").first()
    if row is None:
        raise ValidationError("稿件不存在或已被删除。")
    issue = _lock_editable(row.issue_id, actor)
    return issue, Item.objects.select_related("section").get(pk=item_id)


def item_update(
    *, item_id: int, title: str, body_html: str, actor, attribution: str = "", toc_title: str = ""
) -> Item:
    """Edit the editors' copy of an item (the submission's original stays untouched)."""
    title = _required(title, "请填写稿件标题。")[:300]
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        body = bodies.for_issue(issue.pk, body_html)
        if not has_content(body):
            raise ValidationError("请填写稿件正文。")
        item.title = title
        item.body_html = body
        item.attribution = (attribution or "").strip()[:200]
        item.toc_title = (toc_title or "").strip()[:120]
        item.save(update_fields=["title", "body_html", "attribution", "toc_title", "updated_at"])
        _content_changed(issue, actor)
    return item


def item_remove(*, item_id: int, actor) -> None:
    """Take an item out of the issue. A submission's item frees the submission for
    another issue; comments on the item keep its title."""
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        section = item.section
        Comment.objects.filter(item=item, item_title="").update(item_title=item.title[:300])
        item.delete()
        _renumber(list(section.items.order_by("position", "pk")))
        _content_changed(issue, actor)


def item_move(*, item_id: int, direction: str, actor) -> Item:
    """Move an item one place ``up`` or ``down`` inside its section; past the first or last
    place it moves to the end of the previous or the start of the next section."""
    if direction not in {"up", "down"}:
        raise ValidationError("移动方向不对。")
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        rows = list(item.section.items.order_by("position", "pk"))
        index = next(i for i, r in enumerate(rows) if r.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(rows):
            rows[index], rows[target] = rows[target], rows[index]
            _renumber(rows)
        else:
            sections = list(issue.sections.order_by("position", "pk"))
            s_index = next(i for i, s in enumerate(sections) if s.pk == item.section_id)
            s_target = s_index - 1 if direction == "up" else s_index + 1
            if 0 <= s_target < len(sections):
                new_index = None if direction == "up" else 0
                _place(item, sections[s_target], new_index)
        _content_changed(issue, actor)
    return item


def _place(item: Item, section: Section, index: int | None) -> None:
    old_section_id = item.section_id
    rows = [r for r in section.items.order_by("position", "pk") if r.pk != item.pk]
    index = len(rows) if index is None else max(0, min(index, len(rows)))
    rows.insert(index, item)
    item.section = section
    item.save(update_fields=["section", "updated_at"])
    _renumber(rows)
    if old_section_id != section.pk:
        _renumber(list(Item.objects.filter(section_id=old_section_id).order_by("position", "pk")))


def item_move_to(*, item_id: int, section_id: int, index: int | None, actor) -> Item:
    """Put an item at ``index`` (0 = first; None = last) of a section of the same issue:
    what a drag and drop or the "移到栏目" menu asks."""
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        section = _section_of(issue, section_id)
        _place(item, section, index)
        _content_changed(issue, actor)
    return item


# --- Free blocks -------------------------------------------------------------------------


def block_add(*, issue_id: int, kind: str, title: str, body_html: str, actor) -> FreeBlock:
    if kind not in FreeBlockKind.values:
        raise ValidationError("请选择附加内容的类型。")
    title = _required(title or FreeBlockKind(kind).label, "请填写标题。")[:120]
    body = bodies.for_issue(issue_id, body_html)
    if not has_content(body):
        raise ValidationError("请填写内容。")
    with transaction.atomic():
        issue = _lock_editable(issue_id, actor)
        position = (issue.free_blocks.aggregate(m=Max("position"))["m"] or -1) + 1
        block = FreeBlock.objects.create(
            issue=issue, kind=kind, title=title, body_html=body, position=position
        )
        _content_changed(issue, actor)
    return block


def _lock_block(block_id, actor) -> tuple[Issue, FreeBlock]:
    row = FreeBlock.objects.filter(pk=block_id).only("issue_id").first()
    if row is None:
        raise ValidationError("附加内容不存在或已被删除。")
    issue = _lock_editable(row.issue_id, actor)
    return issue, FreeBlock.objects.get(pk=block_id)


def block_update(*, block_id: int, title: str, body_html: str, actor) -> FreeBlock:
    title = _required(title, "请填写标题。")[:120]
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        body = bodies.for_issue(issue.pk, body_html)
        if not has_content(body):
            raise ValidationError("请填写内容。")
        block.title = title
        block.body_html = body
        block.save(update_fields=["title", "body_html"])
        _content_changed(issue, actor)
    return block


def block_remove(*, block_id: int, actor) -> None:
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        block.delete()
        _renumber(list(issue.free_blocks.order_by("position", "pk")))
        _content_changed(issue, actor)


def block_move(*, block_id: int, direction: str, actor) -> None:
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        _move_in(list(issue.free_blocks.order_by("position", "pk")), block, direction)
        _content_changed(issue, actor)


# --- Comments ----------------------------------------------------------------------------


def comment_add(*, issue_id: int, body: str, actor, item_id: int | None = None) -> Comment:
    """A comment on the issue or on one of its items, on the version now current."""
    body = _required(body, "请填写意见内容。", multiline=True)[:4000]
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None:
            raise ValidationError("期次不存在或已被删除。")
        if not can(actor, "issue.comment", issue):
            raise PermissionDenied("只有编辑、审核和签发人员可以发表意见。")
        item = None
        if item_id:
            item = issue.items.filter(pk=item_id).first()
            if item is None:
                raise ValidationError("稿件不存在或已不在本期。")
        return Comment.objects.create(
            issue=issue,
            item=item,
            item_title=item.title[:300] if item else "",
            version=current_version(issue),
            author=actor,
            body=body,
        )


# --- Versions ----------------------------------------------------------------------------


def version_snapshot(*, issue: Issue, actor) -> IssueVersion:
    """The frozen version of the issue's current content: the existing one with the same
    SHA-256, or a new one. Call with the issue row locked."""
    doc = working_document(issue)
    sha, data = content_sha256(doc)
    if sha != issue.content_sha256:
        issue.content_sha256 = sha
        issue.save(update_fields=["content_sha256", "updated_at"])
    existing = issue.versions.filter(sha256=sha).first()
    if existing is not None:
        return existing
    number = (issue.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    refs = {
        item.anchor: ref
        for item, ref in zip(doc.items, _item_submission_ids(issue), strict=True)
        if ref
    }
    return IssueVersion.objects.create(
        issue=issue,
        number=number,
        edition=issue.edition,
        sha256=sha,
        document=data,
        item_refs=refs,
        created_by=actor,
    )


def _item_submission_ids(issue: Issue) -> list[int | None]:
    return [
        item.submission_id
        for section in issue.sections.order_by("position", "pk")
        for item in section.items.order_by("position", "pk")
    ]


def version_preview_record(
    *, version_id: int, pages: int, page_map: dict, pdf: bytes = b"", pdf_sha256: str = ""
) -> IssueVersion:
    """Store what a preview render of a version found: its page count and the page of each
    anchor (and the PDF, for the reviewers). The version's content is not touched."""
    with transaction.atomic():
        version = IssueVersion.objects.select_for_update().get(pk=version_id)
        version.pages = pages
        version.page_map = page_map or {}
        fields = ["pages", "page_map"]
        if pdf:
            if version.preview_pdf:
                version.preview_pdf.delete(save=False)
            version.preview_pdf.save(
                f"issue-{version.issue_id}-v{version.number}.pdf", ContentFile(pdf), save=False
            )
            version.pdf_sha256 = pdf_sha256
            fields += ["preview_pdf", "pdf_sha256"]
        version.save(update_fields=fields)
    return version


# --- Checks before sending for review ------------------------------------------------------


def issue_submit_problems(issue: Issue) -> list[str]:
    """What stops the issue from being sent for review, in Chinese; empty when ready."""
    problems = []
    sections = list(issue.sections.order_by("position", "pk").prefetch_related("items"))
    items = [item for section in sections for item in section.items.all()]
    if not items:
        problems.append("本期还没有稿件，不能送审。")
    for section in sections:
        if items and not section.items.all():
            problems.append(f"栏目“{section.title}”没有稿件：请编入稿件，或删除这个栏目。")
    for item in items:
        if not has_content(item.body_html):
            problems.append(f"稿件“{item.title}”没有正文。")
    ok = {Submission.Status.ACCEPTED, Submission.Status.PUBLISHED}
    linked = Submission.objects.filter(bulletin_items__issue=issue).exclude(status__in=ok)
    for submission in linked:
        problems.append(
            f"稿件“{submission.title}”的来源投稿现在是“{submission.get_status_display()}”，"
            "不再是已采用状态：请移出本期，或请初审编辑重新采用。"
        )
    if issue.signed_version_id and issue.content_sha256 == issue.signed_version.sha256:
        problems.append("更正版的内容与已签发的版本相同：请先修改内容再送审。")
    return problems


# --- Submissions printed in a signed issue --------------------------------------------------


def submissions_mark_published(*, issue: Issue, version: IssueVersion, actor) -> int:
    """Mark every accepted submission printed in ``version`` as published, through the
    submissions' own status writer, after recording the text as printed and where (the
    issue, and the page once a render of the version has found it). Submissions already
    published (printed in an earlier edition) only get the printed text recorded again.
    Returns how many were marked published."""
    refs = version.item_refs or {}
    page_map = version.page_map or {}
    marked = 0
    for item in document_from_data(version.document).items:
        submission_id = refs.get(item.anchor)
        if not submission_id:
            continue
        printed_version_record(
            submission_id=submission_id,
            title=item.title,
            body_html=item.body_html,
            issue_label=issue.issue_line,
            issue_ref=issue.pk,
            page=page_map.get(item.anchor),
            actor=actor,
        )
        status = Submission.objects.filter(pk=submission_id).values_list("status", flat=True)
        if status.first() == Submission.Status.ACCEPTED:
            submission_transition(
                submission_id=submission_id,
                action="publish",
                actor=actor,
                comment=f"刊于{issue.issue_line}",
            )
            marked += 1
    return marked


# --- Preview renders -----------------------------------------------------------------------


def issue_preview_request(*, issue_id: int, actor) -> IssueVersion:
    """Freeze the current content as a version (or find it) and queue its preview render,
    so the editors see the page count of the current draft."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None:
            raise ValidationError("期次不存在或已被删除。")
        if not can(actor, "issue.preview", issue):
            raise PermissionDenied("您不能生成本期的排版预览。")
        version = version_snapshot(issue=issue, actor=actor)
        if version.pages is None:
            version_preview_queue(version.pk)
    return version


def version_preview_queue(version_id: int) -> None:
    """Queue the preview render of a version after commit (its Rendition row now)."""
    rendition_queue(version_id=version_id, kind="preview")
