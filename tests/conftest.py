import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role

from .factories import AllianceFactory, make_secretary, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

# CI machines are small and shared: give a page 15 s, not Playwright's 5 s, before failing.
expect.set_options(timeout=15_000)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs ~0.3 s a user; tests create hundreds. Login still goes through
    # the real authentication path, only the hash is cheaper.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def alliance_a(db):
    return AllianceFactory(
        full_name="甲测试产业技术创新战略联盟", short_name="甲测试联盟", code="901"
    )


@pytest.fixture
def alliance_b(db):
    return AllianceFactory(
        full_name="乙测试产业技术创新战略联盟", short_name="乙测试联盟", code="D901"
    )


@pytest.fixture
def secretary_a(alliance_a):
    return make_secretary(alliance_a, username="secretary_a")


@pytest.fixture
def secretary_b(alliance_b):
    return make_secretary(alliance_b, username="secretary_b")


@pytest.fixture
def editor(db):
    return make_user(Role.EDITOR, username="editor1", full_name="杨丹泽")


@pytest.fixture
def reviewer(db):
    return make_user(Role.REVIEWER, username="reviewer1", full_name="尚辉良")


# Signers and administrators must log in with a second factor: these fixtures have an
# authenticator, as the real ones do. Tests sign them in with
# tests.two_factor.force_login_verified (a force_login that also records the second step,
# as django_otp.login does) or browser_log_in (types a code computed from the secret).
@pytest.fixture
def signer(db):
    from .two_factor import give_authenticator

    user = make_user(Role.SIGNER, username="signer1", full_name="李新男")
    give_authenticator(user)
    return user


@pytest.fixture
def administrator(db):
    from .two_factor import give_authenticator

    user = make_user(Role.ADMINISTRATOR, username="admin1")
    give_authenticator(user)
    return user


@pytest.fixture
def recipient(db):
    return make_user(Role.RECIPIENT, username="recipient1")


def _database_url(settings_dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if user else ""
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, artifacts_dir):
    """A real ``celery worker`` process on the configured broker and the test database.

    It consumes a queue of its own, made the default for this test session, so a worker of
    ``make run`` on the same machine never takes the tests' messages (nor they its).
    """
    from django.conf import settings
    from django.db import connection

    from citisa.celery import app

    queue = f"citisa-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "SECRET_KEY": settings.SECRET_KEY,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_BROKER_FOLDER": str(settings.CELERY_BROKER_FOLDER),
        "EMAIL_FILE_PATH": str(artifacts_dir / "mail"),
    }
    log_path = artifacts_dir / "celery-worker.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "citisa",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "-l",
            "INFO",
            "-n",
            f"{queue}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )
    deadline = time.monotonic() + 90
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"celery worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_for(predicate, *, timeout=30.0, interval=0.1):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture
def celery_eager():
    """Run tasks in the calling process when they are queued (``.delay()`` after commit),
    for tests that go through ``on_commit`` without a worker: nothing reaches the broker."""
    from citisa.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
