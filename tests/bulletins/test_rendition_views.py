"""The PDF state fragment, the downloads and the web edition of versions: who may see them."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletins import rendering, renditions, services
from bulletins.document import SECTION_POLICY
from bulletins.models import Rendition, RenditionKind, RenditionStatus
from bulletins.rendering import RenderResult
from core.uploads import check_upload
from submissions.services import files_add
from submissions.workflow import submission_transition
from tests.bulletins.test_workflow import act, ready_issue
from tests.factories import make_submission
from tests.submissions.files import make_png
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db
K = RenditionKind


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(renditions, "_send", lambda version_id, kind: None)

    def render_pdf(document, *, pdf_variant=None):
        return RenderResult(
            pdf=f"%PDF-1.7 {document.watermark or 'final'}".encode(),
            pages=13,
            sha256=("f" if pdf_variant else "p") * 64,
            page_map={item.anchor: 3 for item in document.items},
        )

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    return settings.MEDIA_ROOT


def url(name, *args):
    return reverse(f"bulletins:{name}", args=args)


def submitted(editor):
    issue = ready_issue(editor)
    return issue, act(issue, "submit", editor).version


def test_fragment_polls_while_queued_and_shows_pages_when_done(client, editor):
    issue, version = submitted(editor)
    client.force_login(editor)
    fragment = client.get(url("renditions", issue.pk)).text
    assert "排队中" in fragment and 'hx-trigger="every 2s"' in fragment
    assert "排队中" in client.get(url("assemble", issue.pk)).text
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    fragment = client.get(url("renditions", issue.pk)).text
    assert "已生成（13页）" in fragment and "every 2s" not in fragment
    assert "第 3 页" in fragment  # each item's page, from the page map
    assert url("rendition_pdf", issue.pk, version.pk, "preview") in fragment


def test_the_assembly_page_count_updates_when_the_preview_is_done(client, editor):
    """The assembly page polls with ?pages=1; the answer re-sends the page count out of band,
    so 「共 13 页」 appears without a reload. Every poll re-sends the header's count."""
    issue, version = submitted(editor)
    client.force_login(editor)
    assemble = client.get(url("assemble", issue.pk)).text
    assert f"{url('renditions', issue.pk)}?pages=1" in assemble
    assert "页数在排版预览生成后显示" in assemble
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    fragment = client.get(url("renditions", issue.pk), {"pages": "1"}).text
    assert f'id="pages-{issue.pk}" hx-swap-oob="true"' in fragment
    assert "共 <strong>13</strong> 页" in fragment
    assert f'id="pages-badge-{issue.pk}" hx-swap-oob="true"' in fragment
    # The detail page polls without ?pages=1: only the header's count comes with it.
    plain = client.get(url("renditions", issue.pk)).text
    assert f'id="pages-{issue.pk}"' not in plain
    assert f'id="pages-badge-{issue.pk}" hx-swap-oob="true"' in plain
    assert "13 <small>页（v1）</small>" in plain


def test_failure_is_shown_with_its_reason(client, editor, reviewer):
    issue, version = submitted(editor)
    Rendition.objects.filter(version=version).update(
        status=RenditionStatus.FAILED, reason="图片无法读取：a.png"
    )
    client.force_login(reviewer)
    assert "失败：图片无法读取：a.png" in client.get(url("detail", issue.pk)).text


def test_reviewer_downloads_the_exact_version_and_the_final_after_signing(
    client, editor, reviewer, signer
):
    issue, version = submitted(editor)
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    client.force_login(reviewer)
    response = client.get(url("rendition_pdf", issue.pk, version.pk, "preview"))
    assert b"".join(response.streaming_content) == "%PDF-1.7 送审稿".encode()
    assert "attachment" in response["Content-Disposition"]
    inline = client.get(url("rendition_pdf", issue.pk, version.pk, "preview") + "?inline=1")
    assert "inline" in inline["Content-Disposition"]
    assert client.get(url("rendition_pdf", issue.pk, version.pk, "final")).status_code == 404
    assert client.get(url("rendition_pdf", issue.pk, version.pk, "other")).status_code == 404
    act(issue, "approve", reviewer)
    act(issue, "sign", signer)
    renditions.rendition_render(version_id=version.pk, kind=K.FINAL)
    force_login_verified(client, signer)
    assert "下载正式版" in client.get(url("detail", issue.pk)).text
    response = client.get(url("rendition_pdf", issue.pk, version.pk, "final"))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 final"


@pytest.mark.parametrize(
    "name,args",
    [
        ("renditions", ()),
        ("rendition_pdf", ("preview",)),
        ("web", ()),
        ("version_image", ("bulletins/a.png",)),
    ],
)
def test_secretariat_gets_404_and_anonymous_is_sent_to_log_in(
    client, editor, secretary_a, name, args
):
    issue, version = submitted(editor)
    renditions.rendition_render(version_id=version.pk, kind=K.PREVIEW)
    target = url(name, issue.pk) if name == "renditions" else url(name, issue.pk, version.pk, *args)
    response = client.get(target)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(secretary_a)
    assert client.get(target).status_code == 404


def test_web_edition_routes_images_through_the_checked_view(
    client, editor, media, alliance_a, secretary_a
):
    # The picture of a submission placed in the issue: a body may show only those.
    submission = make_submission(alliance_a, secretary_a, status="revision_requested")
    upload = SimpleUploadedFile("图一.png", make_png(), content_type="image/png")
    files_add(
        submission_id=submission.pk,
        attachments=[],
        images=[check_upload(upload, allowed={"png"})],
        actor=secretary_a,
    )
    picture = submission.files.get(kind="image").file.name
    submission_transition(submission_id=submission.pk, action="resubmit", actor=secretary_a)
    submission_transition(submission_id=submission.pk, action="accept", actor=editor)
    (Path(media) / "secret.png").write_bytes(b"\x89PNG secret")
    issue = ready_issue(editor)
    services.item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
    services.item_create(
        issue_id=issue.pk,
        section_id=issue.sections.get(title=SECTION_POLICY).pk,
        title="有图的稿件",
        body_html=f'<p>正文</p><img src="{picture}" alt="图一">',
        actor=editor,
    )
    version = act(issue, "submit", editor).version
    client.force_login(editor)
    html = client.get(url("web", issue.pk, version.pk)).text
    image_url = url("version_image", issue.pk, version.pk, picture)
    assert f'src="{image_url}"' in html
    response = client.get(image_url)
    assert response["Content-Type"].startswith("image/")
    stored = (Path(media) / picture).read_bytes()  # re-encoded when it was uploaded
    assert b"".join(response.streaming_content) == stored
    # Only what the version prints, and nothing outside MEDIA_ROOT.
    assert client.get(url("version_image", issue.pk, version.pk, "secret.png")).status_code == 404
    escape = url(
        "version_image", issue.pk, version.pk, f"{picture.rpartition('/')[0]}/../../secret.png"
    )
    assert client.get(escape).status_code == 404
