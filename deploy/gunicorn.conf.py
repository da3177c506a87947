"""gunicorn for citisa: `gunicorn --config deploy/gunicorn.conf.py citisa.wsgi` (see
docs/production.md). nginx in front buffers slow clients, so sync workers suffice: PDFs
are rendered by Celery, never inside a request."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# A request that takes longer than this is a bug or a stuck database: kill the worker.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory growth of long-lived processes), not all at once.
max_requests = 1000
max_requests_jitter = 100
# Load the app (and jieba's dictionary, fonts) once in the master, before forking.
preload_app = True
# Only nginx on this machine talks to gunicorn; trust its X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1,::1"
proxy_allow_ips = "127.0.0.1,::1"

# Logs go to stderr (journald). Error log as JSON lines like the application's own. The
# application writes one JSON access line per request itself (citisa.request: request id,
# user, status, duration, with download tokens cut out of the path), so gunicorn's access
# log is off unless GUNICORN_ACCESS_LOG names a file (or "-" for stderr); it is JSON too.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, '
    '"request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "message",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
