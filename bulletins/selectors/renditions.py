"""The PDFs of an issue's versions and the images they print, for the issue pages."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.http import Http404

from accounts.permissions import can
from core.sanitise import media_path_from_url

from ..models import (
    Issue,
    Rendition,
    RenditionKind,
    RenditionStatus,
)
from ..snapshot import document_from_data
from .issues import access_version

# --- Renditions (the PDFs of versions) -----------------------------------------------------


def issue_renditions(issue: Issue) -> dict:
    """What the issue pages show of the PDFs: the version in view (the current one, else the
    newest), its preview rendition, the signed version's final rendition, and each item's
    page from the preview's page map."""
    version = None
    if issue.content_sha256:
        version = issue.versions.filter(sha256=issue.content_sha256).first()
    if version is None:
        version = issue.versions.order_by("-number").first()
    preview = final = None
    if version is not None:
        preview = Rendition.objects.filter(version=version, kind=RenditionKind.PREVIEW).first()
    if issue.signed_version_id:
        final = (
            Rendition.objects.select_related("version")
            .filter(version_id=issue.signed_version_id, kind=RenditionKind.FINAL)
            .first()
        )
    item_pages = []
    if preview is not None and preview.page_map and version is not None:
        for item in document_from_data(version.document).items:
            item_pages.append((item.toc_label, preview.page_map.get(item.anchor)))
    pending = any(r is not None and r.is_pending for r in (preview, final))
    return {
        "r_version": version,
        "preview": preview,
        "final": final,
        "item_pages": item_pages,
        "pending": pending,
    }


def access_rendition(user, issue: Issue, version_id, kind: str):
    """A done rendition of one of the issue's versions, for a user who may preview the
    issue; 404 otherwise."""
    if not can(user, "issue.preview", issue):
        raise Http404
    version = access_version(user, issue, version_id)
    rendition = Rendition.objects.filter(
        version=version, kind=kind, status=RenditionStatus.DONE
    ).first()
    if rendition is None:
        raise Http404
    return rendition


def version_image_path(user, issue: Issue, version_id, path: str):
    """The file of an image printed in this version, for a user who may see the issue: only
    paths the version's content names, inside MEDIA_ROOT. 404 otherwise."""
    version = access_version(user, issue, version_id)
    path = media_path_from_url(path)
    if path is None:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    named = path and path in json.dumps(version.document, ensure_ascii=False)
    if not named or root not in target.parents or not target.is_file():
        raise Http404
    return target
