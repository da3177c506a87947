"""Item bodies as HTML: paragraphs, sub-headings and tables, sanitised with the project's
one allow-list (``core.sanitise``; the renderer sanitises again before printing)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from core.sanitise import sanitise_html


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
