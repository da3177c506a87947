"""Every read of issues that a view, a task or another app needs, scoped to the user.

``issue_document`` is the contract with the renderer: the printable content of an issue
(its working copy) or of a frozen version, as a :class:`~bulletins.document.IssueDocument`.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import can
from core.sanitise import image_sources, media_path_from_url
from core.text import html_lines
from submissions.models import Submission

from .document import (
    NETWORK_ATTRIBUTION,
    SECTION_NETWORK,
    EndMatter,
    FreeBlockDoc,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)
from .models import (
    Approval,
    ApprovalStage,
    Comment,
    Issue,
    IssueEvent,
    IssueSource,
    IssueStatus,
    IssueVersion,
    Item,
    Rendition,
    RenditionKind,
    RenditionStatus,
    Section,
)
from .permissions import is_editor_of, separate_editor_and_signer
from .snapshot import document_from_data
from .workflow import HOLDER_ROLE, sign_blocked_by_separation

PREVIEW_WATERMARK = "送审稿"


# --- The document ---------------------------------------------------------------------


def automatic_attribution(alliance, section_title: str) -> str:
    """The line printed after an item unless the editors override it: the alliance's
    attribution from the registry, else the network's line in the network section."""
    if alliance is not None:
        return alliance.attribution
    if section_title == SECTION_NETWORK:
        return NETWORK_ATTRIBUTION
    return ""


def item_attribution(item: Item, section_title: str) -> str:
    if item.attribution:
        return item.attribution
    return automatic_attribution(item.alliance if item.alliance_id else None, section_title)


def _sections_with_items(issue: Issue) -> list[Section]:
    return list(
        issue.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("alliance").order_by("position", "pk"),
            )
        )
    )


def working_document(issue: Issue) -> IssueDocument:
    """The issue's working copy (what the editors see now), without watermark or names."""
    sections = [
        SectionDoc(
            title=section.title,
            anchor=f"section-{section.pk}",
            items=[
                ItemDoc(
                    title=item.title,
                    body_html=item.body_html,
                    attribution=item_attribution(item, section.title),
                    toc_title=item.toc_title,
                    anchor=f"item-{item.pk}",
                )
                for item in section.items.all()
            ],
        )
        for section in _sections_with_items(issue)
    ]
    blocks = [
        FreeBlockDoc(title=block.title, body_html=block.body_html, anchor=f"block-{block.pk}")
        for block in issue.free_blocks.order_by("position", "pk")
    ]
    return IssueDocument(
        masthead=Masthead(
            volume_year=issue.volume_year,
            number=issue.number,
            cumulative_number=issue.cumulative_number,
            issued_on=issue.issued_on,
            issuer=issue.issuer,
        ),
        sections=sections,
        end_matter=EndMatter(
            report_to=issue.report_to,
            send_to=issue.send_to,
            contact_lines=list(settings.CITISA_BULLETIN_CONTACT_LINES),
        ),
        free_blocks=blocks,
    )


def _names_for(version: IssueVersion) -> tuple[str, str, str]:
    """本期编辑, 审核, 签发: the people who actually performed each step on this version."""
    submit = (
        IssueEvent.objects.filter(version=version, action="submit")
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    approvals = {
        a.stage: a.actor.display_name
        for a in Approval.objects.filter(version=version, voided_at__isnull=True).select_related(
            "actor"
        )
    }
    return (
        submit.actor.display_name if submit else "",
        approvals.get(ApprovalStage.REVIEW, ""),
        approvals.get(ApprovalStage.SIGN, ""),
    )


def version_document(version: IssueVersion) -> IssueDocument:
    """A frozen version's document, with the end matter's names from its approvals; marked
    「送审稿」 unless the version has been signed."""
    doc = document_from_data(version.document)
    issue = version.issue
    if issue.source == IssueSource.IMPORTED and issue.signed_version_id == version.pk:
        # An imported old issue: signed on paper, by the people its end matter names.
        editor, reviewer, signer = (
            issue.printed_editor,
            issue.printed_reviewer,
            issue.printed_signer,
        )
        doc.watermark = ""
    else:
        editor, reviewer, signer = _names_for(version)
        doc.watermark = "" if signer else PREVIEW_WATERMARK
    doc.end_matter.editor = editor
    doc.end_matter.reviewer = reviewer
    doc.end_matter.signer = signer
    doc.version_label = version.label + (
        f"（{version.issue.edition_label}）" if version.edition > 1 else ""
    )
    return doc


def issue_document(issue_or_version) -> IssueDocument:
    """The printable content of an issue or of one frozen version: the signed version once
    signed; the version sent for approval while in the chain; else the working copy. All
    but a signed version are marked 「送审稿」."""
    if isinstance(issue_or_version, IssueVersion):
        return version_document(issue_or_version)
    issue = issue_or_version
    if issue.status == IssueStatus.SIGNED and issue.signed_version_id:
        return version_document(issue.signed_version)
    if issue.status in {IssueStatus.IN_REVIEW, IssueStatus.AWAITING_SIGNATURE}:
        frozen = issue.versions.filter(sha256=issue.content_sha256).first()
        if frozen is not None:  # what the approvers are looking at, with their names
            return version_document(frozen)
    doc = working_document(issue)
    doc.watermark = PREVIEW_WATERMARK
    doc.version_label = "编辑稿"
    return doc


# --- Access -------------------------------------------------------------------------------


def issues_for_user(user) -> QuerySet[Issue]:
    if can(user, "issue.view"):
        return Issue.objects.all()
    return Issue.objects.none()


def access_issue(user, issue_id) -> Issue:
    """The issue for this user, or 404."""
    try:
        return issues_for_user(user).select_related("created_by", "signed_version").get(pk=issue_id)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_version(user, issue: Issue, version_id) -> IssueVersion:
    try:
        return issue.versions.get(pk=version_id)
    except (IssueVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def issue_list(*, user) -> QuerySet[Issue]:
    return (
        issues_for_user(user)
        .annotate(item_count=Count("items", distinct=True))
        .select_related("created_by")
        .order_by("-cumulative_number")
    )


# --- Who holds an issue -------------------------------------------------------------------


@dataclass
class Holder:
    role_label: str
    people: list[str]
    since: datetime

    @property
    def waited(self):
        return timezone.now() - self.since

    @property
    def waited_days(self) -> int:
        return self.waited.days


def holders_of(issue: Issue) -> list[User]:
    """The people whose turn it is: every active reviewer (待审核), every signer who may sign
    it (待签发), the issue's editors (组版中, 退回修改); nobody once signed."""
    role = HOLDER_ROLE.get(issue.status)
    if role is None:
        return []
    users = User.objects.filter(is_active=True, role_grants__role=role).distinct()
    if role == Role.EDITOR:
        own = users.filter(pk__in=issue.editors.values("pk")) | users.filter(pk=issue.created_by_id)
        return list(own.distinct().order_by("full_name", "username")) or list(users)
    users = list(users.order_by("full_name", "username"))
    if role == Role.SIGNER and separate_editor_and_signer():
        users = [u for u in users if not is_editor_of(u, issue)]
    return users


def holder(issue: Issue) -> Holder | None:
    role = HOLDER_ROLE.get(issue.status)
    if role is None:
        return None
    return Holder(
        role_label=Role(role).label,
        people=[u.display_name for u in holders_of(issue)],
        since=issue.status_changed_at,
    )


def waiting_for(user, role: str) -> list[dict]:
    """The issues waiting for ``user`` in ``role`` (the home page's "waiting for me")."""
    statuses = [status for status, r in HOLDER_ROLE.items() if r == role]
    rows = []
    issues = (
        issues_for_user(user)
        .filter(status__in=statuses)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("status_changed_at")
    )
    for issue in issues:
        if role == Role.SIGNER and sign_blocked_by_separation(issue, user):
            continue
        step = (
            issue.events.exclude(action__in=["create", "void_approval"])
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        rows.append(
            {
                "issue": issue,
                "step": step,
                "since": issue.status_changed_at,
                "waited_days": (timezone.now() - issue.status_changed_at).days,
                "item_count": issue.item_count,
            }
        )
    return rows


# --- Assembly page -------------------------------------------------------------------------


def assembly_sections(issue: Issue) -> list[Section]:
    """Sections with their items, each item with its alliance, submission and comments,
    and the attribution line it will print with (``printed_attribution``)."""
    sections = list(
        issue.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("alliance", "submission")
                .prefetch_related(
                    Prefetch("comments", queryset=Comment.objects.select_related("author"))
                )
                .order_by("position", "pk"),
            )
        )
    )
    for section in sections:
        for item in section.items.all():
            item.printed_attribution = item_attribution(item, section.title)
    return sections


def placeable_submissions(issue: Issue):
    """Accepted submissions that are not placed in any issue yet, newest first."""
    return (
        Submission.objects.filter(status=Submission.Status.ACCEPTED, bulletin_items__isnull=True)
        .select_related("alliance")
        .order_by("-decided_at", "-pk")
    )


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


@dataclass
class DiffLine:
    tag: str  # "same", "added", "removed", "gap"
    text: str


def document_diff(old: IssueDocument, new: IssueDocument, *, context: int = 1) -> list[DiffLine]:
    """The lines that changed from ``old`` to ``new``, with ``context`` unchanged lines
    around each change and a gap marker for the unchanged stretches between."""
    a, b = document_lines(old), document_lines(new)
    out: list[DiffLine] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("gap", "……"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine("same", line) for line in a[i1:i2])
                continue
            out.extend(DiffLine("removed", line) for line in a[i1:i2])
            out.extend(DiffLine("added", line) for line in b[j1:j2])
    return out


def version_diff(old: IssueVersion | None, new: IssueVersion | Issue) -> list[DiffLine]:
    """What changed between a version and a later version (or the working copy)."""
    new_doc = working_document(new) if isinstance(new, Issue) else document_from_data(new.document)
    if old is None:
        return [DiffLine("added", line) for line in document_lines(new_doc)]
    return document_diff(document_from_data(old.document), new_doc)


def is_deletable(issue: Issue) -> bool:
    """Whether ``services.issue_delete`` would accept this issue (to show the button)."""
    return (
        issue.edition == 1
        and not issue.versions.exists()
        and not Issue.objects.filter(cumulative_number__gt=issue.cumulative_number).exists()
    )


def last_return(issue: Issue) -> IssueEvent | None:
    """The latest return of the current edition (its comment is what the editor must fix)."""
    return (
        issue.events.filter(action="return", edition=issue.edition)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def valid_approvals(issue: Issue) -> list[Approval]:
    """The approvals that hold for the issue's current edition, review first."""
    return list(
        issue.approvals.filter(edition=issue.edition, voided_at__isnull=True)
        .select_related("actor", "version")
        .order_by("created_at")
    )


def last_approved_version(issue: Issue, stage: str) -> IssueVersion | None:
    """The version this stage last approved in the current edition (valid or voided)."""
    approval = (
        issue.approvals.filter(edition=issue.edition, stage=stage)
        .select_related("version")
        .order_by("-created_at", "-pk")
        .first()
    )
    return approval.version if approval else None


# --- Renditions (the PDFs of versions) -----------------------------------------------------


def issue_renditions(issue: Issue) -> dict:
    """What the issue pages show of the PDFs: the version in view (the current one, else the
    newest), its preview rendition, the signed version's final rendition, and each item's
    page from the preview's page map."""
    version = None
    if issue.content_sha256:
        version = issue.versions.filter(sha256=issue.content_sha256).first()
    if version is None:
        version = issue.versions.order_by("-number").first()
    preview = final = None
    if version is not None:
        preview = Rendition.objects.filter(version=version, kind=RenditionKind.PREVIEW).first()
    if issue.signed_version_id:
        final = (
            Rendition.objects.select_related("version")
            .filter(version_id=issue.signed_version_id, kind=RenditionKind.FINAL)
            .first()
        )
    item_pages = []
    if preview is not None and preview.page_map and version is not None:
        for item in document_from_data(version.document).items:
            item_pages.append((item.toc_label, preview.page_map.get(item.anchor)))
    pending = any(r is not None and r.is_pending for r in (preview, final))
    return {
        "r_version": version,
        "preview": preview,
        "final": final,
        "item_pages": item_pages,
        "pending": pending,
    }


def access_rendition(user, issue: Issue, version_id, kind: str):
    """A done rendition of one of the issue's versions, for a user who may preview the
    issue; 404 otherwise."""
    if not can(user, "issue.preview", issue):
        raise Http404
    version = access_version(user, issue, version_id)
    rendition = Rendition.objects.filter(
        version=version, kind=kind, status=RenditionStatus.DONE
    ).first()
    if rendition is None:
        raise Http404
    return rendition


def version_image_path(user, issue: Issue, version_id, path: str):
    """The file of an image printed in this version, for a user who may see the issue: only
    paths the version's content names, inside MEDIA_ROOT. 404 otherwise."""
    version = access_version(user, issue, version_id)
    path = media_path_from_url(path)
    if path is None:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    named = path and path in json.dumps(version.document, ensure_ascii=False)
    if not named or root not in target.parents or not target.is_file():
        raise Http404
    return target


# --- statistics (read by reports.statistics) -----------------------------------------------
def items_published(*, first_day, last_day) -> QuerySet[Item]:
    """Items of published issues dated (印发日期) from ``first_day`` to ``last_day``
    inclusive. Published = signed at least once: imported past issues are signed on import,
    and an issue being corrected stays published. Not scoped to a user: for reports whose
    view has checked the permission."""
    return Item.objects.filter(
        issue__signed_version__isnull=False,
        issue__issued_on__gte=first_day,
        issue__issued_on__lte=last_day,
    )


def page_image_url(issue: Issue, version: IssueVersion | None = None):
    """How the issue page shows an image of a body (a path inside MEDIA_ROOT): through the
    version's image view when the page shows a frozen version, else through the image view
    of the submission whose item holds it (a working copy's images come from submissions).
    An image no view would serve gets an empty ``src``."""
    if version is not None:
        return lambda path: reverse("bulletins:version_image", args=[issue.pk, version.pk, path])
    owners: dict[str, int] = {}
    for submission_id, body in issue.items.exclude(submission=None).values_list(
        "submission_id", "body_html"
    ):
        for path in image_sources(body):
            owners.setdefault(path, submission_id)

    def image_url(path: str) -> str:
        owner = owners.get(path)
        return reverse("submissions:media", args=[owner, path]) if owner else ""

    return image_url
