"""A line diff for people: what changed between two lists of lines, with a little context
around each change and a gap marker for the unchanged stretches between."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass
class DiffLine:
    tag: str  # "same", "added", "removed", "gap"
    text: str


def lines_diff(a: list[str], b: list[str], *, context: int = 1) -> list[DiffLine]:
    """The lines that changed from ``a`` to ``b``, with ``context`` unchanged lines around
    each change and a ``gap`` line for the unchanged stretches between."""
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
