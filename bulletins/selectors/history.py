"""What happened to an issue: its comments, events and versions, and what changed between
two versions."""

from __future__ import annotations

from django.db.models import Prefetch

from core.diff import DiffLine, lines_diff
from core.text import html_lines

from ..document import (
    IssueDocument,
)
from ..models import (
    Approval,
    Comment,
    Issue,
    IssueEvent,
    IssueVersion,
)
from ..snapshot import document_from_data
from .documents import working_document


def issue_comments(issue: Issue) -> list[Comment]:
    return list(issue.comments.select_related("author", "item", "version").order_by("created_at"))


def issue_events(issue: Issue) -> list[IssueEvent]:
    return list(issue.events.select_related("actor", "version").order_by("created_at", "pk"))


def issue_versions(issue: Issue) -> list[IssueVersion]:
    return list(
        issue.versions.prefetch_related(
            Prefetch("approvals", queryset=Approval.objects.select_related("actor"))
        ).order_by("-number")
    )


def latest_pages(issue: Issue) -> IssueVersion | None:
    """The newest version with a known page count (from a preview render)."""
    return issue.versions.filter(pages__isnull=False).order_by("-number").first()


# --- Diff between versions -------------------------------------------------------------------


def document_lines(doc: IssueDocument) -> list[str]:
    """The document as lines of text, for comparing two versions."""
    m = doc.masthead
    lines = [f"【报头】{m.issue_line}　{m.date_line}　{m.issuer}"]
    for section in doc.sections:
        lines.append(f"【栏目】➤ {section.title}")
        for item in section.items:
            lines.append(f"【稿件】{item.title}")
            if item.toc_title:
                lines.append(f"　导读标题：{item.toc_title}")
            lines.extend(f"　{line}" for line in html_lines(item.body_html, cell_separator=" | "))
            if item.attribution:
                lines.append(f"　{item.attribution}")
    for block in doc.free_blocks:
        lines.append(f"【附加】{block.title}")
        lines.extend(f"　{line}" for line in html_lines(block.body_html, cell_separator=" | "))
    lines.append(f"【报】{doc.end_matter.report_to}")
    lines.append(f"【送】{doc.end_matter.send_to}")
    return lines


def document_diff(old: IssueDocument, new: IssueDocument, *, context: int = 1) -> list[DiffLine]:
    """The lines that changed from ``old`` to ``new`` (see ``core.diff.lines_diff``)."""
    return lines_diff(document_lines(old), document_lines(new), context=context)


def version_diff(old: IssueVersion | None, new: IssueVersion | Issue) -> list[DiffLine]:
    """What changed between a version and a later version (or the working copy)."""
    new_doc = working_document(new) if isinstance(new, Issue) else document_from_data(new.document)
    if old is None:
        return [DiffLine("added", line) for line in document_lines(new_doc)]
    return document_diff(document_from_data(old.document), new_doc)


def current_version(issue: Issue) -> IssueVersion | None:
    """The frozen version whose content is the issue's current content, if one exists."""
    if not issue.content_sha256:
        return None
    return issue.versions.filter(sha256=issue.content_sha256).first()
