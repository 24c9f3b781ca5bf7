"""One beat sends the periodic tasks, however many run: the others stand by and one takes over when it dies.

Real `celery beat` processes against a real Redis, under keys of their own, with one task due every second and
no worker: the messages they put on the queue are counted.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
LOCK_SECONDS = 3
# `celery -A celery_app beat`, with a schedule of one task due every second instead of the site's.
BEAT = (
    "import sys; from celery_app import app; "
    "app.conf.beat_schedule = {'every-second': {'task': 'lms.outbox_requeue_stuck', 'schedule': 1.0}}; "
    "app.start(sys.argv[1:])"
)


@pytest.fixture
def keys(redis_url):
    """A key prefix of this test's own in the test Redis, emptied afterwards."""
    prefix = f"test-beat-{uuid.uuid4().hex}:"
    client = redis.Redis.from_url(redis_url)
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def beats(tmp_path, redis_url, keys):
    _client, prefix = keys
    started = []

    def start(name, **env):
        env = {**os.environ, "REDIS_URL": redis_url, "CELERY_KEY_PREFIX": prefix, "LOG_LEVEL": "INFO",
               "CELERY_BEAT_LOCK_SECONDS": str(LOCK_SECONDS), "VAR_DIR": str(tmp_path), **env}  # fmt: skip
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-c", BEAT, "beat", "-S", "lms.beat:LockedScheduler", "-s", str(tmp_path / name),
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        process.log = tmp_path / f"{name}.log"
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def holder(client, prefix, processes):
    """The beat process whose token (host:pid:...) the lock holds, or None."""
    token = client.get(f"{prefix}beat")
    pid = int(token.decode().split(":")[1]) if token else None
    return next((process for process in processes if process.pid == pid), None)


@pytest.mark.services
def test_two_beats_send_the_periodic_tasks_once_and_the_second_takes_over_when_the_first_dies(keys, beats):
    client, prefix = keys
    queued = f"{prefix}email"  # where lms.outbox_requeue_stuck goes; no worker takes it here
    first, second = beats("first"), beats("second")
    # Both running, one holding the lock and sending.
    assert wait_until(lambda: all("beat: Starting..." in p.log.read_text() for p in (first, second)), timeout=30)
    assert wait_until(lambda: holder(client, prefix, [first, second]) and client.llen(queued) >= 2, timeout=30)

    start, counted_from = time.monotonic(), client.llen(queued)
    time.sleep(10)
    sent, elapsed = client.llen(queued) - counted_from, time.monotonic() - start
    print(f"two beats sent {sent} messages in {elapsed:.1f} s (one beat sends one a second)")
    assert first.poll() is None and second.poll() is None
    assert 0 < sent <= elapsed + 2, "both beats sent the periodic tasks"

    dead = holder(client, prefix, [first, second])
    survivor = second if dead is first else first
    os.killpg(dead.pid, signal.SIGKILL)
    dead.wait(timeout=10)
    at_death = client.llen(queued)
    # The lock expires LOCK_SECONDS after its last renewal; the survivor takes it and sends from then on.
    assert wait_until(lambda: holder(client, prefix, [survivor]) is survivor, timeout=LOCK_SECONDS + 10)
    assert wait_until(lambda: client.llen(queued) >= at_death + 3, timeout=10)
    assert "took the lock: it sends the periodic tasks" in survivor.log.read_text()


def test_without_redis_there_is_no_beat_to_run(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "-S", "lms.beat:LockedScheduler",
         "-s", str(tmp_path / "schedule")],
        cwd=ROOT, env={**env, "VAR_DIR": str(tmp_path)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "No beat runs without Redis (REDIS_URL)" in result.stdout + result.stderr
