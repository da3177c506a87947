"""Drill: PostgreSQL restarts while secretariats are submitting news items through the
web server (gunicorn, persistent database connections)."""

import threading
import time
import uuid

import pytest

from tests.submissions.files import PDF

from .conftest import wait_until
from .web import Browser

pytestmark = pytest.mark.drill

SECTION = "试点联盟及协发网网员单位动态"


def test_requests_fail_cleanly_while_postgresql_restarts_nothing_is_half_written_and_it_recovers(
    drill,
):
    seeded = drill.app("seed", "--contacts", "0")
    base = drill.web(workers=2)
    drill.postgres.sql("SELECT 1")  # the cluster is up
    answers: list[tuple[float, str, object]] = []  # (time, form token, answer)
    stop = threading.Event()

    def secretariat():
        browser = Browser(base, timeout=30)
        browser.login(seeded["secretary"], seeded["password"])
        n = 0
        while not stop.is_set():
            n += 1
            token = str(uuid.uuid4())
            answer = browser.post_multipart(
                "/submissions/new/",
                {
                    "form_token": token,
                    "title": f"演练联盟召开理事会（{token[:8]}）",
                    "body_html": "<p>演练联盟近日召开理事会，成员单位代表参加。</p>",
                    "suggested_section": SECTION,
                    "contact_name": "秘书甲",
                    "contact_phone": "010-12345678",
                    "call": "",
                    "do": "submit",
                },
                [("attachments", "通知.pdf", PDF), ("attachments", "方案.pdf", PDF + b"%2")],
            )
            answers.append((time.monotonic(), token, answer))
            time.sleep(0.05)

    def successes_since(moment):
        return sum(1 for at, _t, a in answers if at > moment and a.status == 302)

    threads = [threading.Thread(target=secretariat, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: successes_since(0) >= 6, timeout=60, what="submissions going in")
        # 1. A quick restart: every worker's persistent connection is now dead.
        drill.postgres.stop("fast")
        drill.postgres.start()
        back = time.monotonic()
        wait_until(lambda: successes_since(back) >= 6, timeout=30, what="recovered after restart")
        # 2. A longer outage: what the users see meanwhile.
        drill.postgres.stop("fast")
        down = time.monotonic()
        time.sleep(2)
        drill.postgres.start()
        back_again = time.monotonic()
        wait_until(lambda: successes_since(back_again) >= 6, timeout=30, what="recovered again")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        if not drill.postgres.running:
            drill.postgres.start()

    # Every request got either its redirect or the Chinese "temporarily unavailable" page,
    # quickly, and never a traceback.
    statuses = {a.status for _at, _t, a in answers}
    assert statuses <= {302, 503}, [a.body[:300] for _at, _t, a in answers if a.status >= 400]
    failed = [(at, token, a) for at, token, a in answers if a.status == 503]
    assert any(down <= at <= back_again + 1 for at, _t, _a in failed), "the outage went unseen"
    for _at, _token, answer in failed:
        assert "系统暂时不可用" in answer.body and answer.headers.get("Retry-After")
        assert "Traceback" not in answer.body and "psycopg" not in answer.body
        assert answer.seconds < 10
    # After each restart the application recovered by itself, at once (no request failed
    # more than 3 s after PostgreSQL was back).
    assert not [at for at, _t, _a in failed if back + 3 < at < down], "stale connections"
    assert not [at for at, _t, _a in failed if at > back_again + 3], "stale connections"

    # Nothing half-written: every stored submission is submitted with both attachments;
    # every redirect has its submission; a 503 left nothing (or, if it came after the
    # commit, the whole submission).
    rows = drill.query(
        "SELECT s.client_token::text, s.status, count(f.id) FROM submissions_submission s "
        "LEFT JOIN submissions_submissionfile f ON f.submission_id = s.id "
        "AND f.kind = 'attachment' GROUP BY s.id"
    )
    stored = {token: (status, files) for token, status, files in rows}
    assert set(stored.values()) == {("submitted", 2)}, stored
    ok_tokens = {token for _at, token, a in answers if a.status == 302}
    assert ok_tokens <= set(stored)
    assert set(stored) <= {token for _at, token, _a in answers}
    files_on_disk = list((drill.folder / "var/media").rglob("*.pdf"))
    assert len(files_on_disk) >= 2 * len(stored)
