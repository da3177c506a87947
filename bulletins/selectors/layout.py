"""The assembly page (组版): sections with their items, the submissions that may be placed,
and where the page's images come from."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from core.sanitise import image_sources
from submissions.models import Submission

from ..models import (
    Comment,
    Issue,
    IssueVersion,
    Item,
    Section,
)
from .documents import item_attribution

# --- Assembly page -------------------------------------------------------------------------


def assembly_sections(issue: Issue) -> list[Section]:
    """Sections with their items, each item with its alliance, submission and comments,
    and the attribution line it will print with (``printed_attribution``)."""
    sections = list(
        issue.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("alliance", "submission")
                .prefetch_related(
                    Prefetch("comments", queryset=Comment.objects.select_related("author"))
                )
                .order_by("position", "pk"),
            )
        )
    )
    for section in sections:
        for item in section.items.all():
            item.printed_attribution = item_attribution(item, section.title)
    return sections


def placeable_submissions(issue: Issue):
    """Accepted submissions that are not placed in any issue yet, newest first."""
    return (
        Submission.objects.filter(status=Submission.Status.ACCEPTED, bulletin_items__isnull=True)
        .select_related("alliance")
        .order_by("-decided_at", "-pk")
    )


def page_image_url(issue: Issue, version: IssueVersion | None = None):
    """How the issue page shows an image of a body (a path inside MEDIA_ROOT): through the
    version's image view when the page shows a frozen version, else through the image view
    of the submission whose item holds it (a working copy's images come from submissions).
    An image no view would serve gets an empty ``src``."""
    if version is not None:
        return lambda path: reverse("bulletins:version_image", args=[issue.pk, version.pk, path])
    owners: dict[str, int] = {}
    for submission_id, body in issue.items.exclude(submission=None).values_list(
        "submission_id", "body_html"
    ):
        for path in image_sources(body):
            owners.setdefault(path, submission_id)

    def image_url(path: str) -> str:
        owner = owners.get(path)
        return reverse("submissions:media", args=[owner, path]) if owner else ""

    return image_url
