"""Certificates delivered end to end: a real Celery worker over Redis, a real SMTP server on loopback."""

import io
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import Attendance
from courses.services import event_close
from lms.models import OutgoingEmail
from tests.conftest import worker_db
from tests.factories import EnrollmentFactory, UserFactory
from tests.lms.test_celery_worker import sweeping_until
from tests.processes import worker_started
from tests.waiting import wait_until

pytestmark = [pytest.mark.services, worker_db]
ROOT = Path(__file__).resolve().parents[2]


def pdf_names(messages):
    names = []
    for message in messages:
        [attachment] = list(message.iter_attachments())
        names.append(PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text())
    return names


def test_closing_an_event_emails_each_completed_participant_their_certificate(closing, celery_worker, smtp_server):
    event_close(event=closing["event"], actor=closing["trainer"])
    messages = smtp_server.wait_for(4, timeout=60)
    time.sleep(0.5)
    assert len(smtp_server.messages) == 4
    texts = pdf_names(messages)
    for name in ["Ștefan Bîrsan", "Lāsma Stabiņa", "Наталья Кожухарь", "Aistė Žemaitytė"]:
        assert sum(name in text for text in texts) == 1, name
    assert "Ion Rusu" not in "".join(texts)
    assert wait_until(lambda: all(c.state == "sent" for c in Certificate.objects.select_related("email")))


def test_smtp_refusing_for_a_while_then_accepting_delivers_each_once(closing, celery_worker, smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    smtp_server.refuse_with = "451 4.3.0 Mailbox busy, try later"
    event_close(event=closing["event"], actor=closing["trainer"])
    assert wait_until(lambda: smtp_server.refused >= 4)
    assert not OutgoingEmail.objects.filter(status="sent").exists()  # none marked sent before acceptance
    smtp_server.refuse_with = None
    # Each refused email waits for the beat's sweep, done here until all are sent.
    assert sweeping_until(lambda: OutgoingEmail.objects.filter(status="sent").count() == 4, timeout=60)
    time.sleep(1.5)  # time for a wrongful second attempt to show
    assert sorted(m["To"] for m in smtp_server.messages) == sorted({m["To"] for m in smtp_server.messages})
    assert len(smtp_server.messages) == 4


def _worker_process(smtp_server, redis_url, visibility_timeout):
    # A process group of its own: killed as a whole, as when a machine or its container dies.
    return worker_started(redis_url=redis_url, smtp_server=smtp_server, media_root=settings.MEDIA_ROOT,
                          options=["--concurrency=1"], CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout))  # fmt: skip


def _kill(worker):
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_a_worker_killed_in_the_middle_of_a_batch_leaves_the_rest_to_another_by_itself(
    closing, smtp_server, redis_url, celery_broker
):
    event = closing["event"]
    for number in range(8):  # twelve who completed in all
        enrollment = EnrollmentFactory(event=event, user=UserFactory(email=f"more{number}@example.test"))
        for day in event.days:
            Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
    smtp_server.delay = 0.4  # a slow mail server, so the batch is still running when the worker dies
    # The broker gives a task taken by a worker that died back to its queue after 5 seconds here (60 by default).
    worker = _worker_process(smtp_server, redis_url, visibility_timeout=5)  # takes the tasks the closing enqueues
    try:
        event_close(event=event, actor=closing["trainer"])
        assert wait_until(lambda: len(smtp_server.messages) >= 3, timeout=60)
        _kill(worker)
        delivered_before = len(smtp_server.messages)
        assert delivered_before < 12, "the batch ended before the worker was killed"
        # Another worker, and no sweep: it gets the dead worker's batch back from the broker.
        smtp_server.delay = 0
        worker = _worker_process(smtp_server, redis_url, visibility_timeout=5)
        everyone = set(Certificate.objects.values_list("enrollment__user__email", flat=True))
        assert wait_until(lambda: {m["To"] for m in smtp_server.messages} >= everyone, timeout=90)
        time.sleep(1)  # time for a wrongful second email to show
    finally:
        _kill(worker)
    received = [m["To"] for m in smtp_server.messages]
    duplicates = len(received) - len(set(received))
    print(f"worker killed after {delivered_before} of 12 emails; all 12 delivered; duplicates: {duplicates}")
    assert Certificate.objects.count() == 12
    assert len(set(received)) == 12
    # Only the email in flight when the worker died may arrive twice: the server accepted it, but the worker died
    # before recording it as sent, so the batch given back sends it again.
    assert duplicates <= 1
