"""Drill: the broker (Redis) is down at the moment of signing."""

import signal

import pytest

from .conftest import wait_until

pytestmark = pytest.mark.drill


def test_signing_commits_with_the_broker_down_and_the_sweeper_recovers_render_and_delivery(
    drill,
):
    drill.smtp.start()
    seeded = drill.app("seed", "--contacts", "6")
    total = seeded["contacts"] + 8  # and the demo lists' eight
    drill.redis.stop()

    signed = drill.app("sign")
    # The signature is committed and the signer gets the usual redirect, at once: the
    # messages that could not reach the broker are logged and left to the sweeper.
    assert signed["status_code"] == 302, signed["body"]
    assert signed["issue_status"] == "signed"
    assert signed["seconds"] < 10, signed
    print(f"signing with the broker down answered in {signed['seconds']} s")
    assert drill.query("SELECT kind, status FROM bulletins_rendition WHERE kind = 'final'") == [
        ("final", "queued")
    ]

    drill.redis.start()
    worker = drill.worker()
    # Nothing was queued: the final PDF waits for the sweeper.
    assert drill.value("SELECT status FROM bulletins_rendition WHERE kind = 'final'") == "queued"
    out = drill.app("sweep", "--seconds", "3600")["out"]  # an hour later: beat's sweeper
    # The final PDF, and the preview of the version (its message was lost with the broker's
    # memory: this Redis keeps nothing across a restart).
    assert "排队生成 PDF 2 份" in out, out

    # The broker goes down again while the worker renders: the fan-out it queues when the
    # PDF is stored is lost too.
    wait_until(
        lambda: (
            drill.value("SELECT status FROM bulletins_rendition WHERE kind = 'final'")
            == "rendering"
        ),
        timeout=60,
        interval=0.02,
        what="the final PDF rendering",
    )
    # The render takes ~0.4 s, less than stopping Redis may: hold the (solo) worker still
    # until the broker is down, or it may store the PDF and queue the fan-out in time.
    worker.process.send_signal(signal.SIGSTOP)
    try:
        drill.redis.stop()
    finally:
        worker.process.send_signal(signal.SIGCONT)
    wait_until(
        lambda: drill.value("SELECT count(*) FROM distribution_dispatch"),
        timeout=60,
        interval=0.1,
        what="the dispatch",
    )
    assert (
        drill.value("SELECT count(*) FROM distribution_delivery WHERE status = 'queued'") == total
    )
    # The worker's publish gives up (one short retry) and logs it; the render is stored.
    log = drill.folder / "worker.log"
    wait_until(
        lambda: "publication_distribute.<locals>.<lambda> in on_commit()" in log.read_text(),
        timeout=30,
        what="the lost fan-out logged",
    )
    drill.redis.start()  # the worker reconnects by itself
    out = drill.app("sweep", "--seconds", "3600")["out"]
    assert f"重新排队 {total} 封" in out, out
    wait_until(
        lambda: (
            drill.value("SELECT count(*) FROM distribution_delivery WHERE status = 'sent'") == total
        ),
        timeout=90,
        interval=0.3,
        what="every delivery sent",
    )
    worker.stop()
    assert drill.query("SELECT status, attempts FROM bulletins_rendition WHERE kind = 'final'") == [
        ("done", 1)
    ]
    assert drill.value("SELECT count(*) FROM distribution_dispatch") == 1
    recipients = drill.smtp.recipients()
    assert len(recipients) == len(set(recipients)) == total


def test_signing_answers_within_seconds_when_the_broker_hangs(drill):
    """A broker that accepts connections and never answers (frozen, a half-open
    connection): the socket timeouts bound the wait, the signature is committed."""
    drill.app("seed", "--contacts", "0")
    drill.redis.freeze()
    try:
        signed = drill.app("sign")
    finally:
        drill.redis.thaw()
    print(f"signing with the broker hung answered in {signed['seconds']} s")
    assert signed["status_code"] == 302, signed["body"]
    assert signed["issue_status"] == "signed"
    assert signed["seconds"] < 20, signed
    assert drill.value("SELECT status FROM bulletins_rendition WHERE kind = 'final'") == "queued"
