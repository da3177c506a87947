"""Personal download links: signed (django.core.signing), expiring, revocable.

A link carries the delivery's public id and its current nonce, signed with a timestamp.
Revoking a link sets ``link_revoked_at``; issuing a new one changes the nonce, which kills
every older link of that delivery. Whoever holds a valid link may download that one PDF;
a bad link tells its holder nothing about the issue.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Delivery

SALT = "distribution.download-link"


class LinkInvalid(Exception):
    """Tampered, malformed or unknown: answered with 404."""

    status = 404


class LinkGone(Exception):
    """Expired or revoked: answered with 410."""

    status = 410

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_max_age() -> timedelta:
    return timedelta(days=settings.CITISA_DOWNLOAD_LINK_DAYS)


def link_token(delivery: Delivery) -> str:
    return signing.dumps([delivery.public_id.hex, delivery.link_nonce], salt=SALT)


def download_url(delivery: Delivery) -> str:
    """The absolute URL of the delivery's download page, for the e-mail."""
    path = reverse("distribution:download", kwargs={"token": link_token(delivery)})
    return f"{settings.SITE_URL}{path}"


def delivery_from_token(token: str) -> Delivery:
    """The delivery a link belongs to. Raises ``LinkInvalid`` or ``LinkGone``."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise LinkGone("expired") from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and all(isinstance(part, str) for part in payload)
    ):
        raise LinkInvalid
    public_id, nonce = payload
    delivery = Delivery.objects.select_related("dispatch").filter(public_id=public_id).first()
    if delivery is None:
        raise LinkInvalid
    if delivery.link_revoked_at is not None or delivery.link_nonce != nonce:
        raise LinkGone("revoked")
    return delivery
