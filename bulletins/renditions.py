"""The PDFs of frozen versions (:class:`~bulletins.models.Rendition`): queued when a version
is frozen (preview, 「送审稿」) or signed (final, PDF/A-3b), rendered once by a Celery task,
swept when a message was lost.

::

    queued ──▶ rendering ──▶ done            (the file is in place, pages and page map kept)
      ▲            │  └─────▶ failed + reason (bad content: RenderError, refused images)
      └────────────┘ transient error: back to queued, the task retries with backoff

Only this module writes a rendition's status. A render runs outside any transaction; the
row is locked to claim it and again to record the result, so a repeated task (acks_late,
the sweeper) finds it done and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import hooks
from .models import (
    Approval,
    ApprovalStage,
    Issue,
    IssueSource,
    IssueVersion,
    Rendition,
    RenditionKind,
    RenditionStatus,
)
from .selectors.documents import PREVIEW_WATERMARK, version_document

logger = logging.getLogger(__name__)

# A rendition still queued (or rendering) after this long is sent to the workers again.
STALE_AFTER = timedelta(minutes=10)
# A version younger than this may still have its on_commit message on the way.
GRACE = timedelta(minutes=2)
SWEEP_BATCH = 50

K = RenditionKind
S = RenditionStatus


def rendition_file_name(version: IssueVersion, kind: str) -> str:
    """Where a version's PDF of this kind lives, relative to MEDIA_ROOT (named by the
    content's digest too, so two databases sharing a media folder do not collide)."""
    return (
        f"bulletins/renditions/issue-{version.issue_id}-v{version.number}"
        f"-{version.sha256[:12]}-{kind}.pdf"
    )


# --- Queueing ------------------------------------------------------------------------------


def rendition_queue(*, version_id: int, kind: str) -> Rendition:
    """Make sure the version has a rendition row of this kind and, unless it is done or
    failed, send the task after commit. Safe to call twice."""
    rendition = _get_or_create(version_id, kind)
    if rendition.is_pending:
        transaction.on_commit(lambda: _send(version_id, kind), robust=True)
    return rendition


def _get_or_create(version_id: int, kind: str) -> Rendition:
    try:
        with transaction.atomic():
            rendition, _ = Rendition.objects.get_or_create(version_id=version_id, kind=kind)
    except IntegrityError:  # created at the same moment by another caller
        rendition = Rendition.objects.get(version_id=version_id, kind=kind)
    return rendition


def _send(version_id: int, kind: str) -> None:
    # Imported here: the task module imports this one (its tasks run these renders); the
    # tasks are looked up when a render is queued, after both are loaded.
    from .tasks import render_version, render_version_preview

    if kind == K.PREVIEW:
        render_version_preview.delay(version_id)
    else:
        render_version.delay(version_id, kind)


def issue_final_queue(*, issue: Issue) -> Rendition | None:
    """Queue the final render of the signed version (call in the sign transaction)."""
    if not issue.signed_version_id:
        return None
    return rendition_queue(version_id=issue.signed_version_id, kind=K.FINAL)


# --- Rendering -----------------------------------------------------------------------------


class TransientRenderError(RuntimeError):
    """A render that failed for a reason other than its content; the task retries."""


def rendition_render(*, version_id: int, kind: str) -> Rendition | None:
    """Render the version's PDF of this kind once. Bad content is recorded as failed with
    its reason; any other error puts the row back in the queue and is raised, so the task
    retries with backoff. Returns None when the version no longer exists."""
    if not IssueVersion.objects.filter(pk=version_id).exists():
        return None
    _get_or_create(version_id, kind)
    with transaction.atomic():
        rendition = (
            Rendition.objects.select_for_update()
            .select_related("version__issue")
            .get(version_id=version_id, kind=kind)
        )
        if rendition.status in {S.DONE, S.FAILED}:
            return rendition  # a repeated message: nothing to do
        if rendition.status == S.RENDERING and rendition.updated_at > timezone.now() - STALE_AFTER:
            return rendition  # another worker is on it; the sweeper resends it if it died
        rendition.status = S.RENDERING
        rendition.attempts += 1
        rendition.save(update_fields=["status", "attempts", "updated_at"])
    version = rendition.version

    # Imported here: the rendering package loads WeasyPrint (most of a second), which the
    # web process that only queues renders never needs.
    from .rendering import RenderError, render_pdf
    from .rendering.pdf import write_atomically

    try:
        document = _document(version, kind)
        result = render_pdf(document, pdf_variant=_variant(kind))
    except RenderError as exc:
        return _finish(rendition.pk, status=S.FAILED, reason=str(exc) or "排版失败。")
    except Exception as exc:
        _finish(rendition.pk, status=S.QUEUED, reason=f"暂时无法生成，将自动重试：{exc}"[:500])
        raise TransientRenderError(str(exc)) from exc
    if result.refused_urls:
        names = "、".join(Path(url).name or url for url in result.refused_urls)
        return _finish(
            rendition.pk,
            status=S.FAILED,
            reason=f"以下图片无法读取，未能排入版面：{names}。请在期次中替换或删除这些图片。"[:500],
        )
    name = rendition_file_name(version, kind)
    # Through a temporary file and os.replace: a failed render never leaves half a file.
    write_atomically(Path(settings.MEDIA_ROOT) / name, result.pdf)
    return _finish(rendition.pk, status=S.DONE, result=result, name=name, document=document)


def _document(version: IssueVersion, kind: str):
    doc = version_document(version)
    doc.watermark = PREVIEW_WATERMARK if kind == K.PREVIEW else ""
    return doc


def _variant(kind: str) -> str | None:
    return "pdf/a-3b" if kind == K.FINAL else None


def _finish(rendition_id, *, status, reason="", result=None, name="", document=None) -> Rendition:
    with transaction.atomic():
        rendition = (
            Rendition.objects.select_for_update().select_related("version").get(pk=rendition_id)
        )
        rendition.status = status
        rendition.reason = reason
        fields = ["status", "reason", "updated_at"]
        if status in {S.DONE, S.FAILED}:
            rendition.finished_at = timezone.now()
            fields.append("finished_at")
        if result is not None:
            rendition.pdf.name = name
            rendition.pages = result.pages
            rendition.page_map = result.page_map or {}
            rendition.sha256 = result.sha256
            fields += ["pdf", "pages", "page_map", "sha256"]
        rendition.save(update_fields=fields)
        if result is not None:
            _record_on_version(rendition, document)
    return rendition


def _record_on_version(rendition: Rendition, document) -> None:
    """Copy the figures where the pages already read them: the version's page count and
    page map (the preview), the signature's PDF digest (the final); then hand a final PDF
    on (``hooks.final_pdf_stored``) with the document it was rendered from."""
    version = (
        IssueVersion.objects.select_for_update(of=("self",))
        .select_related("issue")
        .get(pk=rendition.version_id)
    )
    if rendition.kind == K.PREVIEW:
        version.pages = rendition.pages
        version.page_map = rendition.page_map
        version.pdf_sha256 = rendition.sha256
        version.save(update_fields=["pages", "page_map", "pdf_sha256"])
        return
    # A past issue imported from its text has no signature here; it goes to the archive
    # with its PDF and nobody is e-mailed.
    imported = version.issue.source == IssueSource.IMPORTED
    actor = None
    if not imported:
        signature = (
            Approval.objects.select_for_update()
            .filter(version=version, stage=ApprovalStage.SIGN, voided_at__isnull=True)
            .select_related("actor")
            .first()
        )
        if signature is None:  # the signature was voided while the final rendered
            return
        signature.pdf_sha256 = rendition.sha256
        signature.save(update_fields=["pdf_sha256"])
        actor = signature.actor
    # The final PDF exists: publish and deliver it (idempotent per version; the fan-out is
    # queued on commit of this same transaction).
    hooks.final_pdf_stored(
        final=hooks.FinalPdf(
            version_id=version.pk,
            issue_id=version.issue_id,
            edition=version.edition,
            document=document,
            pdf_name=rendition.pdf.name,
            pdf_sha256=rendition.sha256,
            imported=imported,
            actor=actor,
        )
    )


# --- Sweeper -------------------------------------------------------------------------------


def renditions_sweep(*, now=None) -> list[tuple[int, str]]:
    """Send again what should be rendered and is not: versions without a preview row,
    signed versions without a final row, and rows queued or rendering for too long.
    Idempotent: a rendition already done is never sent. Returns what was sent."""
    now = now or timezone.now()
    wanted: list[tuple[int, str]] = []
    missing_preview = (
        IssueVersion.objects.filter(created_at__lt=now - GRACE)
        .exclude(renditions__kind=K.PREVIEW)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    wanted += [(pk, K.PREVIEW) for pk in missing_preview]
    signed = (
        Issue.objects.filter(signed_version__isnull=False)
        .exclude(signed_version__renditions__kind=K.FINAL)
        .values_list("signed_version_id", flat=True)[:SWEEP_BATCH]
    )
    wanted += [(pk, K.FINAL) for pk in signed]
    stale = Rendition.objects.filter(
        status__in=[S.QUEUED, S.RENDERING], updated_at__lt=now - STALE_AFTER
    ).values_list("version_id", "kind")[:SWEEP_BATCH]
    wanted += list(stale)
    sent = []
    for version_id, kind in dict.fromkeys(wanted):
        with transaction.atomic():
            # A render "rendering" for longer than STALE_AFTER (well above the task's time
            # limit) lost its worker: back to queued, or the task sent now would take it
            # for a live render (the row is fresh again) and leave it, for ever.
            Rendition.objects.filter(
                version_id=version_id,
                kind=kind,
                status=S.RENDERING,
                updated_at__lt=now - STALE_AFTER,
            ).update(status=S.QUEUED, reason="生成过程中断（后台任务进程停止），已重新排队。")
            rendition = rendition_queue(version_id=version_id, kind=kind)
            if rendition.is_pending:
                Rendition.objects.filter(pk=rendition.pk).update(updated_at=now)
                sent.append((version_id, kind))
    if sent:
        logger.info("renditions sweep re-queued %s", sent)
    return sent
