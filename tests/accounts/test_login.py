import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import can, has_role, registered_actions
from tests.factories import PASSWORD, make_user
from tests.two_factor import fresh_code, give_authenticator

pytestmark = pytest.mark.django_db

ROLE_HEADINGS = {
    Role.SECRETARIAT: "联盟秘书处工作台",
    Role.EDITOR: "编辑工作台",
    Role.REVIEWER: "审核工作台",
    Role.SIGNER: "签发工作台",
    Role.RECIPIENT: "简报接收",
    Role.ADMINISTRATOR: "系统管理",
}


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_in_chinese(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="zh-Hans"' in body
    assert "用户名" in body and "密码" in body and "登录" in body


def test_wrong_password_says_so_in_chinese(client, editor):
    response = post_login(client, editor.username, "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize("role", list(ROLE_HEADINGS))
def test_each_role_lands_on_its_workspace(client, role, alliance_a):
    user = make_user(role)
    if role == Role.SECRETARIAT:
        from alliances.services import staff_assign

        staff_assign(alliance=alliance_a, user=user)
    if role in (Role.SIGNER, Role.ADMINISTRATOR):
        # They must have a second factor (tests/accounts/test_two_factor.py): the code step.
        device = give_authenticator(user)
        post_login(client, user.username, PASSWORD)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": fresh_code(device)})
    else:
        response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert ROLE_HEADINGS[role] in body
    for other, heading in ROLE_HEADINGS.items():
        if other != role:
            assert f">{heading}</h2>" not in body


def test_login_rotates_the_session_key(client, editor):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    post_login(client, editor.username, PASSWORD)
    assert client.session.session_key != before


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_logout_needs_post(client, editor):
    client.force_login(editor)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_repeated_wrong_passwords_are_throttled_with_a_clear_message(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, editor.username, "wrong")
    response = post_login(client, editor.username, PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录已暂停" in body and "分钟" in body


def test_throttling_from_one_address_does_not_lock_out_the_real_user_elsewhere(
    client, editor, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        post_login(client, editor.username, "wrong", ip="203.0.113.9")
    response = post_login(client, editor.username, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_lockout_ends_by_itself(client, editor, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, editor.username, "wrong")
    assert post_login(client, editor.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(hours=1)
    )
    assert post_login(client, editor.username, PASSWORD).status_code == 302


def test_inactive_user_holds_no_role(editor):
    assert has_role(editor, Role.EDITOR)
    editor.is_active = False
    editor.save()
    editor.__dict__.pop("roles", None)
    assert not has_role(editor, Role.EDITOR)
    assert not can(editor, "alliance.list_all")


def test_asking_for_an_unregistered_action_is_an_error(editor):
    with pytest.raises(LookupError):
        can(editor, "no.such.action")
    assert "alliance.view" in registered_actions()


def test_user_without_roles_is_told_so(client):
    from tests.factories import UserFactory

    user = UserFactory(roles=[])
    client.force_login(user)
    assert "尚未分配角色" in client.get("/").content.decode()
