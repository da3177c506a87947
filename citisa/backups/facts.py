"""What a manifest records and a restore compares: versions, migrations, rows per model,
file hashes."""

import hashlib
import os
import subprocess
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

CHUNK = 1024 * 1024


def vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def citisa_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def applied_migrations() -> dict[str, list[str]]:
    """Every migration recorded as applied in the database, per app, sorted."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    out: dict[str, list[str]] = {}
    for app_label, name in loader.applied_migrations:
        out.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def code_migrations() -> dict[str, list[str]]:
    """Every migration the code on disk has, per app, sorted."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    out: dict[str, list[str]] = {}
    for app_label, name in loader.disk_migrations:
        out.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def _counted_models():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        yield meta.label, meta.db_table


def row_counts(execute) -> dict[str, int]:
    """Rows per model (``app_label.Model``), through ``execute(sql) -> int``. Tables that
    do not exist (an app not migrated) are left out."""
    counts = {}
    for label, table in sorted(_counted_models()):
        value = execute(table)
        if value is not None:
            counts[label] = value
    return counts


def _django_counter():
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name

    def count(table):
        if table not in tables:
            return None
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            return cursor.fetchone()[0]

    return count


def current_row_counts() -> dict[str, int]:
    return row_counts(_django_counter())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_hashes(root: Path | None = None) -> dict[str, str]:
    """SHA-256 of every regular file under MEDIA_ROOT, keyed by its POSIX relative path."""
    root = Path(root or settings.MEDIA_ROOT)
    out = {}
    if not root.is_dir():
        return out
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    return dict(sorted(out.items()))
