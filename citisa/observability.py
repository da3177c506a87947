"""Structured logs: a request id for every request, and the request's (or the Celery
task's) context on every log line written while it runs.

- ``RequestIdMiddleware`` (first in MIDDLEWARE) takes a sane ``X-Request-ID`` from the
  proxy or makes one, returns it in the response header, and writes one ``citisa.request``
  line per request: method, path, status, duration, user id.
- ``ContextFilter`` (on the console handler) copies request id, user id, task id and task
  name from context variables onto every record, so a formatter can print them (the JSON
  formatter always does).
- Celery's ``task_prerun``/``task_postrun`` signals set the task's id and name
  (connected in ``citisa.celery``).

Nothing from a request body or a query string is logged; the signed token of a personal
download link is cut out of the path.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

import pythonjsonlogger.json
from pythonjsonlogger.core import RESERVED_ATTRS

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
task_name_var: ContextVar[str | None] = ContextVar("task_name", default=None)
request_var: ContextVar[object | None] = ContextVar("request", default=None)

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# Paths that carry a bearer token (personal download links): the token is not logged.
_TOKEN_PATHS = re.compile(r"(/download/)[^/\s'\"]+")

request_logger = logging.getLogger("citisa.request")


def request_id_from(header: str | None) -> str:
    """The proxy's id when it looks like one (no spaces, quotes or control characters that
    could forge log lines), else a new one."""
    if header and _SANE_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def loggable_path(path: str) -> str:
    return _TOKEN_PATHS.sub(r"\1…", path)


class ContextFilter(logging.Filter):
    """Put the current request/task context on every record (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's django.request lines carry the request (some are written after the
        # middleware has returned); otherwise the request being served, if any.
        request = getattr(record, "request", None) or request_var.get()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            # Only a user authentication already loaded: never query from a log call.
            user = getattr(request, "_cached_user", None)
            record.user_id = user_id_var.get() or (
                user.pk if user is not None and user.is_authenticated else None
            )
        if isinstance(record.args, tuple) and any(
            isinstance(arg, str) and "/download/" in arg for arg in record.args
        ):  # "Not Found: /download/<token>/": the token stays out of every handler
            record.args = tuple(
                loggable_path(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        for name, var in (("task_id", task_id_var), ("task_name", task_name_var)):
            if not hasattr(record, name):
                setattr(record, name, var.get())
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """JSON lines; Django's ``request`` object (its repr carries the full path) is left out:
    ``path`` and ``request_id`` say which request it was."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        tokens = [
            request_id_var.set(request_id),
            user_id_var.set(None),
            request_var.set(request),
        ]
        started = time.monotonic()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            user_id_var.set(user_id)
            response["X-Request-ID"] = request_id
            status = response.status_code
            level = (
                logging.ERROR
                if status >= 500
                else logging.WARNING
                if status >= 400
                else logging.INFO
            )
            path = loggable_path(request.path)
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                path,
                status,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user_id,
                    "request_id": request_id,
                },
            )
            return response
        finally:
            request_var.reset(tokens[2])
            user_id_var.reset(tokens[1])
            request_id_var.reset(tokens[0])


def task_context_set(*, task_id: str | None, task_name: str | None) -> None:
    task_id_var.set(task_id)
    task_name_var.set(task_name)
