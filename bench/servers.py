"""Throwaway servers for the load benchmark: a PostgreSQL cluster and gunicorn, each on a
free loopback port, in a temporary folder, stopped by ``stop()`` (call it in ``finally``).

PostgreSQL runs as the ``postgres`` OS user (we may be root; the server refuses to run as
root) from Debian's ``/usr/lib/postgresql/<version>/bin``; local connections are trusted,
so no password is involved and the cluster dies with its folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the bench process dies, however it dies."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def postgres_available() -> bool:
    if postgres_bin() is None:
        return False
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return os.geteuid() == 0 or pwd.getpwuid(os.geteuid()).pw_name == "postgres"


class ThrowawayPostgres:
    """``initdb`` + ``pg_ctl start`` in ``folder``; ``url`` is the DATABASE_URL of ``name``."""

    def __init__(self, folder: Path, *, name: str = "citisa_bench"):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.folder = folder / "pg"
        self.data = self.folder / "data"
        self.sockets = self.folder / "run"
        self.log = self.folder / "server.log"
        self.name = name
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"

    def _as_postgres(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> ThrowawayPostgres:
        self.folder.mkdir(parents=True)
        self.sockets.mkdir()
        # The server runs as ``postgres``: it must reach and own its folder.
        os.chmod(self.folder.parent, 0o755)  # noqa: S103 - a temp dir holding no secrets
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for path in (self.folder, self.sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._as_postgres(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c max_connections=100 -c shared_buffers=128MB"
        )
        # Fast while the data is built; ``durable()`` turns syncing on for the run (in the
        # file, not on the command line, so that ALTER SYSTEM can override it).
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        self._as_postgres(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
            "-t", "60", "start",
        )  # fmt: skip
        self.started = True
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def durable(self) -> None:
        """Sync commits to disk from now on, as a production server does."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            for name in ("fsync", "synchronous_commit", "full_page_writes"):
                conn.execute(f"ALTER SYSTEM SET {name} = on")
            conn.execute("SELECT pg_reload_conf()")
            conn.execute("CHECKPOINT")
            time.sleep(0.2)  # the reload is asynchronous
            off = [
                name
                for name in ("fsync", "synchronous_commit", "full_page_writes")
                if conn.execute(f"SHOW {name}").fetchone()[0] != "on"
            ]
        if off:
            raise RuntimeError(f"PostgreSQL did not turn on {off}")

    @property
    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.started:
            try:
                self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError:
                self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
            self.started = False


class Gunicorn:
    """gunicorn serving ``citisa.wsgi`` on a free loopback port with ``env``."""

    def __init__(self, folder: Path, *, env: dict, workers: int, threads: int):
        self.folder = folder
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.threads = threads
        self.access_log = folder / "gunicorn-access.log"
        self.error_log = folder / "gunicorn-error.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_path: str = "/accounts/login/", timeout: float = 90) -> Gunicorn:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "citisa.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--worker-class", "gthread",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--timeout", "60",
            "--preload",  # import the app (and load jieba) once, before forking
            "--access-logfile", str(self.access_log),
            "--error-logfile", str(self.error_log),
            "--chdir", str(ROOT),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.error_log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def server_errors(self) -> int:
        """Responses with a 5xx status in the access log."""
        if not self.access_log.exists():
            return 0
        count = 0
        for line in self.access_log.read_text(errors="replace").splitlines():
            parts = line.split('" ')
            if len(parts) > 1 and parts[1][:1] == "5":
                count += 1
        return count


def cpu_seconds(root_pid: int | None) -> float:
    """User + system CPU seconds of a process and its live children (from /proc)."""
    if root_pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        pid = int(text.split(" ", 1)[0])
        fields = text.rsplit(")", 1)[1].split()
        # fields[1] is the parent pid; [11], [12] are utime and stime (man 5 proc).
        if pid == root_pid or int(fields[1]) == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
