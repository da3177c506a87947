"""The bodies of an issue's items and free blocks: the pictures they may show.

An item or a free block may show only pictures that reached the issue with a submission
placed in it (an item's own submission is one of them): the renderer prints every media
path a body names and the web edition serves it, so a path naming another alliance's draft
picture must not survive a save. Written by the services (``for_issue``); the views use
``foreign_images_note`` to tell the editor what was dropped.
"""

from core.sanitise import clean_body
from submissions.bodies import foreign_images_note as foreign_images_note_text
from submissions.bodies import images_of, own_images, stored

from .models import Item


def issue_images(issue_id: int) -> frozenset[str]:
    """The media paths of the pictures of the submissions placed in the issue."""
    placed = Item.objects.filter(issue_id=issue_id, submission__isnull=False)
    return images_of(placed.values("submission_id"))


def for_issue(issue_id: int, body_html: str) -> str:
    """``body_html`` sanitised for an item or free block of the issue, pictures from
    elsewhere dropped (and with them the ``<img>``)."""
    images = issue_images(issue_id)
    return clean_body(body_html, keep_image=images.__contains__)


def of_submission(submission_id: int, body_html: str) -> str:
    """A placed submission's body as its item's: its own pictures only (a body stored
    before pictures were checked may name others)."""
    return clean_body(body_html, keep_image=own_images(submission_id).__contains__)


def foreign_images_note(issue_id: int, body_html: str) -> str:
    """What to tell the editor when :func:`for_issue` drops pictures from ``body_html``
    ("" when it drops none)."""
    dropped = stored(body_html, images=issue_images(issue_id))[1]
    return foreign_images_note_text(len(dropped), owner="本期已编入的投稿") if dropped else ""
