"""Structured logs: request ids, the access line, JSON format, task context, no secrets."""

import json
import logging
import os
import subprocess
import sys
from logging.config import DictConfigurator

import pytest
from celery import shared_task
from django.conf import settings
from django.urls import reverse

from citisa.observability import ContextFilter, request_id_from
from tests.factories import PASSWORD

task_logger = logging.getLogger("tests.system.task")


@shared_task(name="tests.system.log_inside_a_task")
def log_inside_a_task():
    task_logger.info("working on it")


def json_formatter():
    return DictConfigurator({}).configure_formatter(dict(settings.LOGGING["formatters"]["json"]))


def as_json(record) -> dict:
    ContextFilter().filter(record)
    return json.loads(json_formatter().format(record))


def access_lines(caplog):
    return [r for r in caplog.records if r.name == "citisa.request"]


@pytest.mark.django_db
def test_a_sane_request_id_is_kept_and_logged_with_path_status_duration_and_user(
    client, editor, caplog
):
    caplog.set_level(logging.INFO)
    client.force_login(editor)
    response = client.get("/", HTTP_X_REQUEST_ID="proxy-id-1234")
    assert response["X-Request-ID"] == "proxy-id-1234"
    (line,) = access_lines(caplog)
    data = as_json(line)
    assert data["request_id"] == "proxy-id-1234"
    assert data["user_id"] == editor.pk
    assert (data["method"], data["path"], data["status"]) == ("GET", "/", 200)
    assert isinstance(data["duration_ms"], float) and data["level"] == "INFO"
    assert data["logger"] == "citisa.request" and "time" in data


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", [None, "", "short", "has spaces in it", 'quote"injected', "x" * 200, "nl\nforged"]
)
def test_an_absent_or_unsafe_request_id_is_replaced_by_a_fresh_one(client, header, caplog):
    caplog.set_level(logging.INFO)
    extra = {} if header is None else {"HTTP_X_REQUEST_ID": header}
    first = client.get("/accounts/login/", **extra)["X-Request-ID"]
    second = client.get("/accounts/login/", **extra)["X-Request-ID"]
    assert first != header and len(first) == 32 and first != second
    assert [r.request_id for r in access_lines(caplog)] == [first, second]
    assert all(r.user_id is None for r in access_lines(caplog))


def test_request_id_rule():
    assert request_id_from("abcd-1234-EF.gh:ij") == "abcd-1234-EF.gh:ij"
    assert request_id_from("bad id") != "bad id"


@pytest.mark.django_db
def test_django_own_lines_during_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me-404")
    assert response.status_code == 404
    django_line = next(r for r in caplog.records if r.name == "django.request")
    assert as_json(django_line)["request_id"] == "trace-me-404"
    assert as_json(access_lines(caplog)[0])["level"] == "WARNING"


@pytest.mark.django_db
def test_a_failing_view_is_logged_as_an_error_with_traceback_and_request_id(
    client, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)

    def broken():
        raise RuntimeError("health check exploded")

    monkeypatch.setattr("citisa.views.health_report", broken)
    client.raise_request_exception = False
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-me-500")
    assert response.status_code == 500 and response["X-Request-ID"] == "trace-me-500"
    error = next(r for r in caplog.records if r.name == "django.request")
    data = as_json(error)
    assert data["level"] == "ERROR" and data["request_id"] == "trace-me-500"
    assert "Traceback" in data["exc_info"] and "health check exploded" in data["exc_info"]
    assert as_json(access_lines(caplog)[0])["status"] == 500


@pytest.mark.django_db
def test_download_tokens_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/download/SECRET-TOKEN-abc:def/pdf")
    assert "SECRET-TOKEN" not in caplog.text
    assert access_lines(caplog)[0].path.startswith("/download/…")


@pytest.mark.django_db
def test_a_failed_login_logs_no_password(client, editor, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-Password-Never-Logged-42"
    response = client.post(
        reverse("accounts:login"), {"username": editor.username, "password": wrong}
    )
    assert response.status_code == 200  # the form again, with the message
    client.post(reverse("accounts:login"), {"username": editor.username, "password": PASSWORD})
    formatted = "\n".join(json.dumps(as_json(r), ensure_ascii=False) for r in caplog.records)
    for secret in (wrong, PASSWORD):
        assert secret not in caplog.text and secret not in formatted
    assert len(access_lines(caplog)) == 2


def test_errors_are_logged_with_their_traceback():
    logger = logging.getLogger("tests.system.errors")
    try:
        raise ValueError("broken on purpose")
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "it failed", (), sys.exc_info()
        )
    data = as_json(record)
    assert data["message"] == "it failed" and data["level"] == "ERROR"
    assert "Traceback" in data["exc_info"] and "broken on purpose" in data["exc_info"]


def test_task_lines_carry_the_task_id_and_name(caplog):
    caplog.set_level(logging.INFO)
    result = log_inside_a_task.apply()
    line = next(r for r in caplog.records if r.name == task_logger.name)
    data = as_json(line)
    assert data["task_id"] == result.id
    assert data["task_name"] == "tests.system.log_inside_a_task"
    # and nothing of it leaks into lines written after the task
    after = logging.getLogger("x").makeRecord("x", logging.INFO, __file__, 1, "later", (), None)
    assert as_json(after)["task_id"] is None


@pytest.mark.parametrize(
    ("env", "is_json"),
    [
        ({"LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "citisa.settings"}, True),
        ({"DJANGO_SETTINGS_MODULE": "citisa.settings"}, False),
        ({"DJANGO_SETTINGS_MODULE": "citisa.settings_production"}, True),
    ],
    ids=["dev-json", "dev-plain", "production"],
)
def test_log_format_follows_the_settings(env, is_json):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import logging; logging.getLogger('citisa.probe').warning('probe 探针')",
        ],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
        | {"SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if "probe" in x)
    if is_json:
        data = json.loads(line)
        assert data["message"] == "probe 探针" and data["logger"] == "citisa.probe"
        assert data["level"] == "WARNING" and "request_id" in data
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(line)
