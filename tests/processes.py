"""Processes of a test's own: a private redis-server it may stop, what a worker subprocess is given."""

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from bench.support import PrivateRedis
from tests.conftest import CELERY_TEST_PREFIX, service_unavailable

ROOT = Path(__file__).resolve().parents[1]


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
