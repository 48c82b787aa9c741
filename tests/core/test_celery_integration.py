import uuid

import pytest

from core.models import WorkerHeartbeat
from core.tasks import worker_heartbeat
from tests.celery_worker import running_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_sent_through_redis_is_run_by_a_separate_worker_process_and_reaches_the_database(tmp_path):
    token = uuid.uuid4().hex
    with running_worker(tmp_path) as worker:
        worker_heartbeat.apply_async(args=[token], queue=worker.queue)

        heartbeat = wait_for(
            lambda: WorkerHeartbeat.objects.filter(token=token).first(), message=f"the heartbeat\n{worker.log()}"
        )

    assert heartbeat.hostname
    assert WorkerHeartbeat.objects.filter(token=token).count() == 1
    assert "core.worker_heartbeat[" in worker.log()


def test_redelivered_heartbeat_writes_one_row(tmp_path):
    token = uuid.uuid4().hex
    with running_worker(tmp_path) as worker:
        worker_heartbeat.apply_async(args=[token], queue=worker.queue)
        worker_heartbeat.apply_async(args=[token], queue=worker.queue)
        wait_for(lambda: worker.log().count("succeeded") >= 2, message="both deliveries")

    assert WorkerHeartbeat.objects.filter(token=token).count() == 1
