"""Chinese full-text search over the archive.

Chinese has no spaces between words, so the text is cut into terms with jieba and stored
as ``search_text``: the terms separated (and surrounded) by single spaces.

- The document is cut with ``cut_for_search`` (the words and the shorter words inside
  them: 「碳中和」 gives 「中和」 and 「碳中和」); the query with ``cut`` (the words only), so
  every query term is one of the document's terms.
- On PostgreSQL the terms go through ``to_tsvector('simple', …)`` with a GIN index on
  that expression (migration 0002); the 'simple' configuration keeps the terms as they are.
- On SQLite (and any other database) each query term must occur as a whole term:
  ``search_text LIKE '% term %'``.

All query terms must match (AND). The words come from ``core.segment``, the one owner of
jieba's dictionary and of the domain words it lacks (「碳中和」), so the archive cuts text as
the submissions' duplicate check does.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import QuerySet

from bulletins.document import IssueDocument
from core import segment
from core.sanitise import image_sources, media_relative_path
from core.text import html_index_text

_TERM = re.compile(r"\w")  # a term worth indexing has a letter or digit in it
MAX_QUERY_TERMS = 12


def _terms(tokens) -> list[str]:
    return [token.strip().lower() for token in tokens if _TERM.search(token)]


def document_text(document: IssueDocument) -> str:
    """Everything a reader might search for: titles, bodies, attributions, blocks."""
    parts = [document.masthead.issue_line]
    for section in document.sections:
        parts.append(section.title)
        for item in section.items:
            parts += [item.title, item.toc_title, html_index_text(item.body_html), item.attribution]
    for block in document.free_blocks:
        parts += [block.title, html_index_text(block.body_html)]
    return "\n".join(part for part in parts if part)


def segment_for_index(text: str) -> str:
    terms = _terms(segment.cut_for_search(text))
    return f" {' '.join(terms)} " if terms else ""


def query_terms(query: str) -> list[str]:
    """The distinct terms of a search box entry, in order, at most ``MAX_QUERY_TERMS``.

    A lone Chinese character between longer words is left out: it is mostly what jieba
    leaves over at a word it does not know and depends on the context (「消防救援局」 →
    「消防」「救援」「局」, while the text has 「局局长」). A run of single characters (a word
    jieba cuts into characters, 「钒钛」 → 「钒」「钛」) is kept: the text is cut the same way.
    """
    tokens = _terms(segment.cut(query))

    def lone(index: int) -> bool:
        def single(i):
            return 0 <= i < len(tokens) and len(tokens[i]) == 1 and not tokens[i].isascii()

        return single(index) and not single(index - 1) and not single(index + 1)

    kept = [token for index, token in enumerate(tokens) if not lone(index)] or tokens
    return list(dict.fromkeys(kept))[:MAX_QUERY_TERMS]


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` (of ArchiveEntry) narrowed to entries containing every term of
    ``query``. An empty query (or one without words) returns no entries."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if uses_postgres_search():
        # The same expression as the GIN index, so the planner can use it.
        vector = SearchVector("search_text", config="simple")
        return queryset.annotate(search_vector=vector).filter(
            search_vector=SearchQuery(" ".join(terms), config="simple", search_type="plain")
        )
    for term in terms:
        queryset = queryset.filter(search_text__contains=f" {term} ")
    return queryset


def matching_items(document_data: dict, terms: list[str], *, limit: int = 5) -> list[str]:
    """Titles of the items of an archived document whose text contains any of ``terms``,
    to show under a search result."""
    found = []
    for section in document_data.get("sections", []):
        for item in section.get("items", []):
            text = f"{item.get('title', '')} {html_index_text(item.get('body_html', ''))}".lower()
            if any(term in text for term in terms):
                found.append(item.get("toc_title") or item.get("title", ""))
                if len(found) == limit:
                    return found
    return found


def image_paths(document_data: dict) -> set[str]:
    """The images (paths inside MEDIA_ROOT) that an archived document shows."""
    bodies = [
        item.get("body_html", "")
        for section in document_data.get("sections", [])
        for item in section.get("items", [])
    ] + [block.get("body_html", "") for block in document_data.get("free_blocks", [])]
    paths = set()
    for body in bodies:
        for src in image_sources(body):
            path = media_relative_path(src)
            if path:
                paths.add(path)
    return paths
