"""Drill: the Celery worker is killed (SIGKILL) in the middle of a render and in the
middle of a delivery fan-out, with the Redis broker. (tests/distribution/test_worker.py
kills one mid-fan-out on the default broker; here it is Redis, the render too, and the
redelivery of the dead worker's unacknowledged messages.)"""

from collections import Counter
from pathlib import Path

import pytest

from .conftest import wait_until

pytestmark = pytest.mark.drill

SENT = "SELECT count(*) FROM distribution_delivery WHERE status = 'sent'"
FINAL = "SELECT status, attempts FROM bulletins_rendition WHERE kind = 'final'"


def test_a_worker_killed_mid_render_and_mid_fan_out_leaves_one_rendition_and_one_email_each(
    drill,
):
    drill.smtp.delay = 0.04  # ≈ 3 s for the fan-out: time to interrupt it
    drill.smtp.start()
    seeded = drill.app("seed", "--contacts", "72")
    total = seeded["contacts"] + 8  # and the demo lists' eight
    signed = drill.app("sign")  # the final PDF's message waits in Redis for a worker
    assert signed["status_code"] == 302, signed["body"]
    worker = drill.worker("worker-1")

    # --- killed while rendering the final PDF ---------------------------------------------
    wait_until(
        lambda: drill.value(FINAL + " AND status = 'rendering'"),
        timeout=60,
        interval=0.02,
        what="the final PDF rendering",
    )
    worker.kill()
    assert drill.query(FINAL) == [("rendering", 1)]
    assert drill.value("SELECT count(*) FROM distribution_dispatch") == 0

    # An hour later: beat's sweeper has run, and Redis gives the dead worker's
    # unacknowledged message back (its visibility timeout, shortened here to a second).
    assert "排队生成 PDF 1 份" in drill.app("sweep", "--seconds", "3600")["out"]
    worker = drill.worker("worker-2", CELERY_BROKER_VISIBILITY_TIMEOUT=1)

    wait_until(
        lambda: drill.value(FINAL + " AND status = 'done'"),
        timeout=60,
        interval=0.05,
        what="the interrupted render taken up again and finished",
    )

    # --- killed while sending the e-mails -------------------------------------------------
    wait_until(lambda: drill.value(SENT) >= 20, timeout=90, interval=0.02, what="20 sent")
    worker.kill()
    sent_at_kill = drill.value(SENT)
    assert sent_at_kill < total, "the fan-out finished before the worker was killed"
    assert drill.query(FINAL) == [("done", 2)]  # the killed attempt and the one that finished

    swept = drill.app("sweep", "--seconds", "3600")["out"]
    worker = drill.worker("worker-3", CELERY_BROKER_VISIBILITY_TIMEOUT=1)
    wait_until(
        lambda: (
            not drill.value(
                "SELECT count(*) FROM distribution_delivery WHERE status IN ('queued', 'sending')"
            )
        ),
        timeout=90,
        interval=0.2,
        what="every delivery finished",
    )
    worker.stop()

    # One rendition: one row, one file, one dispatch.
    assert drill.query(FINAL) == [("done", 2)]
    files = list(Path(drill.folder / "var/media/bulletins/renditions").glob("*-final.pdf"))
    assert len(files) == 1
    assert drill.value("SELECT count(*) FROM distribution_dispatch") == 1

    # One e-mail each. The one delivery in hand when the worker died cannot be known to
    # have gone out: it is failed as interrupted (the editor checks and resends it), never
    # sent twice.
    statuses = dict(drill.query("SELECT status, count(*) FROM distribution_delivery GROUP BY 1"))
    interrupted = statuses.get("failed", 0)
    assert interrupted <= 1 and f"分发邮件中断 {interrupted} 封" in swept, swept
    assert statuses["sent"] == total - interrupted
    received = Counter(drill.smtp.recipients())
    assert max(received.values()) == 1
    for email, status, error in drill.query(
        "SELECT email, status, last_error FROM distribution_delivery"
    ):
        if status == "sent":
            assert received[email] == 1, email
        else:
            assert "发送过程中断" in error
