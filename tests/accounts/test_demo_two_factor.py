"""The demo signer and administrator (make run) can get through the second step."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import User
from citisa.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, demo_second_factors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue(), tmp_path / "demo-recovery-codes.txt"


def codes_of(path, username):
    text = path.read_text(encoding="utf-8")
    block = text.split(f"\n{username}（", 1)[1].split("\n\n", 1)[0]
    return [a + b for a, b in re.findall(r"^  ([a-z2-7]{4}) ([a-z2-7]{4})$", block, re.M)]


def log_in(client, username, code):
    client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    return client.post(reverse("accounts:two_factor_verify"), {"code": code})


def test_the_output_says_how_to_pass_the_second_step(demo):
    output, path = demo
    assert "两步验证" in output and str(path) in output
    assert "MNUXI2LTMEWWIZLNN4WXI33UOAWWWZLZ" in output  # base32 of DEMO_TOTP_KEY


@pytest.mark.parametrize("username", ["signer", "admin"])
def test_a_recovery_code_from_the_file_logs_the_demo_user_in(demo, username):
    _, path = demo
    codes = codes_of(path, username)
    assert len(codes) == 10
    client = Client()
    response = log_in(client, username, codes[0])
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_secret_logs_in_and_codes_are_topped_up(demo, settings):
    _, path = demo
    client = Client()
    assert log_in(client, "signer", f"{totp(DEMO_TOTP_KEY):06d}").status_code == 302
    log_in(Client(), "admin", codes_of(path, "admin")[0])
    call_command("load_demo", stdout=StringIO())
    assert len(codes_of(path, "admin")) == 10
    assert User.objects.get(username="admin").staticdevice_set.get().token_set.count() == 10
    assert oct(path.stat().st_mode)[-3:] == "600"


def test_other_demo_users_have_no_second_factor(demo):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "editor", "password": DEMO_PASSWORD}
    )
    assert response.url == reverse("home")


def test_never_outside_debug(settings, signer):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        demo_second_factors([signer])
