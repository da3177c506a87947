"""The seam between the issue pipeline and distribution.

Distribution needs, for one signed and rendered version of an issue: the ids of the issue
and the version, its content (an ``IssueDocument``, for the subject, the 本期导读 in the
e-mail body, the archive's web edition and search text) and the final PDF (a name in the
default storage, under MEDIA_ROOT, written by the render job).

The render job (``bulletins.renditions``) calls the hook ``distribution.pipeline``
registers (``bulletins.hooks.register_final_pdf``) once the final PDF of a signed version
exists, passing the document it rendered; the pipeline builds the ``Publication``. Nothing here imports
the issue models; the document's plain-data form is the one ``bulletins.snapshot`` defines.
"""

from __future__ import annotations

from dataclasses import dataclass

from bulletins.document import IssueDocument
from bulletins.snapshot import document_from_data, document_to_data

__all__ = ["Publication", "document_from_data", "document_to_data", "toc_of"]


@dataclass(frozen=True)
class Publication:
    issue_id: int
    version_id: int
    document: IssueDocument
    pdf_name: str  # the final PDF, a name in ``default_storage``
    edition: int = 1  # 1 = the original; 2, 3… = corrected versions
    correction_note: str = ""  # what was corrected, printed in the correction notice


def toc_of(document: IssueDocument) -> list[dict]:
    """本期导读 as plain data: ``[{"title": 栏目, "items": [导读标题…]}]``."""
    return [
        {"title": section.title, "items": [item.toc_label for item in section.items]}
        for section in document.sections
        if section.items
    ]
