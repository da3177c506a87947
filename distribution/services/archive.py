"""Writes to the archive of published issues."""

from __future__ import annotations

from ..models import ArchiveEntry
from ..publication import Publication, document_from_data, document_to_data
from ..search import document_text, segment_for_index


def archive_publish(*, publication: Publication, pdf_sha256: str) -> ArchiveEntry:
    """Put the issue in the archive, or replace its entry by a later edition."""
    document = publication.document
    masthead = document.masthead
    entry = ArchiveEntry.objects.filter(issue_id=publication.issue_id).first()
    if entry is not None and entry.edition > publication.edition:
        return entry
    values = {
        "version_id": publication.version_id,
        "edition": publication.edition,
        "volume_year": masthead.volume_year,
        "number": masthead.number,
        "cumulative_number": masthead.cumulative_number,
        "issue_line": masthead.issue_line,
        "issued_on": masthead.issued_on,
        "document": document_to_data(document),
        "pdf_name": publication.pdf_name,
        "pdf_sha256": pdf_sha256,
        "search_text": segment_for_index(document_text(document)),
    }
    entry, _ = ArchiveEntry.objects.update_or_create(issue_id=publication.issue_id, defaults=values)
    return entry


def archive_reindex() -> int:
    """Cut every archived issue into terms again (after ``core.segment.DOMAIN_WORDS`` changed)."""
    count = 0
    for entry in ArchiveEntry.objects.only("pk", "document"):
        text = document_text(document_from_data(entry.document))
        ArchiveEntry.objects.filter(pk=entry.pk).update(search_text=segment_for_index(text))
        count += 1
    return count
