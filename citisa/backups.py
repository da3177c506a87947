"""Backups and restores: one archive with the database, every private media file and a
manifest that lets a restore prove it got everything back.

Archive layout (a tar, optionally gzip or zstd)::

    manifest.json            created_at, versions, git commit, vendor, migrations per app,
                             row counts per model, SHA-256 of the dump and of every media file
    database/citisa.sqlite3  SQLite: a copy made with the online backup API
    database/citisa.pgdump   PostgreSQL: pg_dump --format=custom
    media/<path>             every file under MEDIA_ROOT

``backup_create`` writes the archive through a temporary file (mode 0600) and a rename.
``restore_prepare`` reads the whole archive into a staging folder beside MEDIA_ROOT and
checks every hash and the migration state before anything is touched; ``restore_apply``
then replaces the database and swaps the media folder in as its last step.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "citisa-backup-"
SUFFIXES = {"none": ".tar", "gz": ".tar.gz", "zst": ".tar.zst"}
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class MediaSwapError(BackupError):
    """The database was restored but the media folder could not be swapped in."""


# --- Facts about the running system --------------------------------------------------------


def _vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _citisa_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _git_commit() -> str | None:
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


def _sha256_file(path: Path) -> str:
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
            out[path.relative_to(root).as_posix()] = _sha256_file(path)
    return dict(sorted(out.items()))


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


def _dump_sqlite(target: Path) -> dict[str, int]:
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


def _dump_postgresql(target: Path) -> dict[str, int]:
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


def _db_member() -> str:
    return {"sqlite": "database/citisa.sqlite3", "postgresql": "database/citisa.pgdump"}[_vendor()]


# --- Writing the archive --------------------------------------------------------------------


def default_name(now: datetime, compression: str) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIXES[compression]}"


def _compression_of(path: Path) -> str:
    name = path.name
    if name.endswith((".tar.zst", ".tzst")):
        return "zst"
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    return "none"


@contextlib.contextmanager
def _tar_writer(raw, compression: str):
    if compression == "zst":
        zstd = shutil.which("zstd")
        if not zstd:
            raise BackupError("找不到 zstd 程序：请安装 zstd，或改用 --compress gz。")
        process = subprocess.Popen([zstd, "-q", "-c", "-T0"], stdin=subprocess.PIPE, stdout=raw)  # noqa: S603
        try:
            with tarfile.open(fileobj=process.stdin, mode="w|") as tar:
                yield tar
        finally:
            process.stdin.close()
            if process.wait() != 0:
                raise BackupError("zstd 压缩失败。")
        return
    mode = {"none": "w|", "gz": "w|gz"}[compression]
    with tarfile.open(fileobj=raw, mode=mode) as tar:
        yield tar


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with open(path, "rb") as handle:
        tar.addfile(info, handle)


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int
    pruned: list[Path] = field(default_factory=list)


def backup_create(
    *, output: Path | None = None, compression: str = "gz", keep: int | None = None
) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT.

    ``output``: a file path, or a folder (a timestamped name is chosen there); default
    settings.BACKUP_DIR. ``keep``: afterwards delete all but the newest ``keep`` archives
    named ``citisa-backup-*`` in that folder. Raises BackupError.
    """
    now = datetime.now(UTC)
    if compression not in SUFFIXES:
        raise BackupError(f"未知的压缩方式：{compression}（可选 none、gz、zst）。")
    output = Path(output) if output else Path(settings.BACKUP_DIR)
    if output.is_dir() or not output.suffix:
        folder, path = output, output / default_name(now, compression)
    else:
        folder, path = output.parent, output
        compression = _compression_of(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_root = Path(settings.MEDIA_ROOT)

    with tempfile.TemporaryDirectory(prefix="citisa-backup-") as work:
        dump = Path(work) / Path(_db_member()).name
        counts = _dump_sqlite(dump) if _vendor() == "sqlite" else _dump_postgresql(dump)
        hashes = media_hashes(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "citisa_version": _citisa_version(),
            "django_version": django.get_version(),
            "git_commit": _git_commit(),
            "database": {
                "vendor": _vendor(),
                "file": _db_member(),
                "sha256": _sha256_file(dump),
                "size": dump.stat().st_size,
            },
            "migrations": applied_migrations(),
            "row_counts": counts,
            "media": hashes,
        }
        # mkstemp creates the file 0600 in the target folder: the rename is atomic and
        # nobody else can read the dump meanwhile.
        fd, temp_name = tempfile.mkstemp(prefix=".citisa-backup-", suffix=".tmp", dir=folder)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as raw:
                with _tar_writer(raw, compression) as tar:
                    _add_bytes(
                        tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    )
                    _add_file(tar, _db_member(), dump)
                    for relative in hashes:
                        _add_file(tar, f"media/{relative}", media_root / relative)
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    pruned = backups_prune(folder=folder, keep=keep) if keep else []
    return BackupResult(path=path, manifest=manifest, size=path.stat().st_size, pruned=pruned)


def backups_prune(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives named ``citisa-backup-*`` in ``folder``."""
    if keep < 1:
        raise BackupError("--keep 至少为 1。")
    archives = sorted(
        (p for p in Path(folder).glob(f"{PREFIX}*.tar*") if p.is_file()),
        key=lambda p: (p.stat().st_mtime, p.name),
        reverse=True,
    )
    removed = archives[keep:]
    for path in removed:
        path.unlink()
    return removed


# --- Reading and checking an archive --------------------------------------------------------


@contextlib.contextmanager
def _tar_reader(path: Path):
    with open(path, "rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic != ZSTD_MAGIC:
            try:
                with tarfile.open(fileobj=raw, mode="r|*") as tar:
                    yield tar
            except (tarfile.TarError, EOFError, OSError) as error:
                raise BackupError(f"备份文件已损坏或不是 citisa 备份：{error}") from error
            return
        zstd = shutil.which("zstd")
        if not zstd:
            raise BackupError("这是 zstd 压缩的备份，但找不到 zstd 程序：请安装 zstd。")
        process = subprocess.Popen(  # noqa: S603
            [zstd, "-q", "-dc", "--", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as tar:
                yield tar
            while process.stdout.read(CHUNK):  # a reader that stopped early: let zstd finish
                pass
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"备份文件已损坏或不是 citisa 备份：{error}") from error
        finally:
            process.stdout.close()
            failed = process.wait() != 0
        if failed:
            raise BackupError("备份文件已损坏：zstd 解压失败。")


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件中有不安全的路径：{name}")
    return path


@dataclass
class PreparedRestore:
    """An archive read and checked into ``staging`` (nothing else touched yet)."""

    archive: Path
    manifest: dict
    staging: Path
    database_file: Path
    missing_migrations: dict[str, list[str]]  # in the code, not in the backup: migrate after

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _staging_root() -> Path:
    # Beside MEDIA_ROOT, on the same file system, so the final swap is a rename.
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))


def _extract_and_hash(tar, staging: Path) -> tuple[dict | None, dict[str, str]]:
    manifest = None
    seen: dict[str, str] = {}
    for member in tar:
        path = _safe_member_path(member.name)
        if member.isdir():
            continue
        if not member.isfile():
            raise BackupError(f"备份文件中有不应出现的条目（链接或设备）：{member.name}")
        name = path.as_posix()
        if name in seen or (name == MANIFEST and manifest is not None):
            raise BackupError(f"备份文件中的条目重复：{name}")
        source = tar.extractfile(member)
        if name == MANIFEST:
            try:
                manifest = json.loads(source.read(10 * 1024 * 1024).decode())
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise BackupError(f"备份清单（manifest.json）无法读取：{error}") from error
            continue
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        seen[name] = digest.hexdigest()
    return manifest, seen


def _check_manifest(manifest, seen: dict[str, str]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份文件中没有可识别的清单（manifest.json）：不是 citisa 备份或已损坏。")
    database = manifest.get("database") or {}
    if database.get("vendor") != _vendor():
        raise BackupError(
            f"备份来自 {database.get('vendor')} 数据库，当前配置的是 {_vendor()}：不能直接恢复。"
        )
    expected = {database.get("file"): database.get("sha256")}
    expected |= {f"media/{name}": digest for name, digest in (manifest.get("media") or {}).items()}
    problems = []
    for name, digest in expected.items():
        if name not in seen:
            problems.append(f"缺少文件 {name}")
        elif seen[name] != digest:
            problems.append(f"校验值不符 {name}")
    problems += [f"清单之外的文件 {name}" for name in seen if name not in expected]
    if problems:
        shown = "；".join(problems[:10]) + ("……" if len(problems) > 10 else "")
        raise BackupError(f"备份文件校验失败，未做任何改动：{shown}")


def migration_difference(manifest: dict) -> tuple[dict, dict]:
    """(in the backup but unknown to the code, in the code but not in the backup)."""
    backup = {app: set(names) for app, names in (manifest.get("migrations") or {}).items()}
    code = {app: set(names) for app, names in code_migrations().items()}
    unknown = {
        app: sorted(names - code.get(app, set()))
        for app, names in backup.items()
        if names - code.get(app, set())
    }
    missing = {
        app: sorted(names - backup.get(app, set()))
        for app, names in code.items()
        if names - backup.get(app, set())
    }
    return unknown, missing


def _describe(difference: dict) -> str:
    return "；".join(f"{app}: {', '.join(names)}" for app, names in difference.items())


def restore_prepare(archive: Path, *, migrate: bool = False) -> PreparedRestore:
    """Read the whole archive into a staging folder and check it: manifest, every hash,
    no file missing or extra, same database vendor, and migrations that match the code
    (or only miss some the code has, when ``migrate``). Changes nothing else. Raises
    BackupError with what is wrong."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    staging = _staging_root()
    try:
        with _tar_reader(archive) as tar:
            manifest, seen = _extract_and_hash(tar, staging)
        _check_manifest(manifest, seen)
        unknown, missing = migration_difference(manifest)
        if unknown:
            raise BackupError(
                "备份中的数据库结构比当前代码新（有代码中没有的迁移："
                f"{_describe(unknown)}）。请先部署与备份相同或更新的代码版本"
                f"（备份时的提交：{manifest.get('git_commit') or '未知'}）。"
            )
        if missing and not migrate:
            raise BackupError(
                "备份中的数据库结构与当前代码不一致（缺少迁移："
                f"{_describe(missing)}）。如确认要在恢复后升级数据库，请加 --migrate。"
            )
        return PreparedRestore(
            archive=archive,
            manifest=manifest,
            staging=staging,
            database_file=staging / manifest["database"]["file"],
            missing_migrations=missing,
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# --- Applying a restore ---------------------------------------------------------------------


def _restore_sqlite(dump: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _restore_postgresql(dump: Path) -> None:
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


def _swap_media(new_media: Path) -> None:
    """Put ``new_media`` in place of MEDIA_ROOT with two renames; the old folder is
    deleted only once the new one is in place."""
    media_root = Path(settings.MEDIA_ROOT)
    new_media.mkdir(parents=True, exist_ok=True)
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(media_root, old)
    try:
        os.replace(new_media, media_root)
    except BaseException:
        if old is not None:
            os.replace(old, media_root)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass
class RestoreResult:
    manifest: dict
    row_counts: dict[str, int]
    media: dict[str, str]
    migrated: bool

    @property
    def counts_match(self) -> bool:
        return self.row_counts == self.manifest["row_counts"]

    @property
    def media_match(self) -> bool:
        return self.media == self.manifest["media"]


def restore_apply(prepared: PreparedRestore, *, migrate_after=None) -> RestoreResult:
    """Replace the database with the archive's, then swap the staged media in (the last
    step: when the database step fails, the previous media are still in place). Then
    re-count rows and re-hash media for the caller to compare with the manifest;
    ``migrate_after`` (a callable) runs after the counts are taken. Always removes the
    staging folder. Raises BackupError when the database step fails."""
    keep_staging = False
    try:
        if _vendor() == "sqlite":
            _restore_sqlite(prepared.database_file)
        else:
            _restore_postgresql(prepared.database_file)
        # Content types are cached per process by id; the restored ids may differ.
        ContentType.objects.clear_cache()
        counts = current_row_counts()
        try:
            _swap_media(prepared.staging / "media")
        except OSError as error:
            keep_staging = True
            raise MediaSwapError(
                f"数据库已恢复，但替换文件目录失败（{error}）；原有文件仍在 {settings.MEDIA_ROOT}，"
                f"备份中的文件已解出到 {prepared.staging / 'media'}：请把它移到 MEDIA_ROOT 的位置"
                "（或排除原因后重新运行 restore）。"
            ) from error
        hashes = media_hashes()
        migrated = False
        if prepared.missing_migrations and migrate_after is not None:
            migrate_after()
            migrated = True
        return RestoreResult(
            manifest=prepared.manifest, row_counts=counts, media=hashes, migrated=migrated
        )
    finally:
        if not keep_staging:
            prepared.discard()
