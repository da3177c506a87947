"""Submission bodies: the media paths they store and the URLs they are shown with.

Stored bodies hold images as paths inside MEDIA_ROOT (``submissions/12/3fa9….jpg``), the
form the bulletin renderer and its URL fetcher accept, so an accepted submission's pictures
print in the issue. A browser cannot fetch such a path (media is private), so pages and
the editor get each image through the permission-checked view of its submission
(``/submissions/<id>/media/<path>``): :func:`for_display` rewrites the paths to those
URLs after cleaning (``core.sanitise.clean_body``), :func:`for_storage` rewrites them back
before storing.
"""

import re

from django.urls import reverse

from core.sanitise import clean_body, image_sources_rewrite

_DISPLAY_PATH = re.compile(r"^/submissions/\d+/media/(submissions/.+)$")


def _stored_path(src: str) -> str | None:
    match = _DISPLAY_PATH.match(src)
    return match[1] if match else None


def for_storage(value: str | None) -> str:
    """A body as it comes back from the editor, its image URLs turned into media paths,
    then cleaned."""
    return clean_body(image_sources_rewrite(value, _stored_path))


def for_display(value: str | None, submission_id: int) -> str:
    """A stored body, cleaned again, its media paths turned into URLs of the submission's
    own image view (which answers 404 for a file that is not this submission's)."""
    prefix = reverse("submissions:media", args=[submission_id, "x"])[:-1]

    def shown(src: str) -> str | None:
        return prefix + src if src.startswith("submissions/") else None

    return image_sources_rewrite(clean_body(value), shown)
