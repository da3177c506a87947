"""The canonical form of an :class:`~bulletins.document.IssueDocument`: plain data, JSON
bytes and their SHA-256.

An approval binds to this hash. Only what is printed from the issue's own content goes in:
the names of the people who approved it (end matter), the preview watermark and the version
label are left empty, because they are filled in *from* the approvals (an approval cannot
change the content it approves).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import date

from .document import (
    EndMatter,
    FreeBlockDoc,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)

FORMAT = 1  # bump when the shape of the data changes; stored with every version


def document_to_data(doc: IssueDocument) -> dict:
    data = asdict(doc)
    data["masthead"]["issued_on"] = doc.masthead.issued_on.isoformat()
    data["format"] = FORMAT
    return data


def document_from_data(data: dict) -> IssueDocument:
    masthead = dict(data["masthead"])
    masthead["issued_on"] = date.fromisoformat(masthead["issued_on"])
    return IssueDocument(
        masthead=Masthead(**masthead),
        sections=[
            SectionDoc(
                title=s["title"],
                anchor=s.get("anchor", ""),
                items=[ItemDoc(**item) for item in s["items"]],
            )
            for s in data["sections"]
        ],
        end_matter=EndMatter(**data.get("end_matter", {})),
        free_blocks=[FreeBlockDoc(**block) for block in data.get("free_blocks", [])],
        watermark=data.get("watermark", ""),
        version_label=data.get("version_label", ""),
    )


def content_of(doc: IssueDocument) -> IssueDocument:
    """The document without what the approvals fill in (see the module docstring)."""
    end = replace(doc.end_matter, editor="", reviewer="", signer="")
    return replace(doc, end_matter=end, watermark="", version_label="")


def canonical_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def content_sha256(doc: IssueDocument) -> tuple[str, dict]:
    """The SHA-256 of the document's canonical content, and that content as data."""
    data = document_to_data(content_of(doc))
    return hashlib.sha256(canonical_json(data)).hexdigest(), data
