"""Starting and stopping a real ``celery worker`` of our own: tests/conftest.py's
``celery_worker_process``, the tests that must kill and restart one, the drills and
bench/bench_delivery.py.

The worker is ready when it has written its node name to ``CITISA_WORKER_READY_FILE``
(citisa/celery.py, on ``worker_ready``), whatever ``LOG_LEVEL`` hides from its log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def database_url(settings_dict) -> str:
    """The ``DATABASE_URL`` of a connection's settings (for a worker on the same database)."""
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


def worker_env(**extra) -> dict:
    from django.conf import settings
    from django.db import connection

    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "SECRET_KEY": settings.SECRET_KEY,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_BROKER_FOLDER": str(settings.CELERY_BROKER_FOLDER),
        **extra,
    }


class Worker:
    def __init__(self, *, queue: str, log_path: Path, env: dict, pool: str = "solo", concurrency=1):
        self.queue, self.log_path, self.env = queue, log_path, env
        self.pool, self.concurrency = pool, concurrency
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def ready_file(self) -> Path:
        return self.log_path.with_name(f"{self.log_path.name}.ready")

    def start(self, *, timeout: float = 90) -> Worker:
        from django.conf import settings

        self._log = self.log_path.open("a")
        self.ready_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "citisa",
                "worker",
                f"--pool={self.pool}",
                f"--concurrency={self.concurrency}",
                "-Q",
                self.queue,
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{self.queue}@%h",
            ],
            env={**self.env, "CITISA_WORKER_READY_FILE": str(self.ready_file)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait(timeout=10)
                raise RuntimeError(f"worker did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged, whatever was in hand is lost."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self._log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log and not self._log.closed:
            self._log.close()
