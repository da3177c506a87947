"""An issue as a whole: its numbers and creation, its masthead and end matter, deletion,
what stops it from being sent for review, and the submissions it prints once signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import can
from core.text import has_content
from submissions.models import Submission
from submissions.services import printed_version_record
from submissions.workflow import submission_transition

from ..document import DEFAULT_SECTIONS, ISSUER
from ..models import (
    Issue,
    IssueEvent,
    IssueVersion,
    Section,
)
from ..snapshot import document_from_data
from .editing import content_changed, lock_editable, required

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
        content_changed(issue, actor, record_editor=not import_mode)
    return issue


# --- Masthead ----------------------------------------------------------------------------


def issue_update(
    *, issue_id: int, issued_on: date, report_to: str, send_to: str, actor, issuer: str = ""
) -> Issue:
    """Change the date line and the end matter of an editable issue."""
    with transaction.atomic():
        issue = lock_editable(issue_id, actor)
        issue.issued_on = issued_on
        issue.report_to = (report_to or "").strip()
        issue.send_to = (send_to or "").strip()
        issue.issuer = required(issuer or issue.issuer, "请填写印发单位。")[:60]
        issue.save(update_fields=["issued_on", "report_to", "send_to", "issuer", "updated_at"])
        content_changed(issue, actor)
    return issue


def issue_delete(*, issue_id: int, actor) -> None:
    """Delete the newest issue while it is a draft without versions (a mistake in its
    numbers). Only the newest: deleting an earlier one would leave a gap in the numbers."""
    with transaction.atomic():
        issue = lock_editable(issue_id, actor)
        if issue.versions.exists() or issue.edition > 1:
            raise ValidationError("本期已有送审或排版预览的版本记录，不能删除。")
        if Issue.objects.filter(cumulative_number__gt=issue.cumulative_number).exists():
            raise ValidationError("只能删除最新的一期：删除较早的一期会使期号出现空缺。")
        issue.delete()


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
