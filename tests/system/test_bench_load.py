"""The load benchmark stays working: its quick mode (10 users against gunicorn and a
throwaway PostgreSQL) runs end to end, loses nothing and counts every download.

Skipped where the PostgreSQL server binaries (or the ``postgres`` user) are missing.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from servers import postgres_available  # noqa: E402

pytestmark = pytest.mark.skipif(
    not postgres_available(), reason="needs PostgreSQL server binaries and the postgres user"
)


def test_quick_load_run_submits_everything_once_and_records_every_download():
    env = {**os.environ, "SECRET_KEY": "bench-only"}
    env.pop("DJANGO_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "bench_load.py"), "--quick"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=55)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the bench stops its servers in ``finally``
        output, _ = process.communicate(timeout=30)
        pytest.fail(f"the quick load run took too long:\n{output[-3000:]}")
    assert process.returncode == 0, output[-3000:]
    assert "errors: 0 failed requests, 0 5xx in the gunicorn log" in output
    assert (
        "submissions: 8 attempted, 8 stored and submitted, 0 lost, 0 duplicated, "
        "0 with missing or wrong files, 0 stray" in output
    )
    assert "downloads: 2 links, 2 PDFs byte-identical to the rendition" in output
    assert "2 recorded once, 2 receipts" in output
    for step in ("login (POST)", "submission (POST)", "double click (POST)", "download PDF (GET)"):
        assert step in output
