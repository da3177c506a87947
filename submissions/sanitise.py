"""Submission bodies around the project's one allow-list (``bulletins.sanitise``).

Stored bodies hold images as paths inside MEDIA_ROOT (``submissions/12/3fa9….jpg``), the
form the bulletin renderer and its URL fetcher accept, so an accepted submission's pictures
print in the issue. A browser cannot fetch such a path (media is private), so pages and
the editor get each image through the permission-checked view of its submission
(``/submissions/<id>/media/<path>``): :func:`for_display` rewrites the paths to those
URLs after sanitising, :func:`for_storage` rewrites them back before storing.
"""

import html as html_lib
import re

from django.urls import reverse

from bulletins.sanitise import sanitise_html

_EMPTY = re.compile(r"^(?:\s|<p>\s*(?:<br\s*/?>)?\s*</p>)*$")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
# An image whose source the allow-list refused is a broken image: drop it altogether.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_MEDIA_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")(submissions/[^"]+)(")')
_DISPLAY_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")/submissions/\d+/media/(submissions/[^"]+)(")')


def clean_body(value: str | None) -> str:
    """The allow-listed body; empty paragraphs are dropped and nothing but them is ""."""
    cleaned = _IMG_WITHOUT_SRC.sub("", sanitise_html(value or ""))
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


def for_storage(value: str | None) -> str:
    """A body as it comes back from the editor, its image URLs turned into media paths,
    then cleaned."""
    return clean_body(_DISPLAY_SRC.sub(r"\1\2\3", value or ""))


def for_display(value: str | None, submission_id: int) -> str:
    """A stored body, cleaned again, its media paths turned into URLs of the submission's
    own image view (which answers 404 for a file that is not this submission's)."""
    prefix = reverse("submissions:media", args=[submission_id, "x"])[:-1]
    return _MEDIA_SRC.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", clean_body(value))


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|blockquote|figcaption)>|<br\s*/?>", re.I)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str:
    """Plain text of (sanitised) HTML: one line per block, for search, diffs and e-mails."""
    text = _BLOCK_END.sub("\n", value or "")
    text = _CELL_END.sub("\t", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
