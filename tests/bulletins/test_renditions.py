"""The PDF renditions of versions: rendered once, failures recorded, files written
atomically, queued on commit, swept when lost."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bulletins import rendering, renditions
from bulletins.models import (
    Approval,
    ApprovalStage,
    Issue,
    Rendition,
    RenditionKind,
    RenditionStatus,
)
from bulletins.rendering import RenderError, RenderResult
from tests.bulletins.test_workflow import act, ready_issue
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db

K = RenditionKind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fake_render(monkeypatch):
    """render_pdf replaced by a fast fake that records what it was asked to render."""
    calls = []

    def render_pdf(document, *, pdf_variant=None):
        calls.append((document, pdf_variant))
        if fake_render.error:
            raise fake_render.error
        return RenderResult(
            pdf=b"%PDF-1.7 fake " + str(len(calls)).encode(),
            pages=14,
            sha256=f"{len(calls):064d}",
            page_map={item.anchor: 2 for item in document.items},
            refused_urls=list(fake_render.refused),
        )

    fake_render.error = None
    fake_render.refused = []
    fake_render.calls = calls
    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    return fake_render


@pytest.fixture
def no_send(monkeypatch):
    sent = []
    monkeypatch.setattr(
        renditions, "_send", lambda version_id, kind: sent.append((version_id, kind))
    )
    return sent


def submitted(editor, no_send):
    issue = ready_issue(editor)
    event = act(issue, "submit", editor)
    return issue, event.version


def test_render_twice_renders_once_one_file_one_row(editor, fake_render, no_send, media):
    _, version = submitted(editor, no_send)
    first = renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    second = renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert len(fake_render.calls) == 1
    assert first.pk == second.pk
    assert Rendition.objects.filter(version=version).count() == 1
    rendition = Rendition.objects.get(version=version)
    assert (rendition.status, rendition.pages, rendition.attempts) == (RenditionStatus.DONE, 14, 1)
    assert rendition.state_label == "已生成（14页）"
    assert list((Path(media) / "bulletins/renditions").iterdir()) == [Path(rendition.pdf.path)]
    document, variant = fake_render.calls[0]
    assert document.watermark == "送审稿" and variant is None
    version.refresh_from_db()  # the page budget is read from the version
    assert version.pages == 14 and set(version.page_map.values()) == {2}
    assert version.pdf_sha256 == rendition.sha256  # the PDF itself is kept once, here


def test_bad_content_is_recorded_as_failed_with_its_reason(editor, fake_render, no_send):
    _, version = submitted(editor, no_send)
    fake_render.error = RenderError("第3篇的表格超出版心，无法排版。")
    rendition = renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert rendition.status == RenditionStatus.FAILED
    assert rendition.state_label == "失败：第3篇的表格超出版心，无法排版。"
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)  # no retry on content
    assert len(fake_render.calls) == 1


def test_refused_images_fail_the_rendition_naming_them(editor, fake_render, no_send, media):
    _, version = submitted(editor, no_send)
    fake_render.refused = ["file:///etc/passwd", "http://example.com/photo.png"]
    rendition = renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert rendition.status == RenditionStatus.FAILED
    assert "passwd" in rendition.reason and "photo.png" in rendition.reason
    assert "图片无法读取" in rendition.reason
    assert not (Path(media) / renditions.rendition_file_name(version, K.PREVIEW)).exists()


def test_transient_error_requeues_and_raises_for_the_retry(editor, fake_render, no_send):
    _, version = submitted(editor, no_send)
    fake_render.error = OSError("磁盘已满")
    with pytest.raises(renditions.TransientRenderError):
        renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    rendition = Rendition.objects.get(version=version)
    assert rendition.status == RenditionStatus.QUEUED and "磁盘已满" in rendition.reason
    fake_render.error = None
    assert (
        renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW).status
        == RenditionStatus.DONE
    )
    assert renditions.rendition_render(version_id=999999, kind=K.PREVIEW) is None


def test_a_failing_render_keeps_the_old_file(editor, fake_render, no_send, media):
    _, version = submitted(editor, no_send)
    path = Path(media) / renditions.rendition_file_name(version, K.PREVIEW)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.7 the good one")
    fake_render.error = RenderError("排版失败。")
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert path.read_bytes() == b"%PDF-1.7 the good one"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_submit_and_sign_queue_their_renders_on_commit(
    editor, reviewer, signer, django_capture_on_commit_callbacks, monkeypatch
):
    from bulletins import tasks

    sent = []
    monkeypatch.setattr(tasks.render_version_preview, "delay", lambda v: sent.append((v, "p")))
    monkeypatch.setattr(tasks.render_version, "delay", lambda v, k: sent.append((v, k)))
    issue = ready_issue(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = act(issue, "submit", editor)
    assert sent == []  # nothing before commit
    assert Rendition.objects.get(version=event.version).status == RenditionStatus.QUEUED
    for callback in callbacks:
        callback()
    assert sent == [(event.version_id, "p")]
    with django_capture_on_commit_callbacks(execute=True):
        act(issue, "approve", reviewer)
    assert len(sent) == 1  # the same version: no second preview
    with django_capture_on_commit_callbacks(execute=True):
        act(issue, "sign", signer)
    assert sent[1:] == [(event.version_id, K.FINAL)]
    assert (
        Rendition.objects.get(version=event.version, kind=K.FINAL).status == RenditionStatus.QUEUED
    )


def test_final_is_unmarked_pdfa_and_its_digest_lands_on_the_signature(
    editor, reviewer, signer, fake_render, no_send
):
    issue, version = submitted(editor, no_send)
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    assert Rendition.objects.get(version=version, kind=K.FINAL).status == RenditionStatus.QUEUED
    preview = renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    final = renditions.rendition_render(version_id=version.pk, kind=K.FINAL)
    (preview_doc, preview_variant), (final_doc, final_variant) = fake_render.calls
    assert (preview_doc.watermark, preview_variant) == ("送审稿", None)
    assert (final_doc.watermark, final_variant) == ("", "pdf/a-3b")
    assert [i.body_html for i in preview_doc.items] == [i.body_html for i in final_doc.items]
    assert final.page_map == preview.page_map
    signature = Approval.objects.get(issue=issue, stage=ApprovalStage.SIGN)
    assert signature.pdf_sha256 == final.sha256 != preview.sha256


def test_sweeper_requeues_what_is_missing_or_stale_and_skips_what_is_done(
    editor, reviewer, signer, fake_render, no_send
):
    issue, version = submitted(editor, no_send)
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    Rendition.objects.all().delete()  # as if the freeze and the sign had been lost
    later = timezone.now() + timedelta(minutes=5)
    no_send.clear()
    sent = renditions.renditions_sweep(now=later)
    assert sorted(sent) == sorted([(version.pk, K.PREVIEW), (version.pk, K.FINAL)])
    assert Rendition.objects.count() == 2
    # Just re-sent: not stale yet, so a second sweep sends nothing.
    assert renditions.renditions_sweep(now=later) == []
    # Stale after ten minutes in the queue.
    much_later = later + timedelta(minutes=11)
    assert sorted(renditions.renditions_sweep(now=much_later)) == sorted(sent)
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    renditions.rendition_render(version_id=version.pk, kind=K.FINAL)
    assert renditions.renditions_sweep(now=much_later + timedelta(hours=1)) == []
    assert Rendition.objects.filter(status=RenditionStatus.DONE).count() == 2


def test_a_render_whose_worker_died_is_taken_up_again_after_the_sweep(editor, fake_render, no_send):
    """Found by the worker-kill drill (tests/drills): the sweeper used to re-send a render
    stuck in "rendering" and touch its row, so the task it sent took the row for a live
    render and left it; it stayed "rendering" for ever."""
    _, version = submitted(editor, no_send)
    rendition = Rendition.objects.get(version=version, kind=K.PREVIEW)
    Rendition.objects.filter(pk=rendition.pk).update(
        status=RenditionStatus.RENDERING, attempts=1, updated_at=timezone.now() - timedelta(hours=1)
    )  # the worker was killed mid-render an hour ago
    no_send.clear()
    assert renditions.renditions_sweep() == [(version.pk, K.PREVIEW)]
    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.QUEUED and "中断" in rendition.reason
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    rendition.refresh_from_db()
    assert (rendition.status, rendition.attempts, len(fake_render.calls)) == (
        RenditionStatus.DONE,
        2,
        1,
    )


def test_a_live_render_is_not_taken_from_its_worker(editor, fake_render, no_send):
    _, version = submitted(editor, no_send)
    Rendition.objects.filter(version=version).update(status=RenditionStatus.RENDERING, attempts=1)
    assert renditions.renditions_sweep() == []
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert Rendition.objects.get(version=version).status == RenditionStatus.RENDERING
    assert fake_render.calls == []


def test_sweeper_sends_through_on_commit(editor, django_capture_on_commit_callbacks, monkeypatch):
    from bulletins import tasks

    sent = []
    monkeypatch.setattr(tasks.render_version_preview, "delay", lambda v: sent.append(v))
    issue = ready_issue(editor)
    with django_capture_on_commit_callbacks(execute=False):
        version = act(issue, "submit", editor).version
    Rendition.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        renditions.renditions_sweep(now=timezone.now() + timedelta(minutes=5))
    assert sent == [version.pk]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_signing_leads_to_a_final_pdf_rendered_by_the_worker(
    celery_worker_process, editor, reviewer, signer, settings
):
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"  # where the worker process writes
    issue = ready_issue(editor)
    version = act(issue, "submit", editor).version
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)

    def final_done():
        rendition = Rendition.objects.filter(version=version, kind=K.FINAL).first()
        if rendition and rendition.status == RenditionStatus.FAILED:
            raise AssertionError(rendition.reason)
        return rendition if rendition and rendition.status == RenditionStatus.DONE else None

    final = wait_for(final_done, timeout=240, interval=0.5)
    reader = PdfReader(io.BytesIO(Path(final.pdf.path).read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    issue = Issue.objects.get(pk=issue.pk)
    assert issue.issue_line.replace(" ", "")[:8] in text.replace(" ", "")
    assert "送审稿" not in text
    assert len(reader.pages) == final.pages
    assert Approval.objects.get(issue=issue, stage=ApprovalStage.SIGN).pdf_sha256 == final.sha256


def test_the_final_pdf_starts_the_distribution_once(editor, reviewer, signer, fake_render, no_send):
    from distribution.models import Dispatch

    issue, version = submitted(editor, no_send)
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    assert not Dispatch.objects.exists()  # not before the final PDF exists
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert not Dispatch.objects.exists()  # a preview never goes out
    final = renditions.rendition_render(version_id=version.pk, kind=K.FINAL)
    renditions.rendition_render(version_id=version.pk, kind=K.FINAL)  # again: nothing new
    dispatch = Dispatch.objects.get()
    assert dispatch.version_id == version.pk
    assert dispatch.pdf_name == final.pdf.name


def test_the_final_pdf_is_handed_on_once_with_the_document_it_was_rendered_from(
    editor, reviewer, signer, fake_render, no_send, monkeypatch
):
    from bulletins import hooks

    handed = []
    monkeypatch.setitem(hooks._registry, "final_pdf", lambda *, final: handed.append(final))
    built = []
    real = renditions.version_document
    monkeypatch.setattr(renditions, "version_document", lambda v: built.append(v) or real(v))
    issue, version = submitted(editor, no_send)
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    assert handed == []  # a preview is not handed on
    built.clear()
    final = renditions.rendition_render(version_id=version.pk, kind=K.FINAL)
    renditions.rendition_render(version_id=version.pk, kind=K.FINAL)  # again: nothing new
    assert len(built) == 1  # the document is built once, by the render
    (one,) = handed
    assert one.document is fake_render.calls[-1][0]
    assert (one.version_id, one.pdf_name, one.pdf_sha256) == (
        version.pk,
        final.pdf.name,
        final.sha256,
    )
    assert (one.imported, one.actor) == (False, signer)


def test_an_imported_past_issue_goes_to_the_archive_and_e_mails_nobody(
    editor, fake_render, no_send
):
    from django.core.management import call_command

    from distribution.models import ArchiveEntry, Dispatch
    from tests.bulletins.test_importer import MD_SEED
    from tests.bulletins.test_importer_save import save

    call_command("load_alliances", verbosity=0)
    issue, _ = save(MD_SEED, editor)
    final = renditions.rendition_render(version_id=issue.signed_version_id, kind=K.FINAL)
    assert final.status == RenditionStatus.DONE
    entry = ArchiveEntry.objects.get(issue_id=issue.pk)
    assert entry.issue_line == "2023年第1期（总第66期）"
    assert entry.pdf_name == final.pdf.name
    assert not Dispatch.objects.exists()
