"""Item bodies as HTML: paragraphs, sub-headings and tables, sanitised.

``bulletins.sanitise.sanitise_html`` is the project's sanitiser; it is written beside this
package by another branch. Until it is merged, the same nh3 call with the tags an imported
body can contain stands in for it (the renderer sanitises again before printing).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import nh3

IMPORT_TAGS = {"p", "h4", "strong", "table", "thead", "tbody", "tr", "th", "td"}

try:
    from bulletins.sanitise import sanitise_html
except ImportError:  # bulletins.sanitise is not merged yet: the same call, locally

    def sanitise_html(value: str) -> str:
        return nh3.clean(value, tags=IMPORT_TAGS, attributes={})


@dataclass
class Part:
    """One piece of an item's body."""

    kind: str  # "p", "h4" or "table"
    text: str = ""  # plain text of a paragraph or sub-heading
    html: str = ""  # inline HTML of a paragraph (escaped text, <strong>)
    rows: list[list[str]] | None = None
    header: bool = True  # the table's first row is its header

    def render(self) -> str:
        if self.kind == "table":
            return _table(self.rows or [], header=self.header)
        inner = self.html or html.escape(self.text, quote=False)
        return f"<{self.kind}>{inner}</{self.kind}>"


def render_body(parts: list[Part]) -> str:
    return sanitise_html("".join(part.render() for part in parts))


def _table(rows: list[list[str]], *, header: bool) -> str:
    width = max((len(row) for row in rows), default=0)

    def cells(row, tag):
        padded = row + [""] * (width - len(row))
        return "".join(f"<{tag}>{html.escape(c, quote=False)}</{tag}>" for c in padded)

    out = ["<table>"]
    body = rows
    if header and rows:
        out.append(f"<thead><tr>{cells(rows[0], 'th')}</tr></thead>")
        body = rows[1:]
    out.append("<tbody>")
    out += [f"<tr>{cells(row, 'td')}</tr>" for row in body]
    out.append("</tbody></table>")
    return "".join(out)
