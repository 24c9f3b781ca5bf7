"""The outbox against a real SMTP server on loopback: sent only once accepted, retried, never lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import OutgoingEmail
from lms.services import outgoing_email_deliver, outgoing_email_queue, outgoing_email_requeue_stuck
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(**overrides):
    fields = {
        "to": "lasma@example.test",
        "subject": "Confirmare: Chișinău",
        "body_text": "Stimată Lāsma Stabiņa,",
        "body_html": "<p>Stimată <b>Lāsma Stabiņa</b>,</p>",
    }
    fields.update(overrides)
    return outgoing_email_queue(**fields)


def test_email_is_marked_sent_only_after_the_server_accepted_it(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    [received] = smtp_server.messages
    assert received["To"] == "lasma@example.test"
    assert received["Subject"] == "Confirmare: Chișinău"
    assert received.get_body(("plain",)).get_content().strip() == "Stimată Lāsma Stabiņa,"
    assert "<b>Lāsma Stabiņa</b>" in received.get_body(("html",)).get_content()


def test_a_temporary_refusal_keeps_the_email_queued_with_the_error(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    email = queue()
    smtp_server.refuse_with = "451 4.3.0 Try again later"

    result = outgoing_email_deliver(email_id=email.pk)

    email.refresh_from_db()
    assert result.retry_in == 30
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "Try again later" in email.last_error
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert smtp_server.messages == []

    smtp_server.refuse_with = None
    outgoing_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    assert len(smtp_server.messages) == 1


def test_backoff_doubles_between_attempts(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    email = queue()
    smtp_server.refuse_with = "421 4.7.0 Busy"
    waits = [outgoing_email_deliver(email_id=email.pk).retry_in for _ in range(3)]
    assert waits == [10, 20, 40]


def test_a_permanent_refusal_fails_at_once(smtp_server):
    email = queue()
    smtp_server.refuse_with = "550 5.1.1 Mailbox unavailable"
    result = outgoing_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert result.retry_in is None
    assert email.status == OutgoingEmail.Status.FAILED
    assert "Mailbox unavailable" in email.last_error


def test_an_unreachable_server_fails_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = queue()
    statuses = [outgoing_email_deliver(email_id=email.pk).status for _ in range(3)]
    assert statuses == ["queued", "queued", "failed"]
    email.refresh_from_db()
    assert email.attempts == 3
    assert "Connection refused" in email.last_error or "Errno" in email.last_error


def test_a_sent_email_is_never_sent_again(smtp_server):
    email = queue()
    outgoing_email_deliver(email_id=email.pk)
    result = outgoing_email_deliver(email_id=email.pk)
    assert result.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_stuck_emails_are_handed_to_a_worker_again(smtp_server, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_STUCK_AFTER_SECONDS = 600
    stuck = queue(to="stuck@example.test")
    fresh = queue(to="fresh@example.test")
    OutgoingEmail.objects.filter(pk=stuck.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=11))

    # Tasks run in-process here, so the stuck one is delivered once the sweep commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_requeue_stuck() == 1

    assert [m["To"] for m in smtp_server.messages] == ["stuck@example.test"]
    fresh.refresh_from_db()
    assert fresh.status == OutgoingEmail.Status.QUEUED


def test_administrator_sends_a_failed_email_again_from_the_admin(
    client, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role="Administrator"))
    failed = queue()
    OutgoingEmail.objects.filter(pk=failed.pk).update(status="failed", attempts=8, last_error="550 no")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:lms_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "1 email queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_subject_with_a_line_break_fails_at_once_and_is_not_swept_again(smtp_server, settings):
    settings.OUTBOX_STUCK_AFTER_SECONDS = 600
    email = queue()
    # Written directly, as an old row would hold it.
    OutgoingEmail.objects.filter(pk=email.pk).update(subject="Confirmare\nBcc: everyone@example.test")

    result = outgoing_email_deliver(email_id=email.pk)

    email.refresh_from_db()
    assert result.status == email.status == OutgoingEmail.Status.FAILED
    assert (result.retry_in, email.attempts) == (None, 1)
    assert "BadHeaderError" in email.last_error and "newlines" in email.last_error
    assert smtp_server.messages == []
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=11))
    assert outgoing_email_requeue_stuck() == 0


def test_a_subject_is_queued_on_one_line():
    assert queue(subject="a\nb").subject == "a b"
    assert queue(subject=" Confirmare:\r\n\tChișinău  2018 ").subject == "Confirmare: Chișinău 2018"
