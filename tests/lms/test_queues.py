"""Each task goes to the queue of its kind, so that one worker per queue can run on a machine of its own; heavy
reports are acknowledged when they start, and every other task ends within the broker's visibility timeout."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from celery_app import app
from tests.conftest import CELERY_TEST_PREFIX
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
QUEUES = {
    "lms.outbox_deliver": "email",
    "lms.outbox_requeue_stuck": "email",
    "courses.send_reminders": "email",
    "evaluation.surveys_due": "email",
    "certificates.deliver": "certificates",
    "certificates.deliver_batch": "certificates",
    "certificates.requeue_undelivered": "certificates",
    "certificates.build_zip": "reports",
    "privacy.data_export_build": "reports",
    "privacy.data_exports_lost_fail": "reports",
    "privacy.retention_apply": "reports",
}
HEAVY_REPORTS = {"certificates.build_zip", "privacy.data_export_build", "privacy.retention_apply"}
# A worker with a long report of the reports queue, acknowledged when it starts as theirs are: each run is recorded.
REPORT_WORKER = """
import os, sys, time, redis
from celery_app import app

@app.task(name="privacy.long_report_probe", acks_late=False, soft_time_limit=60, time_limit=70)
def long_report(number):
    redis.Redis.from_url(os.environ["REDIS_URL"]).rpush(os.environ["RUNS_KEY"], number)
    time.sleep(9)

app.start(sys.argv[1:])
"""


def site_tasks():
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


@pytest.mark.parametrize(("name", "queue"), QUEUES.items())
def test_each_task_goes_to_the_queue_of_its_kind(name, queue):
    assert name in site_tasks()
    assert app.amqp.router.route({}, name)["queue"].name == queue


@pytest.mark.services
def test_a_task_sent_waits_in_its_own_queue_only(celery_broker):
    from lms.tasks import outbox_requeue_stuck

    outbox_requeue_stuck.delay()
    with celery_broker.connection_for_read() as connection:
        broker = connection.default_channel.client  # Redis, under this run's key prefix
        waiting = {queue.name: broker.llen(queue.name) for queue in app.conf.task_queues}
    assert waiting == {"email": 1, "certificates": 0, "reports": 0}


def test_every_periodic_task_is_a_task_with_its_queue():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in QUEUES, entry["task"]


def test_heavy_reports_are_acknowledged_when_they_start_and_the_rest_end_within_the_visibility_timeout():
    for name, task in site_tasks().items():
        if name in HEAVY_REPORTS:
            assert not task.acks_late, name
            assert (task.soft_time_limit, task.time_limit) == (240, 300), name
        else:
            assert task.acks_late, name
            assert task.soft_time_limit < task.time_limit < settings.CELERY_VISIBILITY_TIMEOUT, name
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT == 60
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 5


def test_time_limits_past_the_visibility_timeout_are_refused():
    result = subprocess.run(
        [sys.executable, "-c", "import lms.settings"],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(ROOT / "var"), "CELERY_VISIBILITY_TIMEOUT": "30",
                       "CELERY_TASK_TIME_LIMIT": "300"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT" in result.stderr


@pytest.mark.services
def test_a_report_waiting_behind_another_in_a_busy_worker_runs_once(redis_url, celery_broker, tmp_path):
    """The second report waits while the first runs for longer than the visibility timeout: the worker must not have
    taken it yet, or the broker would hand it to a worker again (and again)."""
    runs_key = f"test-reports-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(redis_url)
    env = {**os.environ, "REDIS_URL": redis_url, "CELERY_KEY_PREFIX": CELERY_TEST_PREFIX, "RUNS_KEY": runs_key,
           "CELERY_VISIBILITY_TIMEOUT": "3", "VAR_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-c", REPORT_WORKER, "worker", "-Q", "reports", "--concurrency=1", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for number in (1, 2):
            celery_broker.send_task("privacy.long_report_probe", (number,))
        assert wait_until(lambda: client.llen(runs_key) >= 2, timeout=60)
        time.sleep(12)  # a second run of the second report would start as the first of it ends
        runs = [int(run) for run in client.lrange(runs_key, 0, -1)]
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        client.delete(runs_key)
    assert runs == [1, 2]
