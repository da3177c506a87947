import os
import shutil
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role

from .distribution.worker import Worker, worker_env
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


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, artifacts_dir):
    """A real ``celery worker`` process on the configured broker and the test database.

    It consumes a queue of its own, made the default for this test session, so a worker of
    ``make run`` on the same machine never takes the tests' messages (nor they its).
    """
    from citisa.celery import app

    queue = f"citisa-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    log_path = artifacts_dir / "celery-worker.log"
    log_path.write_text("")
    worker = Worker(
        queue=queue, log_path=log_path, env=worker_env(EMAIL_FILE_PATH=str(artifacts_dir / "mail"))
    ).start()
    yield worker.process
    worker.stop()


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
