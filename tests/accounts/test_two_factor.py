"""Two-factor login: the second step, enrolment, recovery codes, throttling, the boundary
that keeps a half-logged-in session out of every page, the admin, and the reset."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, SecurityEvent
from accounts.services import recovery_codes_regenerate
from tests.factories import PASSWORD, make_user
from tests.two_factor import (
    current_code,
    force_login_verified,
    fresh_code,
    give_authenticator,
)

pytestmark = pytest.mark.django_db

VERIFY_URL = reverse("accounts:two_factor_verify")
ENROL_URL = reverse("accounts:two_factor_enrol")
REQUIRED = {Role.SIGNER, Role.ADMINISTRATOR}


def password_step(client, user, ip="10.0.0.1", next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip)


def second_step(client, code, next_url=""):
    return client.post(VERIFY_URL, {"code": code, "next": next_url})


def is_verified_session(client):
    return DEVICE_ID_SESSION_KEY in client.session


# --- After the password step: roles × {no authenticator, authenticator} -------------------


@pytest.mark.parametrize("with_device", [False, True], ids=["no-device", "device"])
@pytest.mark.parametrize("role", list(Role))
def test_what_follows_the_password_step(client, role, with_device):
    user = make_user(role)
    if with_device:
        give_authenticator(user)
    response = password_step(client, user)
    assert response.status_code == 302
    if with_device:
        expected = VERIFY_URL
    elif role in REQUIRED:
        expected = ENROL_URL
    else:
        expected = reverse("home")
    assert response.url.split("?")[0] == expected
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not is_verified_session(client)
    home = client.get(reverse("home"))
    if expected == reverse("home"):
        assert home.status_code == 200
    else:
        assert home.status_code == 302 and home.url.startswith(expected)


def test_the_required_roles_are_a_setting(client, settings):
    settings.CITISA_TWO_FACTOR_REQUIRED_ROLES = [Role.EDITOR]
    editor = make_user(Role.EDITOR)
    assert password_step(client, editor).url.startswith(ENROL_URL)
    signer = make_user(Role.SIGNER)
    other = Client()
    assert password_step(other, signer).url == reverse("home")


def test_superusers_must_enrol_too(client):
    from accounts.services import user_create

    root = user_create(username="root", password=PASSWORD)
    root.is_superuser = True
    root.save()
    assert password_step(client, root).url.startswith(ENROL_URL)


# --- The second step ------------------------------------------------------------------------


def test_right_code_verifies_keeps_next_and_rotates_the_session_key(client, signer):
    device = TOTPDevice.objects.get(user=signer)
    response = password_step(client, signer, next_url="/issues/")
    assert response.url == f"{VERIFY_URL}?next=%2Fissues%2F"
    page = client.get(response.url).content.decode()
    assert "两步验证" in page and "6 位数字" in page and "恢复码" in page
    half_key = client.session.session_key
    response = second_step(client, current_code(device), next_url="/issues/")
    assert response.status_code == 302 and response.url == "/issues/"
    assert client.session.session_key != half_key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_next_pointing_elsewhere_is_ignored(client, signer):
    device = TOTPDevice.objects.get(user=signer)
    password_step(client, signer)
    response = second_step(client, current_code(device), next_url="https://evil.example/")
    assert response.url == reverse("home")


def test_wrong_code_says_so_and_counts_toward_the_throttle(client, signer):
    device = TOTPDevice.objects.get(user=signer)
    password_step(client, signer)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = second_step(client, wrong)
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not is_verified_session(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Straight after a failure the device waits (1 s, doubling): even the right code waits.
    response = second_step(client, current_code(device))
    assert "错误次数过多" in response.content.decode() and "秒后再试" in response.content.decode()
    assert not is_verified_session(client)


@pytest.mark.parametrize(
    "code,message",
    [("", "请输入验证码"), ("12345", "6 位数字"), ("1234567", "6 位数字")],
)
def test_malformed_codes_get_a_clear_message(client, signer, code, message):
    password_step(client, signer)
    assert message in second_step(client, code).content.decode()


@pytest.mark.parametrize("code", ["12345", "1234567", "abc", "abcd efgh ij"])
def test_a_code_of_the_wrong_length_is_told_of_both_kinds_of_code(client, signer, code):
    """Recovery codes are accepted too: the message must not speak of six digits only."""
    password_step(client, signer)
    page = second_step(client, code).content.decode()
    assert "6 位数字" in page and "8 位的恢复码" in page
    assert not is_verified_session(client)


def test_an_all_digit_recovery_code_is_tried_as_a_recovery_code(client, signer):
    from django_otp.plugins.otp_static.models import StaticDevice

    recovery_codes_regenerate(user=signer, actor=signer)
    StaticDevice.objects.get(user=signer).token_set.create(token="23456723")
    password_step(client, signer)
    response = second_step(client, "2345 6723")
    assert response.status_code == 302 and is_verified_session(client)


def test_a_totp_code_cannot_be_replayed(client, signer):
    device = TOTPDevice.objects.get(user=signer)
    code = current_code(device)
    password_step(client, signer)
    assert second_step(client, code).status_code == 302
    other = Client()
    password_step(other, signer, ip="10.0.0.2")
    response = second_step(other, code)
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert not is_verified_session(other)


def test_a_recovery_code_works_once(client, signer):
    codes = recovery_codes_regenerate(user=signer, actor=signer)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_step(client, signer)
    # Typed as shown on the page (two groups) and in capitals: still accepted.
    shown = f"{codes[0][:4]} {codes[0][4:]}".upper()
    response = second_step(client, shown)
    assert response.status_code == 302 and is_verified_session(client)
    assert "还剩 9 个" in client.get(reverse("home")).content.decode()
    other = Client()
    password_step(other, signer, ip="10.0.0.2")
    response = second_step(other, codes[0])
    assert "验证码不正确或已使用过" in response.content.decode()
    assert not is_verified_session(other)
    assert StaticToken.objects.filter(device__user=signer).count() == 9


def test_throttling_is_capped_so_it_cannot_lock_the_real_user_out_for_long(
    client, signer, settings
):
    """Someone with the password hammering wrong codes slows the device down, but the wait
    never passes 2**(cap-1) seconds; then the real user's right code goes through."""
    device = TOTPDevice.objects.get(user=signer)
    device.throttling_failure_count = 40  # 2**39 s without the cap
    device.throttling_failure_timestamp = timezone.now() - timedelta(
        seconds=2 ** (settings.CITISA_TWO_FACTOR_MAX_FAILURES - 1) + 1
    )
    device.save()
    password_step(client, signer)
    assert second_step(client, current_code(device)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_throttled_wait_is_announced_with_its_length(client, signer, settings):
    device = TOTPDevice.objects.get(user=signer)
    device.throttling_failure_count = 40
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    password_step(client, signer)
    body = second_step(client, current_code(device)).content.decode()
    cap_wait = 2 ** (settings.CITISA_TWO_FACTOR_MAX_FAILURES - 1)
    assert f"请在 {cap_wait} 秒后再试" in body or f"请在 {cap_wait + 1} 秒后再试" in body


def test_login_rotates_the_session_key_at_both_steps(client, administrator):
    device = TOTPDevice.objects.get(user=administrator)
    client.get(reverse("accounts:login"))
    client.session.save()
    anonymous_key = client.session.session_key
    password_step(client, administrator)
    half_key = client.session.session_key
    assert half_key != anonymous_key
    second_step(client, current_code(device))
    assert client.session.session_key not in {anonymous_key, half_key}


# --- The boundary: a half-logged-in session reaches no page -------------------------------


def _named_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _reverse_with_dummies(name):
    """The URL of ``name`` with placeholder arguments (the middleware answers before the view
    looks anything up, so they need not exist); None when no placeholders fit."""
    attempts = [[]]
    for value in ["1", "x", "0" * 32]:
        attempts += [[value] * n for n in (1, 2, 3)]
    attempts += [["accounts"], ["accounts", "user"], ["accounts", "user", "1"]]
    for args in attempts:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


ALLOWED_WHILE_PENDING = {
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
    "accounts:logout",
    "health",
}


def all_url_names():
    return sorted(set(_named_patterns()))


def test_the_url_walk_finds_the_pages():
    names = all_url_names()
    assert {"home", "admin:index", "accounts:security", "bulletins:index"} <= set(names)
    unreachable = [n for n in names if _reverse_with_dummies(n) is None]
    assert unreachable == []


@pytest.mark.parametrize("step", ["verify", "enrol"])
def test_a_half_logged_in_session_reaches_no_page(client, step):
    user = make_user(Role.SIGNER)
    if step == "verify":
        give_authenticator(user)
    password_step(client, user)
    step_url = VERIFY_URL if step == "verify" else ENROL_URL
    crossed = []
    for name in all_url_names():
        if name in ALLOWED_WHILE_PENDING:
            continue
        url = _reverse_with_dummies(name)
        response = client.get(url)
        if not (response.status_code == 302 and response.url.startswith(step_url)):
            crossed.append((name, url, response.status_code))
    assert crossed == []
    # Writes too, and HTMX requests are told to go to the step with HX-Redirect.
    assert client.post(reverse("accounts:password_change"), {}).url == step_url
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == step_url
    # Neither step lets the session into the other one.
    other_url = ENROL_URL if step == "verify" else VERIFY_URL
    assert client.get(other_url).url.startswith(step_url)
    assert client.get(reverse("health")).status_code in (200, 503)


def test_a_pending_session_sees_no_navigation(client, signer):
    password_step(client, signer)
    body = client.get(VERIFY_URL).content.decode()
    assert "期次" not in body and "账号安全" not in body and "退出" in body


def test_logout_works_from_the_second_step(client, signer):
    password_step(client, signer)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert SESSION_KEY not in client.session


def test_a_reset_device_makes_a_verified_session_owe_its_step_again(client, signer):
    force_login_verified(client, signer)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.filter(user=signer).delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(ENROL_URL)


def test_enabling_two_factor_elsewhere_stops_older_password_only_sessions(client, editor):
    client.force_login(editor)
    assert client.get(reverse("home")).status_code == 200
    give_authenticator(editor)
    assert client.get(reverse("home")).url.startswith(VERIFY_URL)


# --- The admin -------------------------------------------------------------------------------


def test_the_admin_requires_a_verified_session(administrator):
    from citisa.admin_site import CitisaAdminSite

    client = Client()
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(VERIFY_URL)
    force_login_verified(client, administrator)
    assert client.get(reverse("admin:index")).status_code == 200

    # has_permission itself asks for verification too (not only the middleware).
    class Request:
        user = administrator

    administrator.is_verified = lambda: False
    assert not CitisaAdminSite().has_permission(Request)
    administrator.is_verified = lambda: True
    assert CitisaAdminSite().has_permission(Request)


def test_the_admin_login_page_sends_to_the_application_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_second_factors_are_not_editable_in_the_admin():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


# --- Reset by an administrator -----------------------------------------------------------


def test_an_administrator_resets_another_users_second_factor_audited(client, administrator, signer):
    recovery_codes_regenerate(user=signer, actor=signer)
    force_login_verified(client, administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "two_factor_reset_action", "_selected_action": [signer.pk]},
        follow=True,
    )
    assert "已重置 1 位用户的两步验证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=signer).exists()
    assert not StaticDevice.objects.filter(user=signer).exists()
    event = SecurityEvent.objects.filter(user=signer).first()  # the newest
    assert event.kind == SecurityEvent.Kind.TWO_FACTOR_RESET and event.actor == administrator
    # The signer sets up a new authenticator at the next login.
    other = Client()
    assert password_step(other, signer).url.startswith(ENROL_URL)


@pytest.mark.parametrize("who", ["editor", "signer", "self"])
def test_only_another_administrator_may_reset(request, administrator, who):
    from django.core.exceptions import PermissionDenied

    from accounts.services import two_factor_reset

    actor = administrator if who == "self" else request.getfixturevalue(who)
    target = administrator if who == "self" else make_user(Role.REVIEWER)
    give_authenticator(target)
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=target, actor=actor)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not SecurityEvent.objects.exists()


def test_the_reset_action_refuses_ones_own_account(client, administrator):
    force_login_verified(client, administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "two_factor_reset_action", "_selected_action": [administrator.pk]},
        follow=True,
    )
    assert "不能重置自己的两步验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()


# --- The helper the rest of the suite uses ---------------------------------------------------


def test_force_login_verified_sets_exactly_what_django_otp_login_sets(rf, signer):
    import django_otp
    from django.contrib.sessions.backends.db import SessionStore

    device = TOTPDevice.objects.get(user=signer)
    request = rf.get("/")
    request.session = SessionStore()
    request.user = signer
    django_otp.login(request, device)
    client = Client()
    force_login_verified(client, signer)
    assert client.session[DEVICE_ID_SESSION_KEY] == request.session[DEVICE_ID_SESSION_KEY]


def test_fresh_code_never_repeats_a_used_code(client, signer):
    device = TOTPDevice.objects.get(user=signer)
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        c = Client()
        password_step(c, signer, ip=ip)
        assert second_step(c, fresh_code(device)).status_code == 302
