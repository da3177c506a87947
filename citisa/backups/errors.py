"""The errors of backups and restores."""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class MediaSwapError(BackupError):
    """The database was restored but the media folder could not be swapped in."""
