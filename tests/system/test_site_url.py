"""Links in e-mails follow the address the site was started on (``PORT=8301
make run`` wrote links to :8000). ``scripts/run.sh`` exports ``HOST``/``PORT``; the
settings derive ``SITE_URL`` from them unless it is set."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail

from submissions.models import SubmissionEvent
from submissions.notifications import event_email_send
from tests.factories import make_accepted_submission


def site_url_under(**env_changes) -> str:
    """``settings.SITE_URL`` as a fresh process computes it with these variables."""
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.update(env_changes, DJANGO_SETTINGS_MODULE="citisa.settings")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "env_changes,expected",
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8301"}, "http://127.0.0.1:8301"),
        ({"HOST": "192.168.1.20", "PORT": "8301"}, "http://192.168.1.20:8301"),
        ({"HOST": "0.0.0.0", "PORT": "8301"}, "http://127.0.0.1:8301"),  # noqa: S104
        ({"HOST": "::1", "PORT": "8301"}, "http://[::1]:8301"),
        (
            {"PORT": "8301", "SITE_URL": "https://bulletin.example.org/"},
            "https://bulletin.example.org",
        ),
    ],
)
def test_site_url_follows_host_and_port_unless_set(env_changes, expected):
    assert site_url_under(**env_changes) == expected


def test_run_script_exports_host_and_port_to_the_server_and_the_worker():
    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    assert 'export HOST="${HOST:-127.0.0.1}"' in script
    assert 'export PORT="${PORT:-8000}"' in script


@pytest.mark.django_db
def test_an_email_sent_under_port_8301_links_to_port_8301(
    settings, alliance_a, secretary_a, editor
):
    settings.SITE_URL = site_url_under(PORT="8301")
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="端口测试稿件")
    event = SubmissionEvent.objects.get(submission=submission, action="accept")
    mail.outbox.clear()
    assert event_email_send(event_id=event.pk)
    (message,) = mail.outbox
    assert f"http://127.0.0.1:8301/submissions/{submission.pk}/" in message.body
    assert ":8000" not in message.body
