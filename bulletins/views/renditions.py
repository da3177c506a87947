"""Pages of the PDFs and the web edition of versions: the state fragment the issue pages
poll, the permission-checked downloads, the web edition and its images."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ..models import RenditionKind
from ..selectors import renditions as rendition_reads
from ..selectors.documents import version_document
from ..selectors.history import latest_pages
from ..selectors.issues import access_issue, access_version
from ..selectors.renditions import access_rendition, version_image_path


@login_required
def issue_renditions(request, issue_id):
    """The PDF state of the issue (HTMX fragment; it polls itself every 2 s while a render
    is queued or running). It re-sends the header's page count out of band, which changes
    when a preview render finishes; with ``?pages=1`` (the assembly page) the page-count
    panel too."""
    issue = access_issue(request.user, issue_id)
    context = {
        "issue": issue,
        **rendition_reads.issue_renditions(issue),
        "oob_pages": True,
        "with_pages": request.GET.get("pages") == "1",
        "pages_version": latest_pages(issue),
    }
    return render(request, "bulletins/_renditions.html", context)


@login_required
def rendition_pdf(request, issue_id, version_id, kind):
    """The PDF of one version: the preview (「送审稿」) that the reviewer and signer approve,
    or the final of the signed version."""
    if kind not in RenditionKind.values:
        raise Http404
    issue = access_issue(request.user, issue_id)
    rendition = access_rendition(request.user, issue, version_id, kind)
    label = "预览" if kind == RenditionKind.PREVIEW else "正式版"
    name = f"简报{issue.volume_year}年第{issue.number}期-{rendition.version.label}-{label}.pdf"
    try:
        handle = rendition.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("inline") == "1"
    return FileResponse(handle, as_attachment=not inline, filename=name)


@login_required
def version_web(request, issue_id, version_id):
    """The web edition of one version, its images served through :func:`version_image`."""
    # Imported here: WeasyPrint takes most of a second to import, and the URL configuration
    # (which imports this module in every process) should not pay for it.
    from ..rendering import render_web_edition

    issue = access_issue(request.user, issue_id)
    version = access_version(request.user, issue, version_id)

    def image_url(path: str) -> str:
        return reverse("bulletins:version_image", args=[issue.pk, version.pk, path])

    html = render_web_edition(version_document(version), image_url=image_url)
    return HttpResponse(html)


@login_required
def version_image(request, issue_id, version_id, path):
    issue = access_issue(request.user, issue_id)
    target = version_image_path(request.user, issue, version_id, path)
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return FileResponse(target.open("rb"), content_type=content_type)
