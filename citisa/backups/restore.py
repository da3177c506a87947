"""Checking an archive and restoring from it."""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .archive import CHUNK, MANIFEST, safe_member_path, tar_reader
from .backup import FORMAT
from .database import restore_postgresql, restore_sqlite
from .errors import BackupError, MediaSwapError
from .facts import code_migrations, current_row_counts, media_hashes, vendor


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
        path = safe_member_path(member.name)
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
    if database.get("vendor") != vendor():
        raise BackupError(
            f"备份来自 {database.get('vendor')} 数据库，当前配置的是 {vendor()}：不能直接恢复。"
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
        with tar_reader(archive) as tar:
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
        if vendor() == "sqlite":
            restore_sqlite(prepared.database_file)
        else:
            restore_postgresql(prepared.database_file)
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
