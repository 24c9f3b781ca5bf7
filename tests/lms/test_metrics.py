"""/metrics as Prometheus scrapes it (by IP address, over plain HTTP), and as nobody else may."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from certificates.models import Certificate
from certificates.services import certificate_issue
from lms.models import OutgoingEmail
from lms.roles import Role
from lms.tasks import outbox_deliver
from tests.conftest import worker_db
from tests.factories import EnrollmentFactory, UserFactory
from tests.processes import private_redis_running, redis_cache
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def scrape(client, **request):
    """{(name, labels as sorted pairs): value} of every sample /metrics shows."""
    response = client.get("/metrics", **request)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def sample(name, **labels):
    return (name, tuple(sorted(labels.items())))


@pytest.mark.parametrize(
    ("allowed", "request_from"),
    [
        (["127.0.0.1", "::1"], {"REMOTE_ADDR": "203.0.113.9"}),
        # The reverse proxy runs on the same machine: what it forwards comes from anyone.
        (["127.0.0.1", "::1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}),
        (["127.0.0.1", "::1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"}),
        (["10.20.0.0/16"], {"REMOTE_ADDR": "10.21.0.4"}),
        ([], {"REMOTE_ADDR": "127.0.0.1"}),
    ],
)
def test_metrics_are_not_found_by_anyone_else(client, settings, allowed, request_from):
    settings.METRICS_ALLOWED_ADDRESSES = allowed
    response = client.get("/metrics", **request_from)
    assert response.status_code == 404
    assert b"django_http" not in response.content


@pytest.mark.parametrize("address", ["10.20.3.4", "::ffff:10.20.3.4"])
def test_prometheus_scrapes_by_address_over_plain_http(client, settings, address):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.20.0.0/16"]
    settings.ALLOWED_HOSTS = ["training.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    samples = scrape(client, REMOTE_ADDR=address, HTTP_HOST="10.0.0.7:8000")
    assert sample("django_http_requests_before_middlewares_total") in samples


def test_a_wrong_allowed_address_stops_the_server_at_start_up(settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["prometheus.internal"]
    with pytest.raises(ImproperlyConfigured, match="'prometheus.internal' is not an IP address or network"):
        Client().get("/healthz")


def test_requests_are_counted_by_view_method_and_status(client):
    by_status = sample("django_http_responses_total_by_status_view_method_total",
                       view="courses:catalog", method="GET", status="200")  # fmt: skip
    timed = sample("django_http_requests_latency_seconds_by_view_method_count", view="courses:catalog", method="GET")
    before = scrape(client)
    assert client.get(reverse("courses:catalog")).status_code == 200
    after = scrape(client)
    assert after[by_status] == before.get(by_status, 0) + 1
    assert after[timed] == before.get(timed, 0) + 1


def test_the_outbox_is_shown_by_state(client):
    for status, count in [("queued", 2), ("sent", 1), ("failed", 3)]:
        for _ in range(count):
            OutgoingEmail.objects.create(to="ion@example.test", subject="Înscriere", body_text="...", status=status)
    samples = scrape(client)
    shown = [samples[sample("sinergia_outbox_emails", state=state)] for state in ("queued", "sent", "failed")]
    assert shown == [2, 1, 3]


def test_certificates_waiting_for_their_email_are_shown(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    certificates = [
        certificate_issue(enrollment=EnrollmentFactory(), actor=administrator, reason="Attended in full")[0]
        for _ in range(6)
    ]  # their emails wait for the test's transaction to commit, which it never does: none has one yet

    def with_email(certificate, status):
        email = OutgoingEmail.objects.create(to="x@example.test", subject="Certificate", body_text=".", status=status)
        Certificate.objects.filter(pk=certificate.pk).update(email=email)

    waiting_without_email, waiting_queued, sent, failed, revoked, withdrawn = certificates
    with_email(waiting_queued, "queued")
    with_email(sent, "sent")
    with_email(failed, "failed")
    Certificate.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    with_email(withdrawn, "queued")
    Certificate.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())

    assert scrape(client)[sample("sinergia_certificates_waiting")] == 2


@pytest.fixture
def shared_cache():
    """The cache in a Redis of the test's own, which web servers and workers share in a deployment."""
    with private_redis_running() as redis, override_settings(CACHES=redis_cache(redis.url)):
        yield


@pytest.mark.services
@worker_db
def test_a_task_failing_in_a_worker_is_counted_for_every_web_server_to_show(client, shared_cache, celery_worker):
    failures = sample("sinergia_task_failures_total", task="lms.outbox_deliver")
    assert scrape(client)[failures] == 0
    outbox_deliver.delay("not-an-id")  # a malformed message: the task raises
    assert wait_until(lambda: scrape(client)[failures] == 1)
    assert scrape(client)[sample("sinergia_task_failures_total", task="lms.outbox_requeue_stuck")] == 0


def test_several_processes_are_counted_together(client, monkeypatch, tmp_path):
    # Two processes (gunicorn's workers) answer requests; each writes its counts to the shared folder.
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "VAR_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)  # /healthz reads no table
    for requests in (2, 3):
        code = (
            "import django; django.setup(); from django.test import Client; client = Client(); "
            f"[client.get('/healthz') for _ in range({requests})]"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    samples = scrape(client)
    assert samples[sample("django_http_requests_before_middlewares_total")] == 5
    assert sample("sinergia_outbox_emails", state="queued") in samples
