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


def time_passes(email, seconds):
    """As if `seconds` had passed for the email's next attempt and its hand-over."""
    row = OutgoingEmail.objects.get(pk=email.pk)
    moved = {"next_attempt_at": row.next_attempt_at - timedelta(seconds=seconds)}
    if row.handed_over_at:
        moved["handed_over_at"] = row.handed_over_at - timedelta(seconds=seconds)
    OutgoingEmail.objects.filter(pk=email.pk).update(**moved)


def test_a_temporary_refusal_keeps_the_email_queued_with_the_error_until_its_next_attempt(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    email = queue()
    smtp_server.refuse_with = "451 4.3.0 Try again later"

    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.QUEUED

    email.refresh_from_db()
    assert email.attempts == 1
    assert "Try again later" in email.last_error
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert email.handed_over_at is None  # no worker holds it: the sweep hands it over when due
    assert smtp_server.messages == []

    # A copy of its task arriving before the attempt is due does nothing, though the server would accept it now.
    smtp_server.refuse_with = None
    assert outgoing_email_deliver(email_id=email.pk) == "not due"
    email.refresh_from_db()
    assert (email.status, email.attempts, smtp_server.messages) == (OutgoingEmail.Status.QUEUED, 1, [])

    time_passes(email, 30)
    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.SENT
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.last_error == ""
    assert len(smtp_server.messages) == 1


def test_backoff_doubles_between_attempts(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    email = queue()
    smtp_server.refuse_with = "421 4.7.0 Busy"
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        outgoing_email_deliver(email_id=email.pk)
        email.refresh_from_db()
        waits.append(int((email.next_attempt_at - before).total_seconds()))
        time_passes(email, waits[-1] + 1)
    assert waits == [10, 20, 40]


def test_a_permanent_refusal_fails_at_once(smtp_server):
    email = queue()
    smtp_server.refuse_with = "550 5.1.1 Mailbox unavailable"
    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.FAILED
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "Mailbox unavailable" in email.last_error


def test_an_unreachable_server_fails_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = queue()
    statuses = []
    for _attempt in range(3):
        statuses.append(outgoing_email_deliver(email_id=email.pk))
        time_passes(email, 3600)
    assert statuses == ["queued", "queued", "failed"]
    email.refresh_from_db()
    assert email.attempts == 3
    assert "Connection refused" in email.last_error or "Errno" in email.last_error


def test_a_sent_email_is_never_sent_again(smtp_server):
    email = queue()
    outgoing_email_deliver(email_id=email.pk)
    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_the_sweep_retries_a_refused_email_once_due_and_not_before(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    email = queue()
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    outgoing_email_deliver(email_id=email.pk)
    smtp_server.refuse_with = None

    # Tasks run in-process here: what the sweep hands over is delivered once the sweep commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_requeue_stuck() == 0
    time_passes(email, 50)
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_requeue_stuck() == 0
    assert smtp_server.messages == []

    time_passes(email, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_requeue_stuck() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)
    assert [m["To"] for m in smtp_server.messages] == ["lasma@example.test"]


def test_the_sweep_does_not_hand_over_again_an_email_waiting_in_a_queue(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    email = queue()
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    outgoing_email_deliver(email_id=email.pk)
    time_passes(email, 60)

    # Handed over; its task waits in a long queue (it never runs here).
    assert outgoing_email_requeue_stuck() == 1
    email.refresh_from_db()
    assert email.handed_over_at is not None
    for _sweep in range(3):
        assert outgoing_email_requeue_stuck() == 0
    # A fresh email is handed over as it is queued: no sweep hands it over again either.
    queue(to="fresh@example.test")
    assert outgoing_email_requeue_stuck() == 0
    assert smtp_server.refused == 1


def test_an_email_handed_over_long_ago_and_still_queued_is_handed_over_again(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_STUCK_AFTER_SECONDS = 600
    lost = queue(to="lost@example.test")  # its task was lost with the broker's data
    waiting = queue(to="waiting@example.test")
    time_passes(lost, 601)
    time_passes(waiting, 599)

    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_requeue_stuck() == 1

    assert [m["To"] for m in smtp_server.messages] == ["lost@example.test"]
    waiting.refresh_from_db()
    assert waiting.status == OutgoingEmail.Status.QUEUED


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
    assert result == email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 1
    assert "BadHeaderError" in email.last_error and "newlines" in email.last_error
    assert smtp_server.messages == []
    time_passes(email, 3600)
    assert outgoing_email_requeue_stuck() == 0


def test_a_subject_is_queued_on_one_line():
    assert queue(subject="a\nb").subject == "a b"
    assert queue(subject=" Confirmare:\r\n\tChișinău  2018 ").subject == "Confirmare: Chișinău 2018"
