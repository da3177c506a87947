"""From a signed version of an issue (``bulletins``) to its distribution.

Wire: once the final PDF of a signed version is stored (a name in the default storage),
call ``signed_version_distribute(version_id=…, pdf_name=…, actor=…)`` in the same
transaction that records the PDF. It builds the ``Publication`` (the seam in
``distribution.publication``) from the version and starts the dispatch (idempotent per
version); the fan-out is queued on commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bulletins.models import Approval, ApprovalStage, IssueEvent, IssueVersion

from .models import Dispatch
from .publication import Publication
from .services import publication_distribute


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


def publication_for_version(version: IssueVersion, *, pdf_name: str) -> Publication:
    """The publication of a signed version. Raises ValidationError for a version nobody
    has signed (a preview must never go out)."""
    from bulletins.selectors import version_document

    signed = Approval.objects.filter(
        version=version, stage=ApprovalStage.SIGN, voided_at__isnull=True
    ).exists()
    if not signed:
        raise ValidationError(f"{version.issue} {version.label} 尚未签发，不能分发。")
    return Publication(
        issue_id=version.issue_id,
        version_id=version.pk,
        document=version_document(version),
        pdf_name=pdf_name,
        edition=version.edition,
        correction_note=correction_note(version),
    )


def signed_version_distribute(*, version_id: int, pdf_name: str, actor=None) -> Dispatch:
    """Distribute a signed version whose final PDF is ``pdf_name`` (see the module
    docstring). Raises ValidationError (unsigned version, missing PDF)."""
    version = IssueVersion.objects.select_related("issue").get(pk=version_id)
    return publication_distribute(
        publication=publication_for_version(version, pdf_name=pdf_name), actor=actor
    )


def imported_version_archive(*, version_id: int, pdf_name: str, pdf_sha256: str):
    """Put an imported past issue in the archive, and nothing more: it was distributed long
    before this system, so nobody is e-mailed. Raises ValidationError for an issue made in
    the system (those go out through ``signed_version_distribute``)."""
    from bulletins.models import IssueSource
    from bulletins.selectors import version_document

    from .services import archive_publish

    version = IssueVersion.objects.select_related("issue").get(pk=version_id)
    if version.issue.source != IssueSource.IMPORTED:
        raise ValidationError(f"{version.issue} 不是导入的往期，须经签发后分发。")
    publication = Publication(
        issue_id=version.issue_id,
        version_id=version.pk,
        document=version_document(version),
        pdf_name=pdf_name,
        edition=version.edition,
        correction_note="",
    )
    return archive_publish(publication=publication, pdf_sha256=pdf_sha256)
