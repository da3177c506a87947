"""Drill: the mail server is down when the issue goes out, and comes back."""

import re
from collections import Counter

import pytest

from .conftest import wait_until

pytestmark = pytest.mark.drill


def test_deliveries_retry_with_backoff_while_smtp_is_down_then_each_goes_out_once(drill):
    drill.extra_env["CITISA_DELIVERY_RETRY_SECONDS"] = 1  # 1, 2, 4… s instead of 1, 2, 4… min
    seeded = drill.app("seed", "--contacts", "12")
    total = seeded["contacts"] + 8
    assert drill.app("sign")["status_code"] == 302
    worker = drill.worker()  # renders, distributes, and finds nobody listening on the port

    wait_until(
        lambda: (
            drill.value(
                "SELECT count(*) FROM distribution_delivery WHERE attempts >= 2 AND status = 'queued'"
            )
            == total
        ),
        timeout=90,
        interval=0.2,
        what="every delivery tried twice",
    )
    assert drill.smtp.recipients() == []
    errors = {e for (e,) in drill.query("SELECT DISTINCT last_error FROM distribution_delivery")}
    assert all("无法连接邮件服务器" in error for error in errors), errors

    drill.smtp.start()  # the mail server is back
    wait_until(
        lambda: (
            drill.value("SELECT count(*) FROM distribution_delivery WHERE status = 'sent'") == total
        ),
        timeout=60,
        interval=0.2,
        what="every delivery sent",
    )
    worker.stop()

    received = Counter(drill.smtp.recipients())
    assert len(received) == total and set(received.values()) == {1}
    assert set(received) == {e for (e,) in drill.query("SELECT email FROM distribution_delivery")}
    # Each retry waited longer than the one before (1 s, 2 s, 4 s… with jitter).
    retries = drill.query(
        "SELECT delivery_id, detail FROM distribution_deliveryevent "
        "WHERE action = 'retry' ORDER BY delivery_id, id"
    )
    waits: dict[int, list[int]] = {}
    for delivery_id, detail in retries:
        waits.setdefault(delivery_id, []).append(int(re.search(r"约 (\d+) 秒后重试", detail)[1]))
    assert len(waits) == total
    for delays in waits.values():
        assert len(delays) >= 2 and delays == sorted(delays) and delays[-1] > delays[0]
    attempts = [a for (a,) in drill.query("SELECT attempts FROM distribution_delivery")]
    assert all(3 <= a <= 6 for a in attempts), attempts
