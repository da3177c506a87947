"""From a signed version of an issue (``bulletins``) to its distribution.

Wire: ``bulletins.renditions`` stores a version's final PDF and calls what is registered
with ``bulletins.hooks.register_final_pdf`` — ``final_pdf_hand_off`` below, registered when
the app loads (``DistributionConfig.ready``) — in the same transaction, passing the
document the PDF was rendered from. A signed version becomes a ``Publication`` (the seam in
``distribution.publication``) and its dispatch starts (idempotent per version; the fan-out
is queued on commit); an imported past issue only goes into the archive.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bulletins import hooks
from bulletins.document import IssueDocument
from bulletins.models import Approval, ApprovalStage, IssueEvent, IssueSource, IssueVersion

from .models import Dispatch
from .publication import Publication
from .services import archive_publish, publication_distribute


def correction_note(version: IssueVersion) -> str:
    """The reason the editor gave when reopening the issue for this edition (更正理由)."""
    if version.edition <= 1:
        return ""
    note = (
        IssueEvent.objects.filter(
            issue_id=version.issue_id, action="correct", edition=version.edition
        )
        .order_by("-created_at", "-pk")
        .values_list("comment", flat=True)
        .first()
    )
    return note or ""


def publication_for_version(
    version: IssueVersion, *, pdf_name: str, document: IssueDocument
) -> Publication:
    """The publication of a signed version. Raises ValidationError for a version nobody
    has signed (a preview must never go out)."""
    signed = Approval.objects.filter(
        version=version, stage=ApprovalStage.SIGN, voided_at__isnull=True
    ).exists()
    if not signed:
        raise ValidationError(f"{version.issue} {version.label} 尚未签发，不能分发。")
    return Publication(
        issue_id=version.issue_id,
        version_id=version.pk,
        document=document,
        pdf_name=pdf_name,
        edition=version.edition,
        correction_note=correction_note(version),
    )


def signed_version_distribute(
    *, version_id: int, pdf_name: str, document: IssueDocument, actor=None
) -> Dispatch:
    """Distribute a signed version whose final PDF is ``pdf_name``, rendered from
    ``document`` (see the module docstring). Raises ValidationError (unsigned version,
    missing PDF)."""
    version = IssueVersion.objects.select_related("issue").get(pk=version_id)
    return publication_distribute(
        publication=publication_for_version(version, pdf_name=pdf_name, document=document),
        actor=actor,
    )


def imported_version_archive(
    *, version_id: int, pdf_name: str, pdf_sha256: str, document: IssueDocument
):
    """Put an imported past issue in the archive, and nothing more: it was distributed long
    before this system, so nobody is e-mailed. Raises ValidationError for an issue made in
    the system (those go out through ``signed_version_distribute``)."""
    version = IssueVersion.objects.select_related("issue").get(pk=version_id)
    if version.issue.source != IssueSource.IMPORTED:
        raise ValidationError(f"{version.issue} 不是导入的往期，须经签发后分发。")
    publication = Publication(
        issue_id=version.issue_id,
        version_id=version.pk,
        document=document,
        pdf_name=pdf_name,
        edition=version.edition,
        correction_note="",
    )
    return archive_publish(publication=publication, pdf_sha256=pdf_sha256)


@hooks.register_final_pdf
def final_pdf_hand_off(*, final: hooks.FinalPdf) -> None:
    """See ``bulletins.hooks.register_final_pdf``."""
    if final.imported:
        imported_version_archive(
            version_id=final.version_id,
            pdf_name=final.pdf_name,
            pdf_sha256=final.pdf_sha256,
            document=final.document,
        )
    else:
        signed_version_distribute(
            version_id=final.version_id,
            pdf_name=final.pdf_name,
            document=final.document,
            actor=final.actor,
        )
