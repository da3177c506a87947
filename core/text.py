"""Text helpers: what a typed line may hold (``visible_text``), the plain text of sanitised
HTML, and, on the words of :mod:`core.segment`, search terms and the fingerprints of the
duplicate check. Nothing here touches the database."""

import hashlib
import html as html_lib
import re
import unicodedata

import nh3

from . import segment

# Words too common to narrow a search (a query of only these searches for nothing).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "是",
        "对",
        "等",
        "为",
        "将",
        "把",
        "被",
        "也",
        "又",
        "或",
        "并",
        "就",
        "都",
        "而",
        "之",
        "其",
        "由",
        "从",
        "向",
        "于",
    ]
)
_WORD = re.compile(r"\w", re.UNICODE)

# Characters nobody can see or that change how the rest reads: Cc controls (NUL and the
# other C0/C1 controls), Cf format characters (zero-width U+200B–U+200F, bidi embeddings
# and overrides U+202A–U+202E, isolates U+2066–U+2069, the BOM U+FEFF…: U+202E makes
# "gpj.exe" read as "exe.jpg"), lone surrogates and the line/paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def visible_text(text: str | None, *, multiline: bool = False, also=frozenset()) -> str:
    """``text`` without invisible and direction-changing characters (``INVISIBLE_CATEGORIES``
    plus the categories in ``also``), surrounding space stripped; a control that is
    white space (tab, line break) becomes a space. With ``multiline`` (a comment, a
    note), tab and newline stay and a CR-LF becomes a newline. A text of only
    such characters becomes "", so a required field refuses it as empty. Used for every
    title and comment and for the display names of uploaded files."""
    text = text or ""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    hidden = INVISIBLE_CATEGORIES | also
    kept = "\t\n" if multiline else ""
    out = []
    for ch in text:
        if ch in kept or unicodedata.category(ch) not in hidden:
            out.append(ch)
        elif ch.isspace():  # a tab or line break in a one-line title separates words
            out.append(" ")
    return "".join(out).strip()


SKETCH_SIZE = 128  # hashes kept per text (bottom-k sketch)
SHINGLE = 3  # consecutive terms per shingle


def words(text: str) -> list[str]:
    """The terms of ``text`` in order, without punctuation and spaces, lower-cased."""
    return [w.lower() for w in segment.cut(text) if _WORD.search(w)]


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The terms a keyword query is cut into; a row matches when it contains every one.

    「化纤联盟年会」 -> ["化纤", "联盟", "年会"]. Stop words are dropped unless the query is
    nothing else; duplicates are dropped; at most ``limit`` terms.
    """
    query = (query or "").strip()[:100]
    terms = []
    for term in _merge_single_characters(words(query)):
        if term not in terms:
            terms.append(term)
    meaningful = [t for t in terms if t not in STOPWORDS]
    return (meaningful or terms)[:limit]


def _merge_single_characters(tokens: list[str]) -> list[str]:
    """「年」「会」 -> 「年会」: jieba sometimes splits an unknown word into characters; the user
    typed them together, so they are looked for together (a single character alone matches
    almost everything)."""
    out: list[str] = []
    run = ""
    for token in [*tokens, ""]:
        if len(token) == 1 and token not in STOPWORDS and not token.isascii():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        if token:
            out.append(token)
    return out


def sketch(text: str) -> list[int]:
    """A bottom-k sketch (the ``SKETCH_SIZE`` smallest hashes) of the text's term shingles."""
    terms = words(text)
    if not terms:
        return []
    size = min(SHINGLE, len(terms))
    shingles = {"\x1f".join(terms[i : i + size]) for i in range(len(terms) - size + 1)}
    hashes = {
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles
    }
    return sorted(hashes)[:SKETCH_SIZE]


def sketch_dump(values: list[int]) -> str:
    return " ".join(f"{v:x}" for v in values)


def sketch_load(value: str) -> list[int]:
    return [int(part, 16) for part in (value or "").split()]


def sketch_similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets, from their sketches."""
    if not a or not b:
        return 0.0
    union_smallest = sorted(set(a) | set(b))[:SKETCH_SIZE]
    sa, sb = set(a), set(b)
    both = sum(1 for h in union_smallest if h in sa and h in sb)
    return both / len(union_smallest)


# --- plain text of sanitised HTML ---------------------------------------------------------
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|blockquote|table|figcaption)>|<br\s*/?>", re.I)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")
_INDEX_BLOCK_END = re.compile(r"<(?:/p|br\s*/?|/h\d|/li|/td|/th|/tr)>")


def html_lines(value: str | None, *, cell_separator: str = "\t") -> list[str]:
    """The non-empty lines of text of (sanitised) HTML, one per block; a table row is one
    line, its cells joined by ``cell_separator``."""
    text = _CELL_END.sub(cell_separator, value or "")
    text = _BLOCK_END.sub("\n", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line]


def html_to_text(value: str | None) -> str:
    """Plain text of (sanitised) HTML: one line per block, for search, diffs and e-mails."""
    return "\n".join(html_lines(value))


def html_index_text(html: str | None) -> str:
    """The text of sanitised HTML for a search index: block boundaries kept as spaces."""
    spaced = _INDEX_BLOCK_END.sub(" \n", html or "")
    return nh3.clean(spaced, tags=set()).replace("&nbsp;", " ")


def has_content(html: str | None) -> bool:
    """Whether a body shows anything: text other than spaces, or an image."""
    return bool(re.sub(r"<[^>]+>|&nbsp;|\s", "", html or "")) or "<img" in (html or "")
