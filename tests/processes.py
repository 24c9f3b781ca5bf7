"""Processes of a test's own: free ports, a private redis-server it may stop, what a worker subprocess is given."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.conftest import CELERY_TEST_PREFIX, service_unavailable
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free port, which the test may stop (never the machine's Redis)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        if not wait_until(lambda: subprocess.run(ping, capture_output=True).returncode == 0, timeout=10):
            raise AssertionError(f"redis-server did not start on port {self.port}")

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


@contextlib.contextmanager
def private_redis_running():
    if not shutil.which("redis-server"):
        service_unavailable("redis-server is not installed (Debian package redis-server)")
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def redis_cache(url):
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def worker_database_url():
    """DATABASE_URL for a worker subprocess: the test database this process uses."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def worker_started(*, redis_url, smtp_server, media_root, options=("--pool=solo",), **settings_env):
    """A Celery worker in a process of its own (and its own process group), as on another machine: this test's
    database, broker keys and SMTP server, the MEDIA_ROOT given, and `settings_env` as more environment."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": CELERY_TEST_PREFIX,
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "0",
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
        **settings_env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", "worker", *options, "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def stopped(process, timeout=30):
    """Stop `process` (SIGTERM), killing it if it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
