"""Enrolment, the account security page (enable, disable, recovery codes) and the password
rules with the change-password page."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, SecurityEvent
from accounts.services import user_create
from tests.factories import PASSWORD, make_user
from tests.two_factor import current_code, force_login_verified, give_authenticator

pytestmark = pytest.mark.django_db

ENROL_URL = reverse("accounts:two_factor_enrol")


def log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def secret_on_page(body):
    from base64 import b32decode

    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    return b32decode(secret.replace(" ", ""))


def code_for(key: bytes) -> str:
    from django_otp.oath import totp

    return f"{totp(key):06d}"


# --- Enrolment ------------------------------------------------------------------------------


def test_a_signer_enrols_sees_ten_codes_once_and_is_verified(client):
    signer = make_user(Role.SIGNER)
    response = log_in(client, signer)
    assert response.url.startswith(ENROL_URL)
    body = client.get(response.url).content.decode()
    assert "必须启用两步验证" in body
    assert '<svg role="img" aria-label="两步验证二维码' in body and "style=" not in body
    assert "data:" not in body
    key = secret_on_page(body)
    # The same secret on a reload (the device belongs to this session)…
    assert secret_on_page(client.get(ENROL_URL).content.decode()) == key
    # …a wrong code keeps the page and says so…
    wrong = client.post(ENROL_URL, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=signer, confirmed=True).exists()
    device = TOTPDevice.objects.get(user=signer)
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    half_key = client.session.session_key
    response = client.post(ENROL_URL, {"code": code_for(key), "next": "/"})
    body = response.content.decode()
    assert response.status_code == 200 and "只显示这一次" in body
    shown = re.findall(r"<li><code>([a-z2-7]{4}) ([a-z2-7]{4})</code></li>", body)
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=signer).values_list("token", flat=True))
    assert {a + b for a, b in shown} == stored
    assert client.session.session_key != half_key
    assert DEVICE_ID_SESSION_KEY in client.session
    assert client.get(reverse("home")).status_code == 200
    assert SecurityEvent.objects.filter(
        user=signer, kind=SecurityEvent.Kind.TWO_FACTOR_ENABLED
    ).exists()
    # Codes are not shown again anywhere: the security page only counts them.
    page = client.get(reverse("accounts:security")).content.decode()
    assert "10 个" in page and shown[0][0] not in page


def test_a_secret_shown_to_one_session_is_never_used_for_another(client):
    """Someone who knew the password and opened the set-up page must not learn the secret
    that the real user later confirms."""
    signer = make_user(Role.SIGNER)
    log_in(client, signer)
    first = secret_on_page(client.get(ENROL_URL).content.decode())
    other = Client()
    log_in(other, signer)
    second = secret_on_page(other.get(ENROL_URL).content.decode())
    assert first != second
    # The first session's secret was dropped: a code from it no longer confirms anything.
    response = client.post(ENROL_URL, {"code": code_for(first)})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=signer, confirmed=True).exists()


def test_anyone_may_enable_two_factor_from_the_security_page(client, editor):
    client.force_login(editor)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "未启用" in page and "启用两步验证" in page
    key = secret_on_page(client.get(ENROL_URL).content.decode())
    assert client.post(ENROL_URL, {"code": code_for(key)}).status_code == 200
    page = client.get(reverse("accounts:security")).content.decode()
    assert "已启用" in page and "最近一次使用" in page
    # From now on the editor's login has a second step.
    other = Client()
    assert log_in(other, editor).url.startswith(reverse("accounts:two_factor_verify"))


def test_replacing_the_authenticator_keeps_one_device(client, signer):
    old = TOTPDevice.objects.get(user=signer)
    force_login_verified(client, signer)
    key = secret_on_page(client.get(ENROL_URL).content.decode())
    client.post(ENROL_URL, {"code": code_for(key)})
    devices = list(TOTPDevice.objects.filter(user=signer))
    assert len(devices) == 1 and devices[0].pk != old.pk and devices[0].confirmed


# --- Disable, recovery codes ------------------------------------------------------------


@pytest.mark.parametrize("proof", ["password", "code"])
def test_disabling_needs_the_password_or_a_current_code(client, editor, proof):
    device = give_authenticator(editor)
    force_login_verified(client, editor)
    url = reverse("accounts:two_factor_disable")
    response = client.post(url, {"secret": "not-it"})
    assert response.status_code == 400 and "两步验证仍然开启" in response.content.decode()
    assert TOTPDevice.objects.filter(user=editor).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong try above counted as a wrong code
    device.throttling_failure_timestamp = None
    device.save()
    secret = PASSWORD if proof == "password" else current_code(device)
    response = client.post(url, {"secret": secret}, follow=True)
    assert "两步验证已停用" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert SecurityEvent.objects.filter(
        user=editor, kind=SecurityEvent.Kind.TWO_FACTOR_DISABLED, actor=editor
    ).exists()


@pytest.mark.parametrize("who", ["signer", "administrator"])
def test_signers_and_administrators_cannot_disable(client, request, who):
    user = request.getfixturevalue(who)
    force_login_verified(client, user)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "不能停用" in page and "停用两步验证</button>" not in page
    response = client.post(reverse("accounts:two_factor_disable"), {"secret": PASSWORD})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()


def test_regenerating_recovery_codes_voids_the_old_ones(client, signer):
    from accounts.services import recovery_codes_regenerate

    old = recovery_codes_regenerate(user=signer, actor=signer)
    force_login_verified(client, signer)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    body = response.content.decode()
    assert "之前的恢复码已全部作废" in body
    new = set(StaticToken.objects.filter(device__user=signer).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert client.get(reverse("accounts:recovery_codes_regenerate")).status_code == 405


def test_security_pages_need_login(client):
    for name in ("accounts:security", "accounts:password_change", "accounts:two_factor_enrol"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_csrf_is_enforced_on_the_login_and_security_forms(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": editor.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    client.force_login(editor)
    for name in (
        "accounts:recovery_codes_regenerate",
        "accounts:two_factor_disable",
        "accounts:password_change",
        "accounts:two_factor_verify",
        "accounts:logout",
    ):
        assert client.post(reverse(name), {}).status_code == 403, name


# --- Password rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password,message",
    [
        ("Short-pw-1", "密码长度太短。密码必须包含至少 12 个字符。"),
        ("password1234", "这个密码太常见了。"),
        ("839201746538", "密码只包含数字。"),
        ("zhangsan.example", "太相似"),
    ],
)
def test_password_rules_speak_chinese(client, password, message):
    user = user_create(
        username="zhangsan", email="zhangsan@example.org", password=PASSWORD, full_name="张三"
    )
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_rules_apply_when_accounts_are_created():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        user_create(username="short", password="839201746")
    messages = " ".join(error.value.messages)
    assert "至少 12 个字符" in messages and "密码只包含数字" in messages


def test_every_password_rule_has_a_chinese_help_text(client, editor):
    client.force_login(editor)
    body = client.get(reverse("accounts:password_change")).content.decode()
    assert "至少 12 个字符" in body


def test_changing_the_password_rotates_this_session_and_ends_the_others(signer):
    here, elsewhere = Client(), Client()
    force_login_verified(here, signer)
    force_login_verified(elsewhere, signer)
    key = here.session.session_key
    new = "a-much-better-passphrase-2026"
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    assert here.session.session_key != key
    # This session stays signed in and verified; the other one is signed out.
    assert here.get(reverse("home")).status_code == 200
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert SESSION_KEY not in elsewhere.session
    assert SecurityEvent.objects.filter(
        user=signer, kind=SecurityEvent.Kind.PASSWORD_CHANGED
    ).exists()


def test_a_wrong_current_password_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    new = "a-much-better-passphrase-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    body = response.content.decode()
    assert "当前密码不正确" in body


def test_no_view_is_exempt_from_csrf():
    """CSRF everywhere: CsrfViewMiddleware is on, and no URL's view opts out of it."""
    from django.conf import settings
    from django.urls import URLPattern, URLResolver, get_resolver

    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE

    def callbacks(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from callbacks(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield str(pattern.pattern), pattern.callback

    exempt = [
        route
        for route, view in callbacks(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]
    assert exempt == []
