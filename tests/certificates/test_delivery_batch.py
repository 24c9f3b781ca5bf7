"""A delivery batch, in this process, against a real SMTP server on loopback: each certificate in its own
transaction, its email recorded with what the server answered."""

import hashlib
import io
import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.services import _locked_with_holder, certificates_deliver_batch
from courses.services import event_close
from lms.models import OutgoingEmail, User
from tests.conftest import worker_db

pytestmark = pytest.mark.django_db


def closed(closing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    return list(Certificate.objects.order_by("pk").values_list("pk", flat=True))


def test_a_batch_handed_over_again_after_its_task_was_lost_sends_each_certificate_once(
    closing, smtp_server, django_capture_on_commit_callbacks
):
    ids = closed(closing, django_capture_on_commit_callbacks)
    smtp_server.wait_for(4, timeout=10)
    smtp_server.messages.clear()
    # As if the task had been lost before it began: no PDF, no email.
    Certificate.objects.update(email=None, pdf="", sha256="")
    with CaptureQueriesContext(connection) as queries:
        assert certificates_deliver_batch(ids=ids, seconds=60) == []
    # Per certificate: its row locked with its holder, the email inserted, the row updated once (and the
    # transaction's own two statements); nothing read again.
    assert len(queries) == 5 * len(ids)
    assert len(smtp_server.messages) == 4
    for message in smtp_server.messages:
        certificate = Certificate.objects.select_related("email").get(enrollment__user__email=message["To"])
        [attachment] = list(message.iter_attachments())
        content = attachment.get_content()
        assert certificate.printed_name in PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert certificate.sha256 == hashlib.sha256(content).hexdigest()
        with certificate.pdf.open("rb") as stored:
            assert stored.read() == content
        assert (certificate.email.status, certificate.email.to) == (OutgoingEmail.Status.SENT, message["To"])
    assert certificates_deliver_batch(ids=ids, seconds=60) == []
    assert len(smtp_server.messages) == 4  # none sent twice


def test_an_email_the_server_refuses_for_now_waits_for_a_retry_and_is_not_marked_sent(
    closing, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse_with = "451 4.3.0 Mailbox busy, try later"
    ids = closed(closing, django_capture_on_commit_callbacks)
    assert smtp_server.refused == 4
    emails = OutgoingEmail.objects.filter(pk__in=Certificate.objects.values("email"))
    assert emails.count() == 4
    for email in emails:
        assert (email.status, email.attempts, email.handed_over_at) == (OutgoingEmail.Status.QUEUED, 1, None)
        assert email.next_attempt_at is not None and "Mailbox busy" in email.last_error
    # The certificates have their email: another batch leaves them to the outbox's retries.
    smtp_server.refuse_with = None
    assert certificates_deliver_batch(ids=ids, seconds=60) == []
    assert (smtp_server.messages, smtp_server.refused) == ([], 4)


def test_no_certificate_is_started_after_the_time_given_and_those_left_are_returned(
    closing, smtp_server, django_capture_on_commit_callbacks
):
    ids = closed(closing, django_capture_on_commit_callbacks)
    Certificate.objects.update(email=None)
    assert certificates_deliver_batch(ids=list(reversed(ids)), seconds=-1) == ids
    assert not Certificate.objects.filter(email__isnull=False).exists()


def test_a_batch_sends_its_emails_over_one_smtp_session(closing, smtp_server, django_capture_on_commit_callbacks):
    sessions = []  # the session objects themselves, kept so that none is taken for another
    accept = smtp_server.handle_DATA

    async def handle_DATA(server, session, envelope):
        sessions.append(session)
        return await accept(server, session, envelope)

    smtp_server.handle_DATA = handle_DATA
    closed(closing, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 4
    assert len({id(session) for session in sessions}) == 1


@worker_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_while_a_certificate_is_being_sent_its_holder_can_still_edit_their_profile(closing):
    event_close(event=closing["event"], actor=closing["trainer"])
    certificate = Certificate.objects.select_related("enrollment__user").first()
    holder = certificate.enrollment.user
    outcome = []

    def edit_profile():
        try:
            with transaction.atomic():
                User.objects.select_for_update(nowait=True).get(pk=holder.pk)  # fails at once if locked
                User.objects.filter(pk=holder.pk).update(given_name="Elena")
            outcome.append("saved")
        except OperationalError:
            outcome.append("locked")
        finally:
            connection.close()

    with transaction.atomic():
        _locked_with_holder(certificate.pk)  # as the delivery holds it while the email goes out
        thread = threading.Thread(target=edit_profile)
        thread.start()
        thread.join()
    assert outcome == ["saved"]
