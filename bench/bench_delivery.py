"""Delivery of one issue to 1,000 recipients through a real Celery worker into a local SMTP
sink (a minimal SMTP server on 127.0.0.1 that accepts and counts messages).

Prints the time to freeze the recipients (the dispatch), the time until the sink has every
message and the database says every delivery is sent, and the cost per recipient.
Target: ≤ 20 s in all. Runs on a throwaway SQLite database and broker folder under
var/bench/; set BENCH_POOL=prefork BENCH_CONCURRENCY=4 to try a process pool.
``--smoke``: 20 recipients, the target not enforced (every one must still get one message).
"""

import os
import shutil
import time
import uuid

from common import ROOT, setup_django, smoke_requested

SMOKE = smoke_requested()
RECIPIENTS = 20 if SMOKE else 1000
POOL = os.environ.get("BENCH_POOL", "solo")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))
TARGET_SECONDS = 20

BROKER = ROOT / "var" / "bench" / f"broker-delivery-{uuid.uuid4().hex[:8]}"
BROKER.mkdir(parents=True)
setup_django("delivery", broker=BROKER)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Role  # noqa: E402
from accounts.services import user_create  # noqa: E402
from citisa.celery import app  # noqa: E402
from distribution.demo import load_distribution_lists  # noqa: E402
from distribution.models import Contact, DeliveryStatus  # noqa: E402
from distribution.services import contacts_import, publication_distribute  # noqa: E402
from tests.distribution.helpers import publication  # noqa: E402
from tests.distribution.smtp_sink import SmtpSink  # noqa: E402
from tests.distribution.worker import Worker  # noqa: E402


def contacts_sheet(count: int) -> bytes:
    organisations = ["科技部", "财政部", "各试点产业技术创新战略联盟", "有关地方科技厅（局）"]
    rows = ["单位,姓名,电子邮箱"]
    for n in range(count):
        rows.append(
            f"{organisations[n % len(organisations)]},接收人{n:04d},bench{n:04d}@example.org"
        )
    return "\n".join(rows).encode("utf-8")


def main():
    call_command("load_alliances", verbosity=0)
    load_distribution_lists()
    admin = user_create(username="bench-admin", password=None, roles=[Role.ADMINISTRATOR])
    report = contacts_import(
        data=contacts_sheet(RECIPIENTS - Contact.objects.count()), filename="bench.csv", actor=admin
    )
    assert not report.rejected, report.rejected[:3]
    assert Contact.objects.count() == RECIPIENTS

    queue = f"bench-delivery-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    log = ROOT / "var" / "bench" / "delivery-worker.log"
    log.write_text("")
    media = ROOT / "var" / "bench" / "delivery-media"
    settings.MEDIA_ROOT = media
    with SmtpSink(keep=False) as sink:
        env = {
            **os.environ,
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "LOG_LEVEL": "WARNING",
            "CITISA_VAR_DIR": str(ROOT / "var" / "bench"),
        }
        worker = Worker(queue=queue, log_path=log, env=env, pool=POOL, concurrency=CONCURRENCY)
        started = time.perf_counter()
        worker.start()
        ready = time.perf_counter() - started
        try:
            pub = publication(issue_id=1, version_id=1)
            start = time.perf_counter()
            dispatch = publication_distribute(publication=pub)  # fan-out queued on commit
            frozen = time.perf_counter()
            first = None
            deadline = start + (60 if SMOKE else 300)
            while time.perf_counter() < deadline:
                if first is None and sink.count:
                    first = time.perf_counter()
                if sink.count >= RECIPIENTS:
                    open_ = dispatch.deliveries.exclude(status=DeliveryStatus.SENT).count()
                    if open_ == 0:
                        break
                time.sleep(0.02)
            end = time.perf_counter()
        finally:
            worker.stop()
    sent = dispatch.deliveries.filter(status=DeliveryStatus.SENT).count()
    total = end - start
    print(
        f"worker: {POOL} pool, concurrency {CONCURRENCY}; broker filesystem://; SQLite; "
        f"ready {ready:.1f} s after it was started"
    )
    print(
        f"recipients: {RECIPIENTS}; messages in the SMTP sink: {sink.count}; sent in the database: {sent}"
    )
    print(f"freeze recipients + queue (publication_distribute): {(frozen - start) * 1000:7.1f} ms")
    print(
        f"first message in the sink after:                   {((first or end) - start) * 1000:7.1f} ms"
    )
    print(f"all {RECIPIENTS} delivered and marked sent:               {total:7.2f} s")
    print(
        f"per recipient:                                      {total / RECIPIENTS * 1000:7.2f} ms"
    )
    verdict = (
        "OK" if total <= TARGET_SECONDS and sent == RECIPIENTS == sink.count else "OVER TARGET"
    )
    print(
        f"target ≤ {TARGET_SECONDS} s: {verdict}" + (" (smoke run: not enforced)" if SMOKE else "")
    )
    shutil.rmtree(BROKER, ignore_errors=True)
    shutil.rmtree(media, ignore_errors=True)
    if sent != RECIPIENTS or sink.count != RECIPIENTS:
        raise SystemExit("not every recipient got exactly one message")
    if verdict != "OK" and not SMOKE:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
