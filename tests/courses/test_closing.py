"""Closing an event: who may close it and when, the confirmation page, and what closing records."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue
from courses.models import Attendance, Course, Enrollment, Event
from courses.services import event_close
from lms.roles import Role
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db
P = Attendance.Status.PRESENT


def two_day_event(first_day, **fields):
    """A published two-day event from `first_day`, with its trainer and three confirmed participants."""
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=first_day, end_date=first_day + timedelta(days=1), trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=5), **fields)  # fmt: skip
    return event, trainer, EnrollmentFactory.create_batch(3, event=event)


@pytest.fixture
def first_day():
    """A two-day event on its first day."""
    return two_day_event(timezone.localdate())


@pytest.fixture
def ended():
    """A two-day event whose last day was yesterday."""
    return two_day_event(timezone.localdate() - timedelta(days=2))


def close_url(event):
    return reverse("courses:event_close", args=[event.pk])


def test_a_trainer_cannot_close_a_two_day_event_on_its_first_day(client, first_day):
    event, trainer, _enrollments = first_day
    client.force_login(trainer)
    assert client.get(close_url(event)).status_code == 403
    assert client.post(close_url(event), {"reason": "Done early"}).status_code == 403
    with pytest.raises(ValidationError, match="only an administrator can close this event"):
        event_close(event=event, actor=trainer, reason="Done early")
    event.refresh_from_db()
    assert (event.status, event.closed_at) == (Event.Status.PUBLISHED, None)
    assert "Close the event" not in client.get(reverse("courses:attendance", args=[event.pk])).content.decode()


def test_an_administrator_closes_early_only_with_a_reason_which_is_recorded(client, first_day):
    event, _trainer, _enrollments = first_day
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(close_url(event)).content.decode()
    assert "Reason for closing before the last day has ended" in page and "required" in page
    response = client.post(close_url(event), {"reason": "   "}, follow=True)
    assert "Say why the event is closed before its last day has ended." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    response = client.post(close_url(event), {"reason": "The second day was cancelled by the venue."}, follow=True)
    assert "The event is closed" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.COMPLETED
    assert (event.closed_by, event.closing_reason) == (admin, "The second day was cancelled by the venue.")
    assert timezone.now() - event.closed_at < timedelta(minutes=1)


def test_once_the_last_day_has_ended_the_trainer_closes_without_a_reason(client, ended):
    event, trainer, (first, second, _third) = ended
    for day in event.days:
        Attendance.objects.create(enrollment=first, date=day, status=P)
    Attendance.objects.create(enrollment=second, date=event.start_date, status=P)
    client.force_login(trainer)
    grid = client.get(reverse("courses:attendance", args=[event.pk])).content.decode()
    assert f'href="{close_url(event)}"' in grid  # the grid links to the confirmation page
    assert client.get(close_url(event)).status_code == 200
    response = client.post(close_url(event), follow=True)
    assert "The event is closed; completion is recorded." in response.content.decode()
    event.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert (event.status, event.closed_by, event.closing_reason) == (Event.Status.COMPLETED, trainer, "")
    assert (first.completed, second.completed) == (True, False)
    # Closed: the page says so instead of offering to close again.
    assert client.get(close_url(event)).status_code == 403


def test_the_last_day_ends_at_midnight_in_the_events_time_zone():
    # Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11).
    pago_pago_today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    for time_zone, may_close in [("Pacific/Kiritimati", True), ("Pacific/Pago_Pago", False)]:
        event, trainer, _enrollments = two_day_event(pago_pago_today - timedelta(days=1), time_zone=time_zone)
        if may_close:
            assert event_close(event=event, actor=trainer).status == Event.Status.COMPLETED
        else:
            with pytest.raises(ValidationError, match="only an administrator"):
                event_close(event=event, actor=trainer)


def test_only_the_events_trainers_and_administrators_close_it(client, ended):
    event, _trainer, (participant, *_others) = ended
    for user in (participant.user, UserFactory(role=Role.TRAINER)):
        client.force_login(user)
        assert client.get(close_url(event)).status_code == 403
        assert client.post(close_url(event)).status_code == 403
        with pytest.raises(ValidationError, match="Only the event's trainers and administrators"):
            event_close(event=event, actor=user)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_the_confirmation_page_counts_participants_completions_and_certificates_to_send(client, ended, settings,
                                                                                        tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    event, trainer, (first, second, third) = ended
    EnrollmentFactory(event=event, status=Enrollment.Status.WAITLISTED)  # not a participant
    for enrollment in (first, second):
        for day in event.days:
            Attendance.objects.create(enrollment=enrollment, date=day, status=P)
    Attendance.objects.create(enrollment=third, date=event.start_date, status=P)  # 50%: not complete
    # The first already holds a certificate (issued by hand): it is not sent again.
    certificate_issue(enrollment=first, actor=UserFactory(role=Role.ADMINISTRATOR), reason="Left early, by hand")
    client.force_login(trainer)
    response = client.get(close_url(event))
    summary = response.context["summary"]
    assert (summary.confirmed, summary.completed, summary.certificates) == (3, 2, 1)
    page = response.content.decode()
    assert "3 confirmed participants" in page and "2 completed" in page and "1 certificate will be sent" in page
    assert "Reason for closing before the last day has ended" not in page
    Course.objects.filter(pk=event.course_id).update(certificate_kind=Course.CertificateKind.NONE)
    assert client.get(close_url(event)).context["summary"].certificates == 0


def test_the_confirmation_page_reads_the_same_number_of_queries_at_3_and_40_participants(client, ended):
    event, trainer, enrollments = ended
    client.force_login(trainer)

    def attend(enrollments):
        for enrollment in enrollments:
            for day in event.days:
                Attendance.objects.create(enrollment=enrollment, date=day, status=P)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(close_url(event)).status_code == 200
        return len(queries)

    attend(enrollments)
    three = count()
    attend(EnrollmentFactory.create_batch(37, event=event))
    assert count() == three


def test_closing_a_cancelled_or_already_closed_event_is_refused(ended):
    event, trainer, _enrollments = ended
    admin = UserFactory(role=Role.ADMINISTRATOR)
    for status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        Event.objects.filter(pk=event.pk).update(status=status)
        with pytest.raises(ValidationError, match="Only a published event can be closed"):
            event_close(event=event, actor=admin, reason="Again")
    assert Event.objects.get(pk=event.pk).closed_at is None


def test_the_confirmation_page_says_when_the_course_gives_no_certificate(client):
    event, trainer, _enrollments = two_day_event(
        timezone.localdate() - timedelta(days=3), course=CourseFactory(certificate_kind=Course.CertificateKind.NONE)
    )
    client.force_login(trainer)
    assert "No certificate will be sent" in client.get(close_url(event)).content.decode()
