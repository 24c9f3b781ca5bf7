"""The dashboard says what each role has to do next, and links to where to do it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue
from courses.models import AnnualTarget, Attendance, Enrollment, Event
from lms.models import Audience, OutgoingEmail, ProfileChangeRequest
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def titled(title, **fields):
    return EventFactory(course=CourseFactory(title_en=title), **fields)


def days_ago(start, end, **fields):
    today = timezone.localdate()
    return {
        "start_date": today - timedelta(days=start),
        "end_date": today - timedelta(days=end),
        "enrollment_closes_at": timezone.now() - timedelta(days=start + 1),
        **fields,
    }


def test_a_signed_in_visitor_of_the_home_lands_on_the_dashboard(client):
    assert "sign" in client.get(reverse("home")).content.decode().lower()
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert (response.status_code, response.url) == (302, reverse("dashboard"))


def test_a_participant_sees_next_trainings_and_today_s_check_in(client):
    participant = UserFactory()
    EnrollmentFactory(user=participant, event=titled("Victim protection"))
    EnrollmentFactory(user=participant, event=titled("Running today", **days_ago(1, -1)))
    EnrollmentFactory(user=participant, event=titled("Cancelled by me"), status=Enrollment.Status.CANCELLED)
    page = dashboard(client, participant)
    assert "Victim protection" in page and "Running today" in page
    assert "Cancelled by me" not in page
    assert "Check in today" in page and reverse("courses:check_in") in page


def test_no_check_in_is_offered_when_nothing_runs_today(client):
    participant = UserFactory()
    EnrollmentFactory(user=participant, event=titled("Victim protection"))
    page = dashboard(client, participant)
    assert "Check in today" not in page
    assert "No certificate in the last 30 days." in page


def test_a_participant_sees_new_certificates_and_hours_against_the_yearly_target(client):
    participant, administrator = UserFactory(profession=Audience.JUDGE), UserFactory(role=Role.ADMINISTRATOR)
    AnnualTarget.objects.create(profession=Audience.JUDGE, total_hours=40)
    event = titled("Gender equality", **days_ago(3, 2, status=Event.Status.COMPLETED))
    enrollment = EnrollmentFactory(user=participant, event=event, credit_hours=Decimal("12.5"), completed=True)
    certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
    page = dashboard(client, participant)
    assert "Gender equality" in page
    assert "12.50 of 40 hours a year" in page


def test_a_trainer_sees_today_s_code_empty_agendas_unmarked_days_and_events_to_close(client):
    trainer = UserFactory(role=Role.TRAINER)
    today_event = titled("Today's training", trainers=[trainer], **days_ago(0, -1))
    AgendaItemFactory(event=today_event)
    empty = titled("No agenda yet", trainers=[trainer])
    unmarked = titled("Nobody marked", trainers=[trainer], **days_ago(2, 1))
    AgendaItemFactory(event=unmarked)
    EnrollmentFactory(event=unmarked)
    marked = titled("All marked", trainers=[trainer], **days_ago(2, 1))
    AgendaItemFactory(event=marked)
    enrollment = EnrollmentFactory(event=marked)
    for day in marked.days:
        Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
    titled("Someone else's", **days_ago(2, 1))
    page = dashboard(client, trainer)
    assert reverse("courses:check_in_code", args=[today_event.pk]) in page
    assert reverse("courses:agenda", args=[empty.pk]) in page
    assert reverse("courses:agenda", args=[today_event.pk]) not in page
    section = page.split('id="unmarked-heading"')[1].split("</section>")[0]
    assert "Nobody marked" in section and "All marked" not in section
    to_close = page.split('id="trainer-close-heading"')[1].split("</section>")[0]
    assert reverse("courses:event_close", args=[unmarked.pk]) in to_close
    assert reverse("courses:event_close", args=[marked.pk]) in to_close
    assert "Someone else" not in page


def test_a_trainer_with_nothing_to_do_is_told_so(client):
    page = dashboard(client, UserFactory(role=Role.TRAINER))
    assert "None of your events runs today." in page
    assert "No event waits to be closed." in page


def test_a_participant_sees_no_trainer_or_administrator_block(client):
    page = dashboard(client, UserFactory())
    assert "I train today" not in page and "Approvals waiting" not in page and "Focal point" not in page


def test_a_focal_point_sees_endorsements_waiting_on_the_dashboard_and_in_the_header(client):
    institution = InstitutionFactory()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    for _ in range(2):
        EnrollmentFactory(user=UserFactory(institution=institution), status=Enrollment.Status.REQUESTED,
                          awaits_endorsement=True)  # fmt: skip
    EnrollmentFactory(status=Enrollment.Status.REQUESTED, awaits_endorsement=True)  # another institution
    page = dashboard(client, focal_point)
    assert "2 requests wait for your endorsement." in page
    assert reverse("colleagues") in page
    header = client.get(reverse("courses:catalog")).content.decode().split("</header>")[0]
    assert reverse("courses:endorsements") in header and "(2 waiting)" in header


def test_only_focal_points_see_the_count_in_the_header(client):
    client.force_login(UserFactory())
    header = client.get(reverse("courses:catalog")).content.decode().split("</header>")[0]
    assert reverse("courses:endorsements") not in header


def test_a_focal_point_sees_which_colleagues_enrolled_attended_and_completed(client):
    institution = InstitutionFactory()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    closed = titled("Trafficking prevention", **days_ago(3, 2, status=Event.Status.COMPLETED))
    done = EnrollmentFactory(event=closed, user=UserFactory(institution=institution, family_name="Ceban"),
                             attended_days=2, scheduled_days=2, completed=True)  # fmt: skip
    certificate_issue(enrollment=done, actor=administrator, reason="Attended every day.")
    EnrollmentFactory(event=closed, user=UserFactory(institution=institution, family_name="Lungu"),
                      attended_days=1, scheduled_days=2, completed=False)  # fmt: skip
    EnrollmentFactory(event=closed, user=UserFactory(family_name="Stranger"))
    running = titled("Running now", **days_ago(1, -1))
    marked = EnrollmentFactory(event=running, user=UserFactory(institution=institution, family_name="Moraru"))
    Attendance.objects.create(enrollment=marked, date=running.start_date, status=Attendance.Status.PRESENT)
    coming = titled("Domestic violence")
    EnrollmentFactory(event=coming, user=UserFactory(institution=institution, family_name="Rotari"),
                      status=Enrollment.Status.WAITLISTED)  # fmt: skip
    client.force_login(focal_point)
    page = client.get(reverse("colleagues")).content.decode()
    assert "Trafficking prevention" in page and "Domestic violence" in page
    assert "Ceban" in page and "Lungu" in page and "Rotari" in page
    assert "Stranger" not in page
    ceban = page.split("Ceban")[1].split("</tr>")[0]
    assert "2 of 2" in ceban and "Yes" in ceban and "issued on" in ceban
    lungu = page.split("Lungu")[1].split("</tr>")[0]
    assert "1 of 2" in lungu and "No" in lungu
    assert "1 of 3" in page.split("Moraru")[1].split("</tr>")[0]  # marked so far, before closing
    assert "Waitlisted" in page.split("Rotari")[1].split("</tr>")[0]


def test_the_colleagues_page_is_for_focal_points(client):
    client.force_login(UserFactory(role=Role.TRAINER))
    assert client.get(reverse("colleagues")).status_code == 403


def test_an_administrator_sees_approvals_events_to_close_failed_emails_and_long_waiting_lists(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    requested = titled("Migration policy")
    EnrollmentFactory(event=requested, status=Enrollment.Status.REQUESTED)
    ProfileChangeRequest.objects.create(user=UserFactory(), institution=InstitutionFactory(),
                                        profession=Audience.PROSECUTOR)  # fmt: skip
    ended = titled("Ended last week", **days_ago(8, 7))
    OutgoingEmail.objects.create(to="a@example.test", subject="x", body_text="x", status=OutgoingEmail.Status.FAILED)
    OutgoingEmail.objects.create(to="b@example.test", subject="x", body_text="x", status=OutgoingEmail.Status.SENT)
    long_list, short_list = titled("Popular"), titled("Almost popular")
    for event, waiting in ((long_list, 5), (short_list, 4)):
        for _ in range(waiting):
            EnrollmentFactory(event=event, status=Enrollment.Status.WAITLISTED)
    page = dashboard(client, administrator)
    assert reverse("courses:participants", args=[requested.pk]) + "?status=requested" in page
    assert "1 profile change to decide." in page
    assert reverse("courses:event_close", args=[ended.pk]) in page
    assert "1 email could not be sent." in page and reverse("admin:lms_outgoingemail_changelist") in page
    waiting = page.split('id="waitlists-heading"')[1].split("</section>")[0]
    assert "Popular" in waiting and "5 waiting" in waiting and "Almost popular" not in waiting


def test_an_administrator_with_nothing_waiting_is_told_so(client):
    page = dashboard(client, UserFactory(role=Role.ADMINISTRATOR))
    assert "No enrollment request waits." in page
    assert "Every email was sent or is on its way." in page
    assert "No event has a long waiting list." in page
