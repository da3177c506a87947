"""Writing a backup archive."""

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings

from .archive import (
    MANIFEST,
    PREFIX,
    SUFFIXES,
    add_bytes,
    add_file,
    compression_of,
    default_name,
    tar_writer,
)
from .database import db_member, dump_postgresql, dump_sqlite
from .errors import BackupError
from .facts import applied_migrations, citisa_version, git_commit, media_hashes, sha256_file, vendor

FORMAT = 1


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
        compression = compression_of(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_root = Path(settings.MEDIA_ROOT)

    with tempfile.TemporaryDirectory(prefix="citisa-backup-") as work:
        dump = Path(work) / Path(db_member()).name
        counts = dump_sqlite(dump) if vendor() == "sqlite" else dump_postgresql(dump)
        hashes = media_hashes(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "citisa_version": citisa_version(),
            "django_version": django.get_version(),
            "git_commit": git_commit(),
            "database": {
                "vendor": vendor(),
                "file": db_member(),
                "sha256": sha256_file(dump),
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
                with tar_writer(raw, compression) as tar:
                    add_bytes(
                        tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    )
                    add_file(tar, db_member(), dump)
                    for relative in hashes:
                        add_file(tar, f"media/{relative}", media_root / relative)
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
