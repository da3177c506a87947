"""A signed-in user without the administrator role who opens the admin is told so in
Chinese (403, with a link home): before, the admin sent them to the login, which sent the
signed-in user back to the admin, until the browser gave up."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.RECIPIENT])
def test_a_signed_in_user_without_the_role_gets_a_chinese_403(client, role):
    user = make_user(role, username=f"user_{role}")
    force_login_verified(client, user)
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "系统管理只对管理员开放" in page
        assert f'href="{reverse("home")}"' in page and "返回工作台" in page
        assert "no-cache" in response["Cache-Control"]


def test_the_admin_login_page_does_not_send_a_signed_in_user_round(client, editor):
    force_login_verified(client, editor)
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 403 and "系统管理只对管理员开放" in response.text


def test_following_every_redirect_ends_on_the_403_not_a_loop(client, secretary_a):
    force_login_verified(client, secretary_a)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 0


def test_anonymous_users_still_go_to_the_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_administrator_still_gets_in(client, administrator):
    force_login_verified(client, administrator)
    assert client.get(reverse("admin:index")).status_code == 200
