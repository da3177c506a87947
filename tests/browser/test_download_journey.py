"""A recipient opens the link from the e-mail the worker wrote, downloads the PDF, and the
editor watches the count rise and sees the receipt."""

from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from accounts.models import Role
from distribution.models import DeliveryStatus
from distribution.services import publication_distribute
from distribution.tasks import dispatch_fan_out
from tests.conftest import wait_for
from tests.distribution.helpers import (
    link_in,
    lists_with_contacts,
    messages_of_dispatch,
    publication,
)
from tests.factories import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_recipient_downloads_from_the_email_and_the_editor_sees_the_receipt(
    live_server, page, celery_worker_process, artifacts_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_user(Role.EDITOR, username="journey-editor", full_name="杨丹泽")
    lists_with_contacts(report=2, send=2)
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):  # held back for a moment
        dispatch = publication_distribute(publication=publication(), actor=editor)

    # The editor opens the dispatch page before anything is sent…
    page.goto(f"{live_server.url}/accounts/login/?next=/distribution/{dispatch.pk}/")
    page.get_by_label("用户名").fill(editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="分发：2023年第1期（总第66期）")).to_be_visible()
    progress = page.locator("#delivery-progress")
    expect(progress).to_have_attribute("data-done", "false")
    expect(progress.locator('[data-count="waiting"]')).to_have_text("12")
    # …and watches the count rise without reloading (HTMX polls every 2 s), until done.
    dispatch_fan_out.delay(dispatch.pk)
    expect(progress).to_have_attribute("data-done", "true", timeout=60_000)
    expect(progress.locator('[data-count="sent"]')).to_have_text("12")
    expect(progress.get_by_text("已完成")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "distribution-progress-done.png"), full_page=True)

    # The recipient's e-mail, as the worker wrote it.
    wait_for(lambda: dispatch.deliveries.filter(status=DeliveryStatus.SENT).count() == 12)
    delivery = dispatch.deliveries.get(email="s1@example.org")
    message = next(
        m
        for m in messages_of_dispatch(artifacts_dir / "mail", dispatch)
        if m["X-Citisa-Delivery"] == str(delivery.public_id)
    )
    link = urlsplit(link_in(message))  # the worker's SITE_URL; this test's server differs

    recipient_page = page.context.browser.new_page()
    recipient_page.goto(f"{live_server.url}{link.path}")
    expect(
        recipient_page.get_by_role("heading", name="简报 2023年第1期（总第66期）")
    ).to_be_visible()
    expect(recipient_page.get_by_text("送1（各试点产业技术创新战略联盟），您好！")).to_be_visible()
    expect(recipient_page.get_by_role("heading", name="本期导读")).to_be_visible()
    recipient_page.screenshot(path=str(artifacts_dir / "distribution-download-page.png"))
    with recipient_page.expect_download() as download_info:
        recipient_page.get_by_role("link", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename == "联盟试点工作简报2023年第1期（总第66期）.pdf"
    saved = artifacts_dir / "distribution-downloaded.pdf"
    download.save_as(saved)
    with default_storage.open(dispatch.pdf_name, "rb") as handle:
        assert saved.read_bytes() == handle.read()

    # A tampered link shows a plain Chinese page, and nothing of the issue.
    recipient_page.goto(f"{live_server.url}{link.path[:-3]}xx/")
    expect(recipient_page.get_by_role("heading", name="下载链接无效")).to_be_visible()
    expect(recipient_page.get_by_text("2023年第1期")).to_have_count(0)
    recipient_page.close()

    # The editor sees the receipt under the 送 list.
    page.reload()
    expect(page.get_by_role("heading", name="送：已签收 1 / 6")).to_be_visible()
    opened = page.locator('[data-list="send-opened"]')
    expect(opened).to_contain_text("各试点产业技术创新战略联盟 · 送1")
    expect(page.locator('[data-list="send-not-opened"]')).not_to_contain_text("送1")
    expect(page.locator('[data-count="opened"]')).to_have_text("1")
    page.screenshot(path=str(artifacts_dir / "distribution-receipts.png"), full_page=True)
