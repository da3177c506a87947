import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests make many users; the real hasher costs ~0.3 s each and tests no rule here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # Queued tasks run in the test process when their on_commit callback runs (the real
    # worker path is covered by tests/system and the browser journey).
    from citisa.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
