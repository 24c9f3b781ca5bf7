"""Shared fixtures: real services (Redis, a Celery worker, an SMTP server on loopback).

A test that needs a service skips when it is missing, and fails instead when
REQUIRE_SERVICES=1 (as in CI), so a green CI run always means it ran.
"""

import asyncio
import email
import email.policy
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.utils import translation

from tests.factories import authenticator_app

SERVICES_REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
# Broker keys of its own per test run (CELERY_KEY_PREFIX), so a worker never takes another run's tasks.
CELERY_TEST_PREFIX = f"test-{uuid.uuid4().hex}:"


def service_unavailable(reason):
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing is deliberately slow; tests check who may sign in, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    # A request in another language leaves it active in the thread; each test starts in English.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache; one test's attempts must not limit the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the authenticator app every administrator has (lms.mfa)."""
    authenticator_app(admin_user)
    return admin_user


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        service_unavailable(f"Redis is not reachable at {url}: {error}")
    return url


@pytest.fixture
def celery_broker(redis_url, settings):
    """Tasks go to Redis (under this run's own keys) instead of running in-process."""
    from celery_app import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    options = {**saved["broker_transport_options"], "global_keyprefix": CELERY_TEST_PREFIX}
    app.conf.update(broker_url=redis_url, task_always_eager=False, broker_transport_options=options)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _drop_broker_connections(app)
    # Tasks left over by an earlier test must not run in this one.
    with app.connection_for_write() as connection:
        for queue in app.conf.task_queues:
            connection.default_channel.queue_purge(queue.name)
    yield app
    app.conf.update(saved)
    _drop_broker_connections(app)


@pytest.fixture
def celery_worker(celery_broker):
    """A real Celery worker (in a thread of this process) consuming from Redis.

    Tests using it need `worker_db` below, so the worker's own database
    connection sees what the test committed.
    """
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


# For tests with a worker: committed transactions, and the roles (rows of a data
# migration) put back after the tables are emptied.
worker_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _drop_broker_connections(app):
    """Forget pooled broker connections, so the next task is sent to the broker configured now."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list = field(default_factory=list)
    # While set, every message is answered with this reply instead of being accepted.
    refuse_with: str | None = None
    # Seconds each message takes to be accepted (a slow server).
    delay: float = 0
    refused: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse_with:
            self.refused += 1
            return self.refuse_with
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=20):
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                raise AssertionError(f"expected {count} messages, the SMTP server received {len(self.messages)}")
        return self.messages


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SmtpServer(host="127.0.0.1", port=port)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    controller.stop()
