"""Starting and stopping a real ``celery worker`` of our own, as tests/conftest.py's
``celery_worker_process`` does, for tests that must kill and restart it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import _database_url


def worker_env(**extra) -> dict:
    from django.conf import settings
    from django.db import connection

    return {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
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

    def start(self, *, timeout: float = 90) -> Worker:
        from django.conf import settings

        self._log = self.log_path.open("a")
        offset = self.log_path.stat().st_size
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
                "-l",
                "INFO",
                "-n",
                f"{self.queue}@%h",
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
        deadline = time.monotonic() + timeout
        while "ready." not in self.log_path.read_text()[offset:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
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
