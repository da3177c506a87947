"""The printable content of an issue, as a :class:`~bulletins.document.IssueDocument`: the
working copy, a frozen version (with the names of who edited, reviewed and signed it), or
whichever of the two the issue shows now. ``issue_document`` is the contract with the
renderer."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch

from ..document import (
    NETWORK_ATTRIBUTION,
    SECTION_NETWORK,
    EndMatter,
    FreeBlockDoc,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)
from ..models import (
    Approval,
    ApprovalStage,
    Issue,
    IssueEvent,
    IssueSource,
    IssueStatus,
    IssueVersion,
    Item,
    Section,
)
from ..snapshot import document_from_data

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
