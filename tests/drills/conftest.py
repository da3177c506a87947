"""Servers and the application's processes for the failure drills (``pytest.mark.drill``).

The drills do not use pytest-django's test database: the application runs in processes of
its own (Celery workers, gunicorn, ``manage.py``, ``tests.drills.app``) against a
throwaway PostgreSQL cluster and Redis that the drill can stop and start. A template
database is migrated once per session; each drill gets a fresh copy of it. The test
process reads the drill's database with psycopg.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.distribution.worker import Worker

from .servers import Postgres, Redis, Smtp, free_port, port_open, postgres_bin

BASE_DIR = Path(__file__).resolve().parents[2]
MISSING = [
    name
    for name, found in (("redis-server", Path(Redis.binary).exists()), ("initdb", postgres_bin()))
    if not found
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "drill" in item.keywords and MISSING:
            item.add_marker(pytest.mark.skip(reason=f"drill needs {', '.join(MISSING)}"))


@pytest.fixture(scope="session")
def drill_root():
    root = Path(tempfile.mkdtemp(prefix="citisa-drills-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its cluster folder inside
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def drill_postgres(drill_root):
    """The cluster, with the database ``template_citisa`` migrated once."""
    server = Postgres(drill_root / "pg")
    try:
        server.init()
        server.sql("CREATE DATABASE template_citisa")
        run_app(
            ["manage.py", "migrate", "--noinput", "-v", "0"],
            env=base_env(drill_root / "migrate", database_url=server.url("template_citisa")),
            timeout=300,
        )
        yield server
    finally:
        server.destroy()


_names = itertools.count(1)


class Drill:
    """One drill's world: a fresh database, a Redis, an SMTP sink, a folder, and helpers to
    run the application's processes against them. Everything it started is stopped at the
    end, whatever happened."""

    def __init__(self, postgres: Postgres, folder: Path):
        self.postgres, self.folder = postgres, folder
        self.database = f"drill_{next(_names)}"
        postgres.sql(f"CREATE DATABASE {self.database} TEMPLATE template_citisa")
        self.redis = Redis(folder / "redis").start()
        self.smtp = Smtp()
        self.workers: list[Worker] = []
        self.processes: list[subprocess.Popen] = []
        self.extra_env: dict[str, str] = {}

    @property
    def database_url(self) -> str:
        return self.postgres.url(self.database)

    def env(self, **extra) -> dict:
        return base_env(
            self.folder / "var",
            database_url=self.database_url,
            broker_url=self.redis.url,
            smtp_port=self.smtp.port,
            **self.extra_env,
            **extra,
        )

    def app(self, *args, timeout=120, **extra_env) -> dict:
        """``python -m tests.drills.app …``; its JSON answer."""
        done = run_app(
            ["-m", "tests.drills.app", *args], env=self.env(**extra_env), timeout=timeout
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args, timeout=120, **extra_env) -> str:
        return run_app(["manage.py", *args], env=self.env(**extra_env), timeout=timeout).stdout

    def worker(self, name: str = "worker", **extra_env) -> Worker:
        log = self.folder / f"{name}.log"
        worker = Worker(queue="celery", log_path=log, env=self.env(**extra_env))
        self.workers.append(worker)
        return worker.start()

    def web(self, *, workers: int = 2, **extra_env) -> str:
        """gunicorn serving the application on a free port; its base URL."""
        port = free_port()
        log = (self.folder / "gunicorn.log").open("a")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "citisa.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
            env=self.env(**extra_env),
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        wait_until(lambda: port_open(port) or process.poll() is not None, timeout=60)
        assert process.poll() is None, (self.folder / "gunicorn.log").read_text()[-3000:]
        return f"http://127.0.0.1:{port}"

    def query(self, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def value(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.redis.stop()
        self.smtp.stop()


@pytest.fixture
def drill(drill_postgres, drill_root, artifacts_dir, request):
    folder = drill_root / request.node.name[:60]
    folder.mkdir(parents=True, exist_ok=True)
    world = Drill(drill_postgres, folder)
    try:
        yield world
    finally:
        world.close()
        # The processes' logs, kept for the post-mortem of a failed drill.
        logs = artifacts_dir / "drills" / folder.name
        logs.mkdir(parents=True, exist_ok=True)
        for log in folder.rglob("*.log"):
            shutil.copy(log, logs / log.name)
        if not drill_postgres.running:  # a drill that stopped it and failed
            drill_postgres.start()


def base_env(var_dir: Path, *, database_url: str, broker_url="memory://", smtp_port=None, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "citisa.settings",
        "SECRET_KEY": "drill-only-not-secret",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CITISA_VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CACHE_URL", None)  # never the CI's Redis
    if smtp_port:
        env |= {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "false"}
    return env | {key: str(value) for key, value in extra.items()}


def run_app(args, *, env, timeout=120) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done


def wait_until(predicate, *, timeout=60.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not met within {timeout} s")
