"""Every benchmark keeps running: each ``bench/bench_*.py`` (found by name, so a new one is
covered the day it is added) runs end to end with ``--smoke`` (tiny sizes, one run, no
target enforced) and exits 0, the way ``make bench`` runs it at full size.

The load benchmark's smoke run (10 users against gunicorn and a throwaway PostgreSQL of its
own on a free port) also proves that nothing is lost; it is skipped where the PostgreSQL
server binaries (or the ``postgres`` user) are missing. The others run on SQLite databases
under var/bench/ and a filesystem broker of their own, whatever DATABASE_URL,
CELERY_BROKER_URL and CACHE_URL the test run was given.
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

BENCHMARKS = sorted((ROOT / "bench").glob("bench_*.py"))
TIMEOUT = 180  # seconds; ~10–40 s each on a quiet 2-core machine

# Lines a smoke run must print besides exiting 0, where the figures prove more than that.
EXPECTED = {
    "bench_delivery": ["recipients: 20; messages in the SMTP sink: 20; sent in the database: 20"],
    "bench_inbox": ["filtered by alliance+call"],
    "bench_load": [
        "errors: 0 failed requests, 0 5xx in the gunicorn log",
        "submissions: 8 attempted, 8 stored and submitted, 0 lost, 0 duplicated, "
        "0 with missing or wrong files, 0 stray",
        "downloads: 2 links, 2 PDFs byte-identical to the rendition",
        "2 recorded once, 2 receipts",
        "double click (POST)",
    ],
    "bench_registry": ["registry page (60 alliances), search 半导体"],
    "bench_render": ["WeasyPrint 70            warm, in-process"],
    "bench_upload_memory": ["baseline resident memory", "JPEG 3000×2000"],
}


def test_the_benchmarks_are_found():
    assert {path.stem for path in BENCHMARKS} >= set(EXPECTED)


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda path: path.stem)
def test_a_benchmark_runs_to_the_end_in_smoke_mode(script):
    if script.stem == "bench_load" and not postgres_available():
        pytest.skip("needs PostgreSQL server binaries and the postgres user")
    env = {**os.environ, "SECRET_KEY": "bench-only"}
    env.pop("DJANGO_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the benchmarks stop their servers in ``finally``
        output, _ = process.communicate(timeout=30)
        pytest.fail(f"{script.name} --smoke took over {TIMEOUT} s:\n{output[-3000:]}")
    assert process.returncode == 0, output[-3000:]
    for line in EXPECTED.get(script.stem, []):
        assert line in output, output[-3000:]
