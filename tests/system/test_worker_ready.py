"""A worker's readiness does not depend on its log level: on ``worker_ready`` it writes its
node name to ``CITISA_WORKER_READY_FILE`` and removes the file when it stops."""

import socket
import uuid

import pytest

from tests.distribution.worker import Worker, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_logging_warnings_only_is_seen_ready_and_not_after_it_stops(artifacts_dir):
    queue = f"citisa-test-ready-{uuid.uuid4().hex[:8]}"
    log = artifacts_dir / "celery-worker-ready.log"
    log.write_text("")
    worker = Worker(queue=queue, log_path=log, env=worker_env(LOG_LEVEL="WARNING"))
    try:
        worker.start()
        assert worker.ready_file.read_text() == f"{queue}@{socket.gethostname()}"
        assert "ready." not in log.read_text()  # the INFO line the old wait looked for
    finally:
        worker.stop()
    assert not worker.ready_file.exists()
