"""Tasks executed by a real Celery worker over Redis, delivering to a real SMTP server."""

import pytest
from django.urls import reverse

from lms.models import Audience, OutgoingEmail
from lms.services import outgoing_email_queue, outgoing_email_requeue_stuck
from tests.conftest import worker_db
from tests.waiting import wait_until

pytestmark = [pytest.mark.services, worker_db]


def sweeping_until(condition, timeout=20):
    """Wait for `condition`, sweeping the outbox meanwhile as the beat does (every 30 seconds; here at each look)."""

    def swept():
        outgoing_email_requeue_stuck()
        return condition()

    return wait_until(swept, timeout)


def test_worker_delivers_a_queued_email(celery_worker, smtp_server):
    email = outgoing_email_queue(to="ion@example.test", subject="Înscriere confirmată", body_text="Бельцы, Bălți")

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Înscriere confirmată"
    assert received.get_content().strip() == "Бельцы, Bălți"
    assert wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT)


def test_the_sweep_hands_a_refused_email_to_the_worker_again_once_due(celery_worker, smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    email = outgoing_email_queue(to="ion@example.test", subject="Retry", body_text="...")
    assert wait_until(lambda: smtp_server.refused >= 1)
    smtp_server.refuse_with = None

    assert sweeping_until(lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT)
    email.refresh_from_db()
    assert email.attempts == 2
    assert len(smtp_server.messages) == 1


def test_signup_verification_email_arrives_through_the_worker(client, celery_worker, smtp_server):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "elina@example.test",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "given_name": "Elīna",
            "family_name": "Ozoliņa",
            "profession": Audience.NGO,
            "sex": "female",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "elina@example.test"
    assert "/accounts/confirm-email/" in received.get_content()
