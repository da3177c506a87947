"""Throwaway servers the failure drills can stop and start: a PostgreSQL cluster, a Redis
and an SMTP sink, each on a free loopback port with its files in a temporary folder.
Never the CI servers (5432, 6391)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.distribution.smtp_sink import SmtpSink


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def postgres_bin() -> Path | None:
    root = Path("/usr/lib/postgresql")
    versions = sorted(root.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Postgres:
    """A cluster of our own: trust authentication on 127.0.0.1, its socket in its folder,
    durability off (a drill's data is thrown away)."""

    def __init__(self, folder: Path):
        self.bin = postgres_bin()
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()

    def _run(self, *args, check=True, timeout=60):
        command = [str(a) for a in args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)

    def init(self) -> Postgres:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        return self.start()

    def start(self) -> Postgres:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start"
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    @property
    def running(self) -> bool:
        return (
            self._run(self.bin / "pg_ctl", "-D", self.data, "status", check=False).returncode == 0
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, *, database: str = "postgres") -> str:
        done = self._run(
            self.bin / "psql",
            "-h",
            "127.0.0.1",
            "-p",
            self.port,
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            statement,
        )
        return done.stdout.strip()

    def destroy(self) -> None:
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """A redis-server of our own, no persistence (a stop loses what was queued, as a
    crash of a broker without persistence would)."""

    binary = shutil.which("redis-server") or "/usr/bin/redis-server"

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while not port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((self.folder / "redis.log").read_text()[-2000:])
            time.sleep(0.02)
        return self

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections, nothing answers (a hung broker)."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Smtp:
    """The tests' SMTP sink (tests/distribution/smtp_sink.py) that can be stopped and
    started again on the same port: while stopped, connections are refused. ``delay``
    slows each accepted message, so a fan-out lasts long enough to be interrupted."""

    def __init__(self, *, delay: float = 0.0):
        self.port = free_port()
        self.delay = delay
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.sink: SmtpSink | None = None

    def start(self) -> Smtp:
        sink = SmtpSink(port=self.port)
        sink._server.block_on_close = False  # a stop does not wait for open sessions
        sink.messages = self.messages  # one record across restarts
        if self.delay:
            accept = sink.accept

            def slow_accept(sender, recipients, data, accept=accept):
                time.sleep(self.delay)
                accept(sender, recipients, data)

            sink.accept = slow_accept
        self.sink = sink.start()
        return self

    def stop(self) -> None:
        if self.sink is not None:
            self.sink.stop()
            self.sink = None

    def recipients(self) -> list[str]:
        """The addresses of every distribution e-mail received (not the notifications to
        the staff), once per message."""
        return [
            address
            for _sender, to, data in self.messages
            if b"\nX-Citisa-Dispatch:" in data.replace(b"\r\n", b"\n")
            for address in to
        ]
