"""/healthz and /readyz as a load balancer meets them: by IP address, over plain HTTP, signed in to nothing."""

import json
import logging
import socket
import threading

import pytest
from botocore.config import Config
from django.conf import settings
from django.db import connection, connections
from django.test.utils import override_settings

from bench.support import free_port
from celery_app import app as celery_app
from tests.conftest import _drop_broker_connections
from tests.processes import private_redis_running, redis_cache
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db
# How a load balancer asks: the server's own address, which is not among ALLOWED_HOSTS.
BY_ADDRESS = {"HTTP_HOST": "10.0.0.7:8000"}


@pytest.fixture
def private_redis():
    with private_redis_running() as redis:
        yield redis


@pytest.fixture
def on_private_redis(private_redis):
    """The cache and Celery's broker on the private Redis, as REDIS_URL sets them in a deployment."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    _drop_broker_connections(celery_app)
    # Put back before the server stops: the cache is emptied after each test (tests/conftest.py).
    with override_settings(CACHES=redis_cache(private_redis.url)):
        yield private_redis
    celery_app.conf.update(saved)
    _drop_broker_connections(celery_app)


@pytest.fixture(autouse=True)
def _checks_finished():
    """A check still running (a service that hung) ends before the next test, which would otherwise share it."""
    yield
    assert wait_until(lambda: not any(thread.name.startswith("readyz-") for thread in threading.enumerate()))


def readiness(client):
    response = client.get("/readyz", **BY_ADDRESS)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_probes_answer_by_ip_address_over_plain_http_without_signing_in(client, settings):
    settings.ALLOWED_HOSTS = ["training.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    # Any other page is refused to such a request (the host is not allowed; it would be sent to HTTPS).
    assert client.get("/courses/", **BY_ADDRESS).status_code == 400

    alive = client.get("/healthz", **BY_ADDRESS)
    assert alive.status_code == 200
    assert alive.content == b"ok\n"
    assert "no-store" in alive["Cache-Control"]
    assert readiness(client) == (200, {"status": "ready", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}})
    assert "sessionid" not in client.cookies


@pytest.mark.services
def test_readiness_names_the_cache_and_broker_while_redis_is_down_and_recovers(client, on_private_redis, caplog):
    everything_ok = {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"}
    assert readiness(client) == (200, {"status": "ready", "checks": everything_ok})

    on_private_redis.stop()
    status, body = readiness(client)
    assert status == 503
    assert body == {"status": "not ready", "checks": {**everything_ok, "cache": "failed", "broker": "failed"}}
    # The reason is for the operator's log only.
    failures = [r.getMessage() for r in caplog.records if r.name == "lms.health" and r.levelno == logging.WARNING]
    assert any("cache" in message for message in failures) and any("broker" in message for message in failures)

    on_private_redis.start()
    assert readiness(client) == (200, {"status": "ready", "checks": everything_ok})


@pytest.mark.services
def test_the_bodies_reveal_no_setting(client, on_private_redis):
    revealing = [
        on_private_redis.url, str(on_private_redis.port), "redis", "127.0.0.1", settings.SECRET_KEY,
        str(connection.settings_dict["NAME"]), connection.vendor, str(settings.MEDIA_ROOT), "Django", "5.2",
    ]  # fmt: skip
    bodies = [client.get("/healthz", **BY_ADDRESS).content, client.get("/readyz", **BY_ADDRESS).content]
    on_private_redis.stop()
    bodies.append(client.get("/readyz", **BY_ADDRESS).content)  # not ready: the reasons are logged, not shown
    on_private_redis.start()
    for body in bodies:
        text = body.decode().lower()
        assert not [value for value in revealing if value.lower() in text], text


def test_an_unreachable_database_is_named(client, monkeypatch, tmp_path):
    # New connections (the check opens its own, in its thread) go where no database answers.
    database = connections.settings["default"]
    if connection.vendor == "sqlite":
        monkeypatch.setitem(database, "NAME", str(tmp_path / "gone" / "sinergia.sqlite3"))
    else:
        monkeypatch.setitem(database, "PORT", str(free_port()))
    status, body = readiness(client)
    assert status == 503
    assert body == {"status": "not ready", "checks": {"database": "failed", "cache": "ok", "storage": "ok"}}


def test_an_unreachable_object_store_is_named(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "sinergia-files",
                "endpoint_url": f"http://127.0.0.1:{free_port()}",  # nothing listens there
                "access_key": "sinergia",
                "secret_key": "not-a-real-secret",
                "region_name": "eu-central-1",
                "client_config": Config(retries={"max_attempts": 1}),
            },
        },
    }
    status, body = readiness(client)
    assert status == 503
    assert body == {"status": "not ready", "checks": {"database": "ok", "cache": "ok", "storage": "failed"}}
    assert b"sinergia-files" not in client.get("/readyz", **BY_ADDRESS).content


def test_a_service_that_hangs_is_a_timeout_and_the_probe_still_answers(client):
    # A "Redis" that accepts connections and never answers: the cache's commands wait forever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")):
            status, body = readiness(client)
            # A second probe meanwhile waits for the same check rather than starting another thread.
            assert readiness(client) == (status, body)
            assert sum(thread.name == "readyz-cache" for thread in threading.enumerate()) == 1
    assert status == 503
    assert body == {"status": "not ready", "checks": {"database": "ok", "cache": "timeout", "storage": "ok"}}
