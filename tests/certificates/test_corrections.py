"""An administrator's attendance correction after closing: certificates follow the new completion."""

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate
from courses.models import Attendance, Course
from courses.services import event_close
from lms.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(closing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    return closing


def correct(client, closed, enrollment, status, capture):
    """An administrator saves the grid with `enrollment` marked `status` on every day."""
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    event = closed["event"]
    fields = {f"a-{enrollment.pk}-{day.isoformat()}": status for day in event.days}
    with capture(execute=True):
        response = client.post(reverse("courses:attendance", args=[event.pk]), fields, follow=True)
    assert "Attendance saved" in response.content.decode()
    return admin


def test_a_correction_issues_and_sends_the_certificate_of_someone_who_now_completed(
    client, closed, django_capture_on_commit_callbacks
):
    absent = closed["enrollments"][4]
    assert not Certificate.objects.filter(enrollment=absent).exists()
    sent_before = len(mail.outbox)
    correct(client, closed, absent, Attendance.Status.PRESENT, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(enrollment=absent)
    assert (certificate.printed_name, certificate.state, certificate.attendance_rate) == ("Ion Rusu", "sent", 100)
    assert [message.to for message in mail.outbox[sent_before:]] == [["p4@example.test"]]


def test_a_correction_revokes_the_certificate_of_someone_who_no_longer_completed(
    client, closed, django_capture_on_commit_callbacks
):
    enrollment = closed["enrollments"][0]
    certificate = Certificate.objects.get(enrollment=enrollment)
    sent_before = len(mail.outbox)
    admin = correct(client, closed, enrollment, Attendance.Status.ABSENT, django_capture_on_commit_callbacks)
    certificate.refresh_from_db()
    assert (certificate.state, certificate.revoked_by, certificate.revocation_reason) == (
        "revoked",
        admin,
        "Attendance corrected",
    )
    assert "Revoked since" in client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert len(mail.outbox) == sent_before
    # The others keep theirs.
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 3


def test_a_correction_that_changes_nobodys_completion_changes_no_certificate(
    client, closed, django_capture_on_commit_callbacks
):
    before = list(Certificate.objects.values_list("pk", "revoked_at").order_by("pk"))
    correct(client, closed, closed["enrollments"][1], Attendance.Status.LATE, django_capture_on_commit_callbacks)
    assert list(Certificate.objects.values_list("pk", "revoked_at").order_by("pk")) == before


def test_a_correction_issues_nothing_when_the_course_gives_no_certificate(
    client, closing, django_capture_on_commit_callbacks
):
    course = closing["event"].course
    course.certificate_kind = Course.CertificateKind.NONE
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    correct(client, closing, closing["enrollments"][4], Attendance.Status.PRESENT, django_capture_on_commit_callbacks)
    closing["enrollments"][4].refresh_from_db()
    assert closing["enrollments"][4].completed is True
    assert not Certificate.objects.exists()
    assert mail.outbox == []
