"""Security headers on every response, static files included.

Both middlewares sit right after Django's ``SecurityMiddleware`` and before WhiteNoise, so
the files WhiteNoise serves carry the same headers as the pages (WhiteNoise answers before
the rest of the middleware runs).

The Content-Security-Policy itself is ``CONTENT_SECURITY_POLICY`` in the settings
(django-csp 4). One thing cannot live there: the hash of the rich-text editor's import map
(``<script type="importmap">``, inline by nature: browsers do not load import maps from a
file). Its text holds the static URLs of the editor's modules, which change with the
static storage (hashed names in production), so the hash is computed here from the import
map the widget really renders. Allowing that one hash lets that exact text run and nothing
else: no 'unsafe-inline', no nonce.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from functools import lru_cache

from csp.middleware import CSPMiddleware
from django.conf import settings
from django_prose_editor.widgets import prose_editor_media

logger = logging.getLogger(__name__)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and X-Frame-Options on the responses that
    Django's clickjacking middleware never sees (WhiteNoise's static files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def inline_script_hash(text: str) -> str:
    """The CSP source expression that allows an inline ``<script>`` whose text is ``text``."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@lru_cache(maxsize=1)
def editor_importmap_hash() -> str:
    """The hash of the import map that django-prose-editor's widget renders."""
    html = str(prose_editor_media().render_importmap()[0])
    match = re.fullmatch(r'<script type="importmap"[^>]*>(.*)</script>', html, re.DOTALL)
    if match is None:  # the library changed how it renders: fail loudly, not silently
        raise RuntimeError(f"unexpected import map markup: {html[:200]}")
    return inline_script_hash(match.group(1))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the editor's import map hash added to script-src."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only:
            try:
                allowed = [editor_importmap_hash()]
            except Exception:
                # E.g. a static manifest without the editor's files: the editor will not
                # start, but every other page (and the health check) must still answer.
                logger.exception("no hash for the editor's import map")
                allowed = []
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", ()), *allowed]
            parts.update = update
        return parts
