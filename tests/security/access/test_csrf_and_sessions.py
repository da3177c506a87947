"""CSRF on every URL that takes a POST, no view exempt from it, and a new session key at
login."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client

from tests.factories import PASSWORD

from .access_table import TABLE
from .conftest import clients_for
from .test_access_matrix import admin_routes, admin_url, app_routes, url_of
from .urlwalk import walk
from .world import ROLES

pytestmark = pytest.mark.django_db

# Views that may take a POST without a CSRF token, each with the reason. None today: the
# personal download links are GET only, and nothing receives POSTs from other sites.
CSRF_EXEMPT: dict[str, str] = {}


def test_no_view_is_csrf_exempt_unless_listed_with_a_reason():
    exempt = sorted(r.name for r in walk() if getattr(r.callback, "csrf_exempt", False))
    unexplained = [name for name in exempt if name not in CSRF_EXEMPT]
    assert not unexplained, f"csrf_exempt without a reason in CSRF_EXEMPT: {unexplained}"
    stale = sorted(CSRF_EXEMPT.keys() - set(exempt))
    assert not stale, f"listed as exempt but no longer are: {stale}"


def _refused_for_csrf(client, url):
    with transaction.atomic():
        response = client.post(url, {"title": "x", "action": "submit"})
        transaction.set_rollback(True)
    names = {t.name for t in response.templates}
    return response.status_code == 403 and "403_csrf.html" in names


def test_every_post_without_a_csrf_token_is_refused_for_every_role(world):
    """Every URL (the app's and the admin's) × every role, a POST without the token: 403
    with our CSRF page, before any view runs — also where the view would say 405."""
    clients = clients_for(world.users, enforce_csrf_checks=True)
    urls = [url_of(r, world, TABLE[r.name]) for r in app_routes() if r.name in TABLE]
    urls += [admin_url(route, world) for route in admin_routes()]
    let_through = [
        f"{url} as {role}"
        for url in urls
        for role in ROLES
        if not _refused_for_csrf(clients[role], url)
    ]
    assert not let_through, "POST without CSRF token accepted:\n" + "\n".join(let_through)


def test_a_post_with_the_token_gets_past_the_csrf_check(world):
    """The control for the test above: the same client, with the token, is not refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["editor"])
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    with transaction.atomic():
        response = client.post("/submissions/calls/", {"csrfmiddlewaretoken": token})
        transaction.set_rollback(True)
    assert response.status_code == 200
    assert "403_csrf.html" not in {t.name for t in response.templates}


def test_login_gives_a_new_session_key_and_a_new_csrf_token(world):
    user = world.users["secretary_a"]
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf_before = client.cookies["csrftoken"].value
    session = client.session  # an anonymous session, as a visitor or an attacker would fix
    session["probe"] = "kept across the login"
    session.save()
    key_before = session.session_key
    client.cookies["sessionid"] = key_before

    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_before},
    )

    assert response.status_code == 302
    key_after = client.cookies["sessionid"].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert client.session["probe"] == "kept across the login"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.cookies["csrftoken"].value != csrf_before
