"""Seats under real concurrency, and the emails through a real worker and SMTP server."""

import threading

import icalendar
import pytest
from django.db import connection

from courses.models import Enrollment
from courses.services import enrollment_cancel, enrollment_request
from lms.models import OutgoingEmail
from tests.conftest import worker_db
from tests.factories import EventFactory, UserFactory
from tests.waiting import wait_until

pytestmark = [pytest.mark.services, worker_db]


def test_50_people_enrolling_at_once_in_10_seats_get_10_confirmed_and_40_waiting():
    event = EventFactory(capacity=10)
    users = UserFactory.create_batch(50)
    start = threading.Barrier(len(users))
    errors = []

    def enroll(user):
        try:
            start.wait()
            enrollment_request(user=user, event=event)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none may happen
            errors.append(repr(error))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=enroll, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(event.enrollments.values_list("status", flat=True))
    assert statuses.count(Enrollment.Status.CONFIRMED) == 10
    assert statuses.count(Enrollment.Status.WAITLISTED) == 40


def test_a_worker_delivers_the_confirmation_with_a_calendar_file_and_the_promotion(celery_worker, smtp_server):
    event = EventFactory(capacity=1)
    first, second = UserFactory(email="first@example.test"), UserFactory(email="second@example.test")
    enrollment = enrollment_request(user=first, event=event)
    enrollment_request(user=second, event=event)
    confirmation, waitlisted = sorted(smtp_server.wait_for(2), key=lambda message: message["To"])
    assert confirmation["Subject"].startswith("Your seat is confirmed")
    [attachment] = list(confirmation.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    [vevent] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert vevent.decoded("dtstart").date() == event.start_date
    assert waitlisted["Subject"].startswith("You are on the waiting list")

    enrollment_cancel(enrollment=enrollment, actor=first)
    messages = smtp_server.wait_for(4)
    subjects = {(m["To"], m["Subject"].split(":")[0]) for m in messages[2:]}
    assert subjects == {("first@example.test", "Enrollment cancelled"), ("second@example.test", "A seat is now yours")}
    assert wait_until(lambda: not OutgoingEmail.objects.exclude(status="sent").exists())
