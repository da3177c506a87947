"""The one spelling of a body: what the rich-text editor writes back, so that a body loaded
into the editor and saved unchanged is stored unchanged.

ProseMirror (django-prose-editor) re-spells what it loads: ``<b>``/``<i>`` become
``<strong>``/``<em>`` and neighbouring marks of a kind merge; a list item's or a table
cell's text is wrapped in ``<p>``; a quote's text too; and a table's header rows are moved
into its ``<tbody>`` as rows of ``<th>`` (it has no ``<thead>``), which loses the header
that the print repeats on every page. :func:`canonical` spells a sanitised body the way
the editor's output maps back to:

- ``<b>`` → ``<strong>``, ``<i>`` → ``<em>``, ``</strong><strong>`` (and the other marks)
  joined;
- a list item's leading paragraph and a cell's only paragraph unwrapped (the print indents
  every ``<p>`` by 2em, which a list item or a cell must not be);
- a quote's bare text wrapped in a paragraph;
- a paragraph holding only a picture unwrapped (the editor's pictures are blocks of their
  own: it splits such a paragraph into an empty one and the picture);
- a table without ``<thead>`` whose first rows are all ``<th>`` gets them as its
  ``<thead>`` (when at least one body row remains);
- whitespace between block tags dropped (the editor drops it).

It works on nh3's output (well-formed, attributes double-quoted), and its own output goes
through nh3 again (``core.sanitise``), so a regex slip can misplace a tag but never let
one through. Pure: writes and raises nothing.
"""

import re

_BLOCK = r"(?:p|h3|h4|h5|ul|ol|li|blockquote|table|thead|tbody|tr|th|td)"
_BETWEEN_BLOCKS = re.compile(rf"(</?{_BLOCK}\b[^>]*>)\s+(?=</?{_BLOCK}\b)")
_B_I = re.compile(r"<(/?)(b|i)>")
_JOINED_MARKS = re.compile(r"</(strong|em|u|s|sub|sup)><\1>")
# Inline content: anything without a block tag in it.
_INLINE = rf"(?:(?!</?{_BLOCK}\b)[^<]|<(?!/?{_BLOCK}\b))*"
_CELL_PARAGRAPH = re.compile(rf"<(td|th)((?: [^>]*)?)><p>({_INLINE})</p></\1>")
_ITEM_PARAGRAPH = re.compile(rf"<li><p>({_INLINE})</p>(?=</li>|<ul>|<ol>)")
_QUOTE_TEXT = re.compile(rf"<blockquote>((?!<)(?:{_INLINE}))</blockquote>")
_PICTURE_PARAGRAPH = re.compile(r"<p>(<img\b[^>]*>)</p>")
_HEADER_ROW = r"<tr>(?:<th\b[^>]*>(?:(?!</?t[rdh]\b).)*?</th>)+</tr>"
_TABLE_HEAD = re.compile(rf"<table><tbody>((?:{_HEADER_ROW})+)(?=<tr>)", re.S)


def canonical(html: str) -> str:
    """``html`` (nh3's output) spelt the way the editor's output of it is stored."""
    if not html:
        return html
    html = _BETWEEN_BLOCKS.sub(r"\1", html)
    html = _B_I.sub(lambda m: f"<{m[1]}{'strong' if m[2] == 'b' else 'em'}>", html)
    html = _JOINED_MARKS.sub("", html)
    html = _CELL_PARAGRAPH.sub(r"<\1\2>\3</\1>", html)
    html = _ITEM_PARAGRAPH.sub(r"<li>\1", html)
    html = _PICTURE_PARAGRAPH.sub(r"\1", html)
    html = _QUOTE_TEXT.sub(r"<blockquote><p>\1</p></blockquote>", html)
    return _TABLE_HEAD.sub(r"<table><thead>\1</thead><tbody>", html)
