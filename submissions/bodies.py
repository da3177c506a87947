"""Submission bodies: the media paths they store, the pictures they may show and the URLs
they are shown with.

Stored bodies hold images as paths inside MEDIA_ROOT (``submissions/12/3fa9….jpg``), the
form the bulletin renderer and its URL fetcher accept, so an accepted submission's pictures
print in the issue. A browser cannot fetch such a path (media is private), so pages and
the editor get each image through the permission-checked view of its submission
(``/submissions/<id>/media/<path>``): :func:`for_display` rewrites the paths to those
URLs after cleaning (``core.sanitise.clean_body``), :func:`for_storage` rewrites them back
before storing.

A body may show only pictures it owns: a submission's body the pictures uploaded with that
submission (:func:`own_images`); an item's or a free block's those of the submissions
placed in its issue (``bulletins.bodies``). Any other media path — another alliance's draft
picture, say — is dropped when the body is stored (the renderer would print it and the web
edition serve it); :func:`stored` names them for the note shown to the user.
"""

import re
from collections.abc import Collection

from django.urls import reverse

from core.sanitise import clean_body, image_sources_rewrite

from .models import SubmissionFile

_DISPLAY_PATH = re.compile(r"^/submissions/\d+/media/(submissions/.+)$")


def _stored_path(src: str) -> str | None:
    match = _DISPLAY_PATH.match(src)
    return match[1] if match else None


def images_of(submission_ids) -> frozenset[str]:
    """The media paths of the pictures uploaded with these submissions (a queryset or a
    list of ids)."""
    return frozenset(
        SubmissionFile.objects.filter(
            submission__in=submission_ids, kind=SubmissionFile.Kind.IMAGE
        ).values_list("file", flat=True)
    )


def own_images(submission_id: int | None) -> frozenset[str]:
    """The pictures a submission's body may show: its own (none before it is saved)."""
    return images_of([submission_id]) if submission_id else frozenset()


def stored(value: str | None, *, images: Collection[str] | None) -> tuple[str, list[str]]:
    """A body as it comes back from the editor, its image URLs turned into media paths,
    then cleaned, with its pictures whose path is not in ``images`` dropped (``None``: any
    media path — only for a form that compares, never for what is stored). Returns the
    body and the paths dropped (for the note to the user)."""
    dropped: list[str] = []

    def keep(path: str) -> bool:
        if images is None or path in images:
            return True
        if path not in dropped:
            dropped.append(path)
        return False

    html = clean_body(image_sources_rewrite(value, _stored_path), keep_image=keep)
    return html, dropped


def for_storage(value: str | None, *, images: Collection[str] | None) -> str:
    """:func:`stored`'s body."""
    return stored(value, images=images)[0]


def foreign_images_note(count: int, *, owner: str) -> str:
    return (
        f"正文中有 {count} 张图片不是{owner}上传的（可能是从别处复制来的图片地址），"
        "已移除。如需使用，请在本页上传图片。"
    )


def for_display(value: str | None, submission_id: int) -> str:
    """A stored body, cleaned again, its media paths turned into URLs of the submission's
    own image view (which answers 404 for a file that is not this submission's)."""
    prefix = reverse("submissions:media", args=[submission_id, "x"])[:-1]

    def shown(src: str) -> str | None:
        return prefix + src if src.startswith("submissions/") else None

    return image_sources_rewrite(clean_body(value), shown)
