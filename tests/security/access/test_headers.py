"""The security headers are on every kind of response: pages, HTMX fragments, file
downloads, PDFs, the error pages (403, 404, 410, 429, 500), the admin, and the static files
WhiteNoise serves."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from citisa.security import PERMISSIONS_POLICY, editor_importmap_hash
from distribution.services import delivery_link_revoke

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": f"'self' {editor_importmap_hash()}",
    "style-src": f"'self' {settings.TIPTAP_CORE_STYLE_HASH}",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        out[name] = value
    return out


# An uploaded file keeps the stricter policy its view sets (nothing in it may run or load).
UPLOAD_CSP = {"default-src": "'none'", "sandbox": ""}


def assert_secured(response, csp=EXPECTED_CSP):
    headers = response.headers
    assert directives(headers["Content-Security-Policy"]) == csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


def get(client, url, **extra):
    with transaction.atomic():
        response = client.get(url, **extra)
        transaction.set_rollback(True)
    return response


def test_pages_fragments_downloads_and_pdfs(world):
    o, c = world.objects, world.clients
    cases = [
        (c["editor"], "/", 200),
        (c["editor"], f"/issues/{o['signed'].pk}/pdf/", 200),  # the polling fragment
        (
            c["secretary_a"],
            f"/submissions/{o['submission_a'].pk}/files/{o['attachment_a'].pk}/",
            200,
        ),
        (c["recipient"], f"/archive/{o['signed'].pk}/pdf", 200),
        (c["editor"], f"/issues/{o['signed'].pk}/versions/{o['version'].pk}/web/", 200),
        (c["anonymous"], f"/download/{o['link'].pk}/pdf", 200),
        (c["administrator"], "/admin/", 200),
        (c["anonymous"], "/admin/login/", 302),  # to the application's login
        (c["anonymous"], "/issues/", 302),
        (c["secretary_a"], "/issues/", 403),
        (c["secretary_b"], f"/submissions/{o['submission_a'].pk}/", 404),
        (c["anonymous"], "/no-such-page/", 404),
    ]
    for client, url, status in cases:
        extra = {"HTTP_HX_REQUEST": "true"} if url.endswith("/pdf/") else {}
        response = get(client, url, **extra)
        assert response.status_code == status, url
        assert_secured(response, UPLOAD_CSP if "/files/" in url else EXPECTED_CSP)


def test_a_revoked_download_link_answers_410_with_the_headers(world):
    o = world.objects
    with transaction.atomic():
        delivery_link_revoke(delivery_id=o["delivery"].pk, actor=world.users["editor"])
        response = world.clients["anonymous"].get(f"/download/{o['link'].pk}/")
        transaction.set_rollback(True)
    assert response.status_code == 410
    assert_secured(response)


def test_a_locked_out_login_answers_429_with_the_headers(world):
    client = Client()
    user = world.users["reviewer"]
    with transaction.atomic():
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = client.post(
                reverse("accounts:login"), {"username": user.username, "password": "wrong"}
            )
        transaction.set_rollback(True)
    assert response.status_code == 429
    assert_secured(response)


def test_a_server_error_answers_500_with_the_headers(world, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr("citisa.views.health_report", broken)
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 500
    assert b"\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8\xe5\x87\xba\xe9\x94\x99" in response.content
    assert_secured(response)


def test_static_files_from_whitenoise_carry_the_headers_too():
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/css/site.css")  # a new handler: WhiteNoise re-reads
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise")
    assert_secured(response)


def test_a_page_still_answers_when_the_import_map_hash_cannot_be_made(monkeypatch):
    from citisa import security

    def broken():
        raise ValueError("Missing staticfiles manifest entry")

    logged = []
    monkeypatch.setattr(security, "editor_importmap_hash", broken)
    monkeypatch.setattr(security.logger, "exception", lambda message: logged.append(message))
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["script-src"] == "'self'"
    assert logged == ["no hash for the editor's import map"]


def test_the_editor_import_map_on_the_page_is_the_one_the_policy_allows(world):
    import re

    from citisa.security import inline_script_hash

    response = get(world.clients["secretary_a"], "/submissions/new/")
    maps = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', response.text, re.DOTALL)
    assert len(maps) == 1
    assert (
        inline_script_hash(maps[0])
        in directives(response["Content-Security-Policy"])["script-src"].split()
    )
    # …and nothing else inline: every other <script> has a src, no element a style="".
    assert len(re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*importmap)", response.text)) == 0
    assert " style=" not in response.text
