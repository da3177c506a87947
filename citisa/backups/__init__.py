"""Backups and restores: one archive with the database, every private media file and a
manifest that lets a restore prove it got everything back.

Archive layout (a tar, optionally gzip or zstd)::

    manifest.json            created_at, versions, git commit, vendor, migrations per app,
                             row counts per model, SHA-256 of the dump and of every media file
    database/citisa.sqlite3  SQLite: a copy made with the online backup API
    database/citisa.pgdump   PostgreSQL: pg_dump --format=custom
    media/<path>             every file under MEDIA_ROOT

``backup.backup_create`` writes the archive through a temporary file (mode 0600) and a rename.
``restore.restore_prepare`` reads the whole archive into a staging folder beside MEDIA_ROOT and
checks every hash and the migration state before anything is touched; ``restore.restore_apply``
then replaces the database and swaps the media folder in as its last step.
"""

from .backup import BackupResult, backup_create, backups_prune
from .errors import BackupError, MediaSwapError
from .facts import current_row_counts, media_hashes
from .restore import PreparedRestore, RestoreResult, restore_apply, restore_prepare

__all__ = [
    "BackupError",
    "BackupResult",
    "MediaSwapError",
    "PreparedRestore",
    "RestoreResult",
    "backup_create",
    "backups_prune",
    "current_row_counts",
    "media_hashes",
    "restore_apply",
    "restore_prepare",
]
