"""After 签发 the issue page shows the delivery (through ``bulletins.hooks``, filled in by
distribution): progress (sent / failed / waiting), receipts (签收) and a link to the
dispatch page, polling until every e-mail is sent or failed; the editor's and the signer's
home pages show the same for the latest dispatched issue."""

import re

import pytest
from django.urls import reverse

from bulletins import rendering, renditions
from bulletins.models import Issue, Rendition, RenditionKind
from bulletins.rendering import RenderResult
from distribution import delivery as delivery_status
from distribution.models import Dispatch
from distribution.services import delivery_record_download
from tests.bulletins.test_confirmation import awaiting_signature
from tests.bulletins.test_workflow import act
from tests.distribution.helpers import lists_with_contacts
from tests.factories import make_issue
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_pdfs(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(renditions, "_send", lambda version_id, kind: None)

    def render_pdf(document, *, pdf_variant=None):
        return RenderResult(
            pdf=b"%PDF-1.7 test", pages=13, sha256=("f" if pdf_variant else "a") * 64, page_map={}
        )

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)


@pytest.fixture
def signed(editor, reviewer, signer):
    lists_with_contacts(report=1, send=1)  # 10 addresses: 5 on 报, 5 on 送
    issue = awaiting_signature(editor, reviewer)
    act(issue, "sign", signer)
    return Issue.objects.get(pk=issue.pk)


def dispatched(issue) -> Dispatch:
    renditions.rendition_render(version_id=issue.signed_version_id, kind=RenditionKind.FINAL)
    return Dispatch.objects.get(issue_id=issue.pk)


def delivery_block(text):
    match = re.search(r'<section class="[^"]*delivery"[^>]*>.*?</section>', text, re.S)
    assert match, "no delivery block"
    return match.group(0)


def detail(client, issue):
    return client.get(reverse("bulletins:detail", args=[issue.pk])).text


def test_before_the_final_pdf_the_page_says_it_is_coming_and_polls(client, signed, editor):
    client.force_login(editor)
    block = delivery_block(detail(client, signed))
    assert "正在生成正式版 PDF" in block
    assert 'hx-trigger="every 2s"' in block
    assert reverse("bulletins:delivery", args=[signed.pk]) in block


def test_a_failed_final_pdf_stops_the_polling_and_says_so(client, signed, editor):
    Rendition.objects.update_or_create(
        version_id=signed.signed_version_id,
        kind=RenditionKind.FINAL,
        defaults={"status": "failed", "reason": "字体缺失"},
    )
    client.force_login(editor)
    block = delivery_block(detail(client, signed))
    assert "正式版 PDF 生成失败，分发尚未开始" in block and "every 2s" not in block


def test_progress_and_receipts_until_every_email_is_out(client, signed, editor, reviewer):
    dispatch = dispatched(signed)
    client.force_login(reviewer)
    block = delivery_block(detail(client, signed))
    assert 'data-count="waiting">10<' in block and 'data-count="percent">0%<' in block
    assert 'hx-trigger="every 2s"' in block
    assert reverse("distribution:dispatch", args=[dispatch.pk]) in block

    deliveries = list(dispatch.deliveries.order_by("pk"))
    for one in deliveries[:-1]:
        delivery_status.delivery_transition(delivery_id=one.pk, action="claim")
        delivery_status.delivery_transition(delivery_id=one.pk, action="mark_sent")
    delivery_status.delivery_transition(delivery_id=deliveries[-1].pk, action="claim")
    delivery_status.delivery_transition(delivery_id=deliveries[-1].pk, action="fail", detail="550")
    delivery_record_download(delivery=deliveries[0])  # the first receipt (签收), on 报

    fragment = client.get(reverse("bulletins:delivery", args=[signed.pk])).text
    assert 'data-count="percent">100%<' in fragment and "发送完毕" in fragment
    assert 'data-count="sent">9<' in fragment and 'data-count="failed" class="unreached">1<' in (
        fragment
    )
    assert 'data-count="opened">1<' in fragment and "报 1/5" in fragment and "送 0/5" in fragment
    assert "every 2s" not in fragment  # the polling stops
    assert "重发失败的邮件" in fragment


def test_the_editor_and_the_signer_see_the_latest_delivery_at_home(
    client, signed, editor, reviewer, signer
):
    dispatched(signed)
    for user in (editor, signer):
        force_login_verified(client, user)
        home = client.get(reverse("home")).text
        block = delivery_block(home)
        assert "2023年第2期（总第67期）" in block and 'data-count="waiting">10<' in block
        assert reverse("bulletins:delivery", args=[signed.pk]) + "?panel=1" in block
    client.force_login(reviewer)
    assert "delivery-panel" not in client.get(reverse("home")).text
    panel = client.get(reverse("bulletins:delivery", args=[signed.pk]) + "?panel=1").text
    assert "delivery-panel" in panel and reverse("bulletins:detail", args=[signed.pk]) in panel


def test_the_delivery_block_is_for_office_staff_and_signed_issues(
    client, signed, editor, secretary_a, recipient
):
    dispatched(signed)
    url = reverse("bulletins:delivery", args=[signed.pk])
    for user in (secretary_a, recipient):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(editor)
    draft = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    assert client.get(reverse("bulletins:delivery", args=[draft.pk])).status_code == 404
    assert 'class="card delivery"' not in detail(client, draft)
