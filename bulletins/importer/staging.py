"""Uploads waiting on the web import's preview page.

An uploaded bulletin is kept under ``MEDIA_ROOT/imports/<random key>.txt`` until the
editor confirms it (the file is then removed) or the preview link expires
(``PREVIEW_MAX_AGE``); ``staged_prune`` removes what was never confirmed.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings

PREVIEW_MAX_AGE = 24 * 3600  # seconds a preview link stays valid


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def staged_store(data: bytes) -> str:
    """Keep ``data`` for the preview; returns its key."""
    key = secrets.token_hex(16)
    _folder().mkdir(parents=True, exist_ok=True)
    (_folder() / f"{key}.txt").write_bytes(data)
    return key


def staged_path(key: str) -> Path | None:
    """The kept file of ``key``, or None when the key is malformed or the file is gone."""
    if not key.isalnum():
        return None
    path = _folder() / f"{key}.txt"
    return path if path.is_file() else None


def staged_prune(*, max_age: float = PREVIEW_MAX_AGE, now: float | None = None) -> int:
    """Remove kept uploads older than ``max_age`` (their links have expired); returns how many."""
    folder = _folder()
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - max_age
    removed = 0
    for path in folder.glob("*.txt"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # confirmed meanwhile
    return removed
