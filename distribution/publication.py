"""The seam between the issue pipeline and distribution.

Distribution needs, for one signed and rendered version of an issue: the ids of the issue
and the version, its content (an ``IssueDocument``, for the subject, the 本期导读 in the
e-mail body, the archive's web edition and search text) and the final PDF (a name in the
default storage, under MEDIA_ROOT, written by the render job).

The render job (branch ``render``) builds a ``Publication`` once the final PDF of a signed
version exists and calls ``distribution.services.publication_distribute`` in
``transaction.on_commit``. Nothing here imports the issue models.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from bulletins.document import (
    EndMatter,
    FreeBlockDoc,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)


@dataclass(frozen=True)
class Publication:
    issue_id: int
    version_id: int
    document: IssueDocument
    pdf_name: str  # the final PDF, a name in ``default_storage``
    edition: int = 1  # 1 = the original; 2, 3… = corrected versions
    correction_note: str = ""  # what was corrected, printed in the correction notice


def document_to_data(document: IssueDocument) -> dict:
    data = dataclasses.asdict(document)
    data["masthead"]["issued_on"] = document.masthead.issued_on.isoformat()
    return data


def document_from_data(data: dict) -> IssueDocument:
    masthead = dict(data["masthead"])
    masthead["issued_on"] = date.fromisoformat(masthead["issued_on"])
    return IssueDocument(
        masthead=Masthead(**masthead),
        sections=[
            SectionDoc(
                title=section["title"],
                anchor=section.get("anchor", ""),
                items=[ItemDoc(**item) for item in section["items"]],
            )
            for section in data["sections"]
        ],
        end_matter=EndMatter(**data.get("end_matter", {})),
        free_blocks=[FreeBlockDoc(**block) for block in data.get("free_blocks", [])],
        watermark=data.get("watermark", ""),
        version_label=data.get("version_label", ""),
    )


def toc_of(document: IssueDocument) -> list[dict]:
    """本期导读 as plain data: ``[{"title": 栏目, "items": [导读标题…]}]``."""
    return [
        {"title": section.title, "items": [item.toc_label for item in section.items]}
        for section in document.sections
        if section.items
    ]
