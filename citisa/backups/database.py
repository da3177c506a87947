"""Dumping and restoring the configured database: SQLite through its online backup API,
PostgreSQL through pg_dump/pg_restore. Always the connection settings Django really uses
(``connection.settings_dict``: the test database in tests)."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections, transaction

from .errors import BackupError
from .facts import current_row_counts, row_counts, vendor

# --- PostgreSQL client programs ---------------------------------------------------------------


def pg_program(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore``: Debian keeps one per version under
    /usr/lib/postgresql/<ver>/bin (a pg_dump older than the server refuses to dump);
    CITISA_PG_BIN_DIR overrides, then PATH."""
    candidates = []
    if os.environ.get("CITISA_PG_BIN_DIR"):
        candidates.append(Path(os.environ["CITISA_PG_BIN_DIR"]) / name)
    versions = []
    for folder in Path("/usr/lib/postgresql").glob("*/bin"):
        with contextlib.suppress(ValueError):
            versions.append((tuple(int(p) for p in folder.parent.name.split(".")), folder))
    candidates += [folder / name for _v, folder in sorted(versions, reverse=True)]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"找不到 {name}（PostgreSQL 客户端）：请安装 postgresql-client。")


def _pg_args_env(settings_dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment from the settings Django really uses (the
    test database in tests). The password goes in PGPASSWORD, never on the command line."""
    args = ["--no-password"]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        raise BackupError(
            f"{what}失败（{Path(command[0]).name} 退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}"
        )


# --- Database dumps -------------------------------------------------------------------------


def dump_sqlite(target: Path) -> dict[str, int]:
    """Copy the live database with SQLite's online backup API (a consistent snapshot even
    while a worker writes), then count the rows of the copy itself."""
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        tables = {
            row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }

        def count(table):
            if table not in tables:
                return None
            return copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608

        return row_counts(count)
    finally:
        copy.close()


def dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump --format=custom of the configured database. The row counts are taken in a
    REPEATABLE READ transaction whose snapshot pg_dump shares (--snapshot), so the counts
    are exactly those of the dump even while the site is in use."""
    settings_dict = connection.settings_dict
    args, env = _pg_args_env(settings_dict)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = current_row_counts()
        _run(
            [
                pg_program("pg_dump"),
                *args,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                "--dbname",
                settings_dict["NAME"],
            ],
            env,
            "数据库导出（pg_dump）",
        )
    return counts


def db_member() -> str:
    return {"sqlite": "database/citisa.sqlite3", "postgresql": "database/citisa.pgdump"}[vendor()]


# --- Restoring a dump ---------------------------------------------------------------------------


def restore_sqlite(dump: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def restore_postgresql(dump: Path) -> None:
    connections.close_all()
    settings_dict = connection.settings_dict
    args, env = _pg_args_env(settings_dict)
    _run(
        [
            pg_program("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            settings_dict["NAME"],
            str(dump),
        ],
        env,
        "数据库恢复（pg_restore）",
    )
