import time
from unittest import mock

import pytest
from django.core import signing
from django.core.files.storage import default_storage

from distribution.links import download_url, link_token
from distribution.models import Delivery
from distribution.services import (
    delivery_link_reissue,
    delivery_link_revoke,
    publication_distribute,
)

from .helpers import lists_with_contacts, publication

SECRETS = ("2023年第1期", "总第66期", "科技部", "碳中和", "报0")


@pytest.fixture
def delivery(db):
    lists_with_contacts(report=1, send=0)
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        dispatch = publication_distribute(publication=publication())
    return dispatch.deliveries.get(email="r0@example.org")


def path_of(token: str) -> str:
    return f"/download/{token}/"


def assert_reveals_nothing(response):
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret
    assert "联络组办公室" in text  # whom to ask instead


@pytest.mark.django_db
def test_a_valid_link_shows_the_issue_and_the_download_is_the_receipt(client, delivery):
    url = download_url(delivery)
    assert url.startswith("http://testserver/download/")
    page = client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2023年第1期（总第66期）" in text and "报0（科技部）" in text and "本期导读" in text
    assert page["Cache-Control"].startswith("max-age=0")
    delivery.refresh_from_db()
    assert delivery.first_downloaded_at is None  # opening the page is not a receipt
    pdf = client.get(path_of(link_token(delivery)) + "pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    with default_storage.open(delivery.dispatch.pdf_name, "rb") as handle:
        assert body == handle.read()
    assert "attachment" in pdf["Content-Disposition"]
    delivery.refresh_from_db()
    first = delivery.first_downloaded_at
    assert first is not None and delivery.download_count == 1
    b"".join(client.get(path_of(link_token(delivery)) + "pdf").streaming_content)
    delivery.refresh_from_db()
    assert delivery.first_downloaded_at == first and delivery.download_count == 2
    assert delivery.events.filter(action="receipt").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature
        lambda token: "x" + token,  # payload
        lambda token: token.split(":")[0],  # no signature at all
        lambda token: "not-a-token",
        lambda token: signing.dumps(
            signing.loads(token, salt="distribution.download-link"), salt="other"
        ),
        lambda token: signing.dumps(["0" * 32, "nonce"], salt="distribution.download-link"),
    ],
    ids=["signature", "payload", "unsigned", "garbage", "other-salt", "unknown-delivery"],
)
def test_a_tampered_link_is_404_and_reveals_nothing(client, delivery, tamper):
    token = tamper(link_token(delivery))
    for suffix in ("", "pdf"):
        response = client.get(path_of(token) + suffix)
        assert response.status_code == 404
        assert "下载链接无效" in response.content.decode()
        assert_reveals_nothing(response)
    assert Delivery.objects.get(pk=delivery.pk).first_downloaded_at is None


@pytest.mark.django_db
def test_an_expired_link_is_410(client, delivery, settings):
    settings.CITISA_DOWNLOAD_LINK_DAYS = 90
    issued = time.time() - 91 * 86400
    with mock.patch("django.core.signing.time.time", return_value=issued):
        old = link_token(delivery)
    with mock.patch("django.core.signing.time.time", return_value=issued + 89 * 86400):
        assert client.get(path_of(old)).status_code == 200  # still within 90 days then
    for suffix in ("", "pdf"):
        response = client.get(path_of(old) + suffix)
        assert response.status_code == 410
        assert "下载链接已过期" in response.content.decode()
        assert_reveals_nothing(response)
    assert Delivery.objects.get(pk=delivery.pk).first_downloaded_at is None


@pytest.mark.django_db
def test_a_revoked_link_is_410_until_a_new_one_is_issued(client, delivery, editor):
    token = link_token(delivery)
    delivery_link_revoke(delivery_id=delivery.pk, actor=editor)
    for suffix in ("", "pdf"):
        response = client.get(path_of(token) + suffix)
        assert response.status_code == 410
        assert "下载链接已失效" in response.content.decode()
        assert_reveals_nothing(response)
    with mock.patch("distribution.queueing.queue_send"):
        delivery_link_reissue(delivery_id=delivery.pk, actor=editor)
    delivery.refresh_from_db()
    assert client.get(path_of(token)).status_code == 410  # the old link stays dead
    assert client.get(path_of(link_token(delivery))).status_code == 200
    actions = list(delivery.events.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["revoke", "reissue"]


@pytest.mark.django_db
def test_reissuing_the_link_of_a_sent_delivery_emails_the_new_link(
    delivery, editor, django_capture_on_commit_callbacks
):
    from distribution.delivery import delivery_attempt

    delivery_attempt(delivery_id=delivery.pk)
    with (
        mock.patch("distribution.queueing.queue_send") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery_link_reissue(delivery_id=delivery.pk, actor=editor)
    queued.assert_called_once_with(delivery.pk)
    assert Delivery.objects.get(pk=delivery.pk).status == "queued"
