"""Helpers for tests that sign in users who have (or must have) a second factor.

How the rest of the suite keeps working with two-factor login, honestly:
- The ``signer`` and ``administrator`` fixtures (tests/conftest.py) get a confirmed
  authenticator through ``give_authenticator`` — as a real signer or administrator must.
- ``force_login_verified(client, user)`` is ``client.force_login`` plus what the second
  step of the login leaves in the session: django-otp's ``otp_device_id`` key set to the
  user's authenticator, exactly as ``django_otp.login`` sets it. Users who have no
  authenticator and need none get a plain ``force_login``. It skips the code, not any check:
  the middleware and the admin still ask django-otp whether the session is verified.
- ``browser_log_in(page, live_server_url, user)`` goes through the real login page and, for
  a user with an authenticator, the real second step with a code computed from the secret.
"""

import time

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import two_factor_required

from .factories import PASSWORD


def give_authenticator(user) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (the one they already have, if any)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)


def current_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``offset_steps`` later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet. Codes cannot be replayed, so when this time
    step's code was used already, take the next step's (still within the tolerance, and
    django-otp follows the drift), as an app would show it a few seconds later."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    t = max(totp.t(), device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def mark_verified(client, user) -> None:
    """Record in ``client``'s session that ``user`` passed the second step."""
    device = give_authenticator(user)
    session = client.session
    assert session[SESSION_KEY] == str(user.pk), "log the user in first"
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_verified(client, user) -> None:
    client.force_login(user)
    if two_factor_required(user) or TOTPDevice.objects.filter(user=user).exists():
        mark_verified(client, user)


def browser_log_in(page, live_server_url, user, password=PASSWORD) -> None:
    """Log in through the login page, and through the second step when the user has an
    authenticator. Leaves the browser on the page the login lands on."""
    page.goto(f"{live_server_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        page.get_by_label("验证码").fill(fresh_code(device))
        page.get_by_role("button", name="验证并登录").click()
