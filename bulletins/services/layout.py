"""The content of an issue being assembled (组版): its sections, items (placed from an
accepted submission or written by the editors) and free blocks, and their order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from core.text import has_content
from submissions.models import Submission

from .. import bodies
from ..models import (
    Comment,
    FreeBlock,
    FreeBlockKind,
    Issue,
    Item,
    ItemKind,
    Section,
)
from .editing import content_changed, lock_editable, move_in, renumber, required

MAX_ITEMS_PER_ISSUE = 200


# --- Sections ----------------------------------------------------------------------------


def section_add(*, issue_id: int, title: str, actor) -> Section:
    title = required(title, "请填写栏目名称。", max_length=60, label="栏目名称")
    with transaction.atomic():
        issue = lock_editable(issue_id, actor)
        if issue.sections.filter(title=title).exists():
            raise ValidationError(f"本期已有栏目“{title}”。")
        position = (issue.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section.objects.create(issue=issue, title=title, position=position)
        renumber(issue.sections.order_by("position", "pk"))
        content_changed(issue, actor)
    return section


def _lock_part(queryset, part_id, actor, *, missing: str):
    """A section, item or free block (from ``queryset``) and its issue, the issue locked
    for this transaction when ``actor`` may edit it now (``lock_editable``); the part is
    read again after the lock, so it is what the lock protects. ``missing`` is the message
    when the part does not exist."""
    row = queryset.model.objects.filter(pk=part_id).only("issue_id").first()
    if row is None:
        raise ValidationError(missing)
    issue = lock_editable(row.issue_id, actor)
    return issue, queryset.get(pk=part_id)


def _lock_section(section_id, actor) -> tuple[Issue, Section]:
    return _lock_part(Section.objects, section_id, actor, missing="栏目不存在或已被删除。")


def section_rename(*, section_id: int, title: str, actor) -> Section:
    title = required(title, "请填写栏目名称。", max_length=60, label="栏目名称")
    with transaction.atomic():
        issue, section = _lock_section(section_id, actor)
        if issue.sections.filter(title=title).exclude(pk=section.pk).exists():
            raise ValidationError(f"本期已有栏目“{title}”。")
        section.title = title
        section.save(update_fields=["title"])
        content_changed(issue, actor)
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
        renumber(issue.sections.order_by("position", "pk"))
        content_changed(issue, actor)


def section_move(*, section_id: int, direction: str, actor) -> None:
    """Move a section one place ``up`` or ``down``."""
    with transaction.atomic():
        issue, section = _lock_section(section_id, actor)
        move_in(list(issue.sections.order_by("position", "pk")), section, direction)
        content_changed(issue, actor)


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
        issue = lock_editable(issue_id, actor)
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
        content_changed(issue, actor)
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
    title = required(title, "请填写稿件标题。")[:300]
    body = bodies.for_issue(issue_id, body_html)
    if not has_content(body):
        raise ValidationError("请填写稿件正文。")
    with transaction.atomic():
        issue = lock_editable(issue_id, actor)
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
        content_changed(issue, actor)
    return item


def _lock_item(item_id, actor) -> tuple[Issue, Item]:
    items = Item.objects.select_related("section")
    return _lock_part(items, item_id, actor, missing="稿件不存在或已被删除。")


def item_update(
    *, item_id: int, title: str, body_html: str, actor, attribution: str = "", toc_title: str = ""
) -> Item:
    """Edit the editors' copy of an item (the submission's original stays untouched)."""
    title = required(title, "请填写稿件标题。")[:300]
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
        content_changed(issue, actor)
    return item


def item_remove(*, item_id: int, actor) -> None:
    """Take an item out of the issue. A submission's item frees the submission for
    another issue; comments on the item keep its title."""
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        section = item.section
        Comment.objects.filter(item=item, item_title="").update(item_title=item.title[:300])
        item.delete()
        renumber(list(section.items.order_by("position", "pk")))
        content_changed(issue, actor)


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
            renumber(rows)
        else:
            sections = list(issue.sections.order_by("position", "pk"))
            s_index = next(i for i, s in enumerate(sections) if s.pk == item.section_id)
            s_target = s_index - 1 if direction == "up" else s_index + 1
            if 0 <= s_target < len(sections):
                new_index = None if direction == "up" else 0
                _place(item, sections[s_target], new_index)
        content_changed(issue, actor)
    return item


def _place(item: Item, section: Section, index: int | None) -> None:
    old_section_id = item.section_id
    rows = [r for r in section.items.order_by("position", "pk") if r.pk != item.pk]
    index = len(rows) if index is None else max(0, min(index, len(rows)))
    rows.insert(index, item)
    item.section = section
    item.save(update_fields=["section", "updated_at"])
    renumber(rows)
    if old_section_id != section.pk:
        renumber(list(Item.objects.filter(section_id=old_section_id).order_by("position", "pk")))


def item_move_to(*, item_id: int, section_id: int, index: int | None, actor) -> Item:
    """Put an item at ``index`` (0 = first; None = last) of a section of the same issue:
    what a drag and drop or the "移到栏目" menu asks."""
    with transaction.atomic():
        issue, item = _lock_item(item_id, actor)
        section = _section_of(issue, section_id)
        _place(item, section, index)
        content_changed(issue, actor)
    return item


# --- Free blocks -------------------------------------------------------------------------


def block_add(*, issue_id: int, kind: str, title: str, body_html: str, actor) -> FreeBlock:
    if kind not in FreeBlockKind.values:
        raise ValidationError("请选择附加内容的类型。")
    title = required(title or FreeBlockKind(kind).label, "请填写标题。")[:120]
    body = bodies.for_issue(issue_id, body_html)
    if not has_content(body):
        raise ValidationError("请填写内容。")
    with transaction.atomic():
        issue = lock_editable(issue_id, actor)
        position = (issue.free_blocks.aggregate(m=Max("position"))["m"] or -1) + 1
        block = FreeBlock.objects.create(
            issue=issue, kind=kind, title=title, body_html=body, position=position
        )
        content_changed(issue, actor)
    return block


def _lock_block(block_id, actor) -> tuple[Issue, FreeBlock]:
    return _lock_part(FreeBlock.objects, block_id, actor, missing="附加内容不存在或已被删除。")


def block_update(*, block_id: int, title: str, body_html: str, actor) -> FreeBlock:
    title = required(title, "请填写标题。")[:120]
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        body = bodies.for_issue(issue.pk, body_html)
        if not has_content(body):
            raise ValidationError("请填写内容。")
        block.title = title
        block.body_html = body
        block.save(update_fields=["title", "body_html"])
        content_changed(issue, actor)
    return block


def block_remove(*, block_id: int, actor) -> None:
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        block.delete()
        renumber(list(issue.free_blocks.order_by("position", "pk")))
        content_changed(issue, actor)


def block_move(*, block_id: int, direction: str, actor) -> None:
    with transaction.atomic():
        issue, block = _lock_block(block_id, actor)
        move_in(list(issue.free_blocks.order_by("position", "pk")), block, direction)
        content_changed(issue, actor)
