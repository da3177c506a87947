"""Shared set-up for benchmarks: Django on a throwaway SQLite database under var/bench/.

Import this first in a benchmark; it never touches the development database.
"""

import argparse
import hashlib
import os
import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def smoke_requested() -> bool:
    """``--smoke``: tiny sizes, one run, no target enforced; the real code path end to end
    (tests/system/test_benchmarks.py runs every benchmark so)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, targets not enforced")
    return parser.parse_args().smoke


def isolate(name: str, *, broker: Path | None = None) -> Path:
    """Point Django at a fresh SQLite database ``var/bench/<name>.sqlite3``, a filesystem
    broker and a local-memory cache of the benchmark's own, whatever the shell exported
    (CI exports its PostgreSQL and Redis, which the test run is using). Returns the
    database's path."""
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db = bench_dir / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["CELERY_BROKER_URL"] = "filesystem://"
    os.environ["CELERY_BROKER_FOLDER"] = str(broker or bench_dir / "broker")
    os.environ["EMAIL_FILE_PATH"] = str(bench_dir / "mail")
    os.environ.pop("CACHE_URL", None)
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
    return db


def _template_path() -> Path:
    """Where a migrated empty database is kept, named after every migration's content (and
    Django's version): a changed or added migration makes a new one."""
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return ROOT / "var" / "bench" / f"migrated-{digest.hexdigest()[:12]}.sqlite3"


def setup_django(name: str, *, broker: Path | None = None):
    """Django on a fresh, migrated SQLite database of the benchmark's own. The migrations
    run once (10 s on this machine); later benchmarks start from a copy of that database.
    A SIGTERM (a test's timeout) exits through ``finally`` blocks, which stop servers."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    db = isolate(name, broker=broker)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    template = _template_path()
    if template.exists():
        shutil.copyfile(template, db)
    call_command("migrate", verbosity=0)  # nothing left to do on a copy of the template
    if not template.exists():
        connections.close_all()  # the last close folds the WAL into the database file
        partial = template.with_name(f"{template.name}.{os.getpid()}")
        shutil.copyfile(db, partial)
        partial.replace(template)


def timed(fn, *, repeat: int):
    """Run ``fn`` ``repeat`` times; return the timings in milliseconds."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95
