"""Processes of a test's own: free ports, a private redis-server it may stop, what a worker subprocess is given."""

import contextlib
import shutil
import socket
import subprocess

from django.conf import settings

from tests.conftest import service_unavailable
from tests.waiting import wait_until


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
