"""The e-mail of one delivery: the issue (or its correction notice) with 本期导读 in the
body and the recipient's personal download link."""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from bulletins.document import BULLETIN_TITLE, ISSUER

from .links import download_url, link_max_age
from .models import Delivery


def subject_for(*, issue_line: str, correction: bool) -> str:
    subject = f"《{BULLETIN_TITLE}简报》{issue_line}"
    return f"【更正】{subject}更正版" if correction else subject


def recipient_address(name: str, email: str) -> str:
    """「"张三" <zhang@example.org>」; Django encodes the name. Characters that would end
    the quoted name or start another address are dropped from it."""
    display = re.sub(r'[\\"<>,;:@\r\n]', " ", name).strip()
    return f'"{display}" <{email}>' if display else email


def delivery_message(delivery: Delivery) -> EmailMultiAlternatives:
    """The message for ``delivery`` (not sent). The link is signed now and expires
    ``CITISA_DOWNLOAD_LINK_DAYS`` days from now."""
    dispatch = delivery.dispatch
    context = {
        "delivery": delivery,
        "dispatch": dispatch,
        "original": dispatch.corrects,
        "url": download_url(delivery),
        "expires_on": timezone.localdate(timezone.now() + link_max_age()),
        "bulletin_title": BULLETIN_TITLE,
        "issuer": ISSUER,
    }
    text = render_to_string("distribution/email/delivery.txt", context)
    html = render_to_string("distribution/email/delivery.html", context)
    message = EmailMultiAlternatives(
        subject=dispatch.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient_address(delivery.name, delivery.email)],
        headers={
            "X-Citisa-Dispatch": str(dispatch.public_id),
            "X-Citisa-Delivery": str(delivery.public_id),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
