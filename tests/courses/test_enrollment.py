import base64
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, EnrollmentLog, Event
from courses.services import enrollment_reminders_send
from lms.models import Audience, OutgoingEmail
from lms.roles import Role
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the outbox hand-over) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def enroll(client, user, event):
    client.force_login(user)
    return client.post(reverse("courses:enroll", args=[event.pk]), follow=True)


def decide(client, user, enrollment, action, note=""):
    client.force_login(user)
    data = {"note": note, "confirm": "1"}  # a cancel is confirmed at once
    return client.post(reverse("courses:decide", args=[enrollment.pk, action]), data, follow=True)


def status_of(user, event):
    return Enrollment.objects.get(user=user, event=event).status


def test_an_official_enrolls_and_gets_a_confirmation_with_the_event_ics(client, commit):
    event = EventFactory(
        capacity=2, course=CourseFactory(title_en="Victim protection", title_ro="Protecția victimelor")
    )
    judge = UserFactory(preferred_language="ro")
    with commit():
        response = enroll(client, judge, event)
    # The confirmation is in the language the page is shown in.
    assert "locul dumneavoastră este confirmat" in response.content.decode()
    assert status_of(judge, event) == Status.CONFIRMED
    [email] = mail.outbox
    assert email.to == [judge.email]
    assert "Protecția victimelor" in email.subject  # in the participant's language
    filename, content, mimetype = email.attachments[0]
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    [vevent] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == "Protecția victimelor"
    assert "text/html" in [alternative[1] for alternative in email.alternatives]


def test_a_full_event_puts_people_on_the_waiting_list_in_order(client):
    event = EventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for user in (first, second, third):
        enroll(client, user, event)
    assert [status_of(u, event) for u in (first, second, third)] == [Status.CONFIRMED, Status.WAITLISTED,
                                                                    Status.WAITLISTED]  # fmt: skip
    # The first to cancel frees the seat for the first waiting, who is told.
    response = decide(client, first, Enrollment.objects.get(user=first, event=event), "cancel")
    assert "The enrollment was cancelled." in response.content.decode()
    assert [status_of(u, event) for u in (first, second, third)] == [Status.CANCELLED, Status.CONFIRMED,
                                                                    Status.WAITLISTED]  # fmt: skip
    promoted = Enrollment.objects.get(user=second, event=event)
    assert promoted.log.last().action == EnrollmentLog.Action.PROMOTED
    assert OutgoingEmail.objects.filter(to=second.email, subject__startswith="A seat is now yours").exists()


@pytest.mark.parametrize(
    ("make_event", "profession", "message"),
    [
        (lambda: EventFactory(course=CourseFactory(audiences=[Audience.JUDGE])), Audience.POLICE_OFFICER,
         "This course is for: Judge. Your profile says: Police officer."),
        (lambda: EventFactory(course=CourseFactory(audiences=[Audience.JUDGE])), "",
         "Add your profession to your profile to enroll."),
        (lambda: EventFactory(enrollment_closes_at=timezone.now() - timedelta(hours=1)), Audience.JUDGE,
         "Enrollment closed on"),
        (lambda: EventFactory(enrollment_opens_at=timezone.now() + timedelta(days=3)), Audience.JUDGE,
         "Enrollment opens on"),
        (lambda: EventFactory(status=Event.Status.CANCELLED), Audience.JUDGE, "This event is not open for enrollment."),
        (lambda: EventFactory(start_date=timezone.localdate() - timedelta(days=5), status=Event.Status.COMPLETED,
                              enrollment_closes_at=timezone.now() - timedelta(days=6)), Audience.JUDGE,
         "This event is not open for enrollment."),
    ],
)  # fmt: skip
def test_who_may_not_enroll_is_told_why_and_nothing_changes(client, make_event, profession, message):
    event = make_event()
    user = UserFactory(profession=profession)
    response = enroll(client, user, event)
    assert message in response.content.decode()
    assert not Enrollment.objects.exists()


def test_draft_events_cannot_be_enrolled_in(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert enroll(client, UserFactory(), event).status_code == 404
    assert not Enrollment.objects.exists()


def test_a_double_submission_enrolls_once_and_says_so(client):
    event = EventFactory()
    user = UserFactory()
    enroll(client, user, event)
    response = enroll(client, user, event)
    assert "is already enrolled in this event (Confirmed)" in response.content.decode()
    assert Enrollment.objects.count() == 1
    assert event.enrollments.get().log.count() == 2  # requested, confirmed


def test_someone_who_cancelled_may_enroll_again(client):
    event = EventFactory()
    user = UserFactory()
    enroll(client, user, event)
    decide(client, user, event.enrollments.get(), "cancel")
    enroll(client, user, event)
    assert status_of(user, event) == Status.CONFIRMED


@pytest.fixture
def approval():
    """An event needing approval, a police institution with its focal point, a trainer."""
    police = InstitutionFactory(name="General Police Inspectorate")
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(requires_approval=True, capacity=1, trainers=[trainer],
                         course=CourseFactory(audiences=[Audience.POLICE_OFFICER]))  # fmt: skip
    return {
        "event": event,
        "trainer": trainer,
        "focal": UserFactory(role=Role.FOCAL_POINT, institution=police, profession=Audience.POLICE_OFFICER),
        "officer": UserFactory(institution=police, profession=Audience.POLICE_OFFICER),
        "other_focal": UserFactory(role=Role.FOCAL_POINT, institution=InstitutionFactory()),
    }


def test_a_request_is_endorsed_by_the_focal_point_then_approved_by_a_trainer(client, approval):
    event, officer = approval["event"], approval["officer"]
    response = enroll(client, officer, event)
    assert "Your request was sent." in response.content.decode()
    enrollment = event.enrollments.get()
    assert (enrollment.status, enrollment.awaits_endorsement) == (Status.REQUESTED, True)
    # The trainer must wait for the endorsement.
    response = decide(client, approval["trainer"], enrollment, "approve")
    assert "has not endorsed it yet" in response.content.decode()
    # Another institution's focal point may not endorse it.
    assert decide(client, approval["other_focal"], enrollment, "endorse").status_code == 403
    # The right one sees it in their list and endorses it.
    client.force_login(approval["focal"])
    assert officer.get_full_name() in client.get(reverse("courses:endorsements")).content.decode()
    decide(client, approval["focal"], enrollment, "endorse", note="Works on trafficking cases")
    decide(client, approval["trainer"], enrollment, "approve", note="Welcome")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.CONFIRMED
    steps = [(step.action, step.actor, step.note) for step in enrollment.log.all()]
    assert steps == [
        ("requested", officer, ""),
        ("endorsed", approval["focal"], "Works on trafficking cases"),
        ("approved", approval["trainer"], "Welcome"),
        ("confirmed", approval["trainer"], ""),
    ]
    subjects = list(OutgoingEmail.objects.filter(to=officer.email).order_by("pk").values_list("subject", flat=True))
    assert [s.split(":")[0] for s in subjects] == ["Request received", "Your request was endorsed",
                                                   "Your seat is confirmed"]  # fmt: skip


def test_without_a_focal_point_the_request_goes_straight_to_the_organisers(client, approval):
    loner = UserFactory(institution=InstitutionFactory(), profession=Audience.POLICE_OFFICER)
    enroll(client, loner, approval["event"])
    enrollment = approval["event"].enrollments.get()
    assert not enrollment.awaits_endorsement
    decide(client, approval["trainer"], enrollment, "approve")
    assert status_of(loner, approval["event"]) == Status.CONFIRMED


def test_a_declined_request_is_told_with_the_note(client, approval):
    enroll(client, approval["officer"], approval["event"])
    enrollment = approval["event"].enrollments.get()
    decide(client, approval["focal"], enrollment, "endorse-decline", note="Not this year")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.DECLINED
    email = OutgoingEmail.objects.filter(to=approval["officer"].email).latest("pk")
    assert "Not this year" in email.body_text and "Not this year" in email.body_html


def test_a_stale_page_changes_nothing_and_says_why(client, approval):
    loner = UserFactory(institution=InstitutionFactory(), profession=Audience.POLICE_OFFICER)
    enroll(client, loner, approval["event"])
    enrollment = approval["event"].enrollments.get()
    decide(client, approval["trainer"], enrollment, "approve")
    response = decide(client, approval["trainer"], enrollment, "decline")
    assert "This enrollment is now “Confirmed”; nothing was changed." in response.content.decode()
    assert status_of(loner, approval["event"]) == Status.CONFIRMED


def test_forged_decisions_are_refused(client, approval):
    officer = approval["officer"]
    enroll(client, officer, approval["event"])
    enrollment = approval["event"].enrollments.get()
    assert decide(client, officer, enrollment, "approve").status_code == 403
    assert decide(client, officer, enrollment, "endorse").status_code == 403
    assert decide(client, UserFactory(role=Role.TRAINER), enrollment, "approve").status_code == 403
    assert decide(client, UserFactory(), enrollment, "cancel").status_code == 403
    assert decide(client, approval["trainer"], enrollment, "delete-everything").status_code == 404
    client.force_login(approval["trainer"])
    assert client.post(reverse("courses:decide", args=[999999, "approve"])).status_code == 404
    assert client.get(reverse("courses:decide", args=[enrollment.pk, "approve"])).status_code == 405
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.awaits_endorsement) == (Status.REQUESTED, True)


def test_participants_cancel_until_the_event_starts_administrators_after(client):
    event = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate() + timedelta(days=1),
                         enrollment_closes_at=timezone.now() - timedelta(days=2))  # fmt: skip
    event.day_starts_at = (timezone.localtime() - timedelta(hours=1)).time()
    event.save()
    enrollment = EnrollmentFactory(event=event)
    response = decide(client, enrollment.user, enrollment, "cancel")
    assert "The event has started" in response.content.decode()
    assert status_of(enrollment.user, event) == Status.CONFIRMED
    decide(client, UserFactory(role=Role.ADMINISTRATOR), enrollment, "cancel")
    assert status_of(enrollment.user, event) == Status.CANCELLED


def test_manual_promotion_needs_a_free_seat_and_more_seats_promote_the_first_waiting(client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    event = EventFactory(capacity=1)
    EnrollmentFactory(event=event)
    now = timezone.now()
    waiting = [
        EnrollmentFactory(event=event, status=Status.WAITLISTED, waitlisted_at=now + timedelta(seconds=n))
        for n in range(2)
    ]
    response = decide(client, admin, waiting[1], "promote")
    assert "No seat is free" in response.content.decode()
    client.post(reverse("admin:courses_event_change", args=[event.pk]), admin_event_data(event, capacity=2))
    assert [status_of(e.user, event) for e in waiting] == [Status.CONFIRMED, Status.WAITLISTED]


def admin_event_data(event, **overrides):
    data = {
        "course": event.course_id, "programme": event.programme_id, "title_en": "", "title_ro": "", "title_ru": "",
        "description_en": "", "description_ro": "", "description_ru": "",
        "start_date": event.start_date.isoformat(), "end_date": event.end_date.isoformat(),
        "day_starts_at": "09:00", "day_ends_at": "17:00", "time_zone": event.time_zone, "city_en": event.city_en,
        "format": event.format, "working_language": event.working_language, "capacity": event.capacity,
        "enrollment_opens_at_0": "", "enrollment_opens_at_1": "",
        "enrollment_closes_at_0": timezone.localtime(event.enrollment_closes_at).date().isoformat(),
        "enrollment_closes_at_1": timezone.localtime(event.enrollment_closes_at).strftime("%H:%M:%S"),
        "status": event.status,
        "agenda_items-TOTAL_FORMS": "0", "agenda_items-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_cancelling_an_event_cancels_and_tells_everyone_enrolled(client):
    event = EventFactory()
    enrollments = EnrollmentFactory.create_batch(2, event=event) + [EnrollmentFactory(event=event, status="waitlisted")]
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post(reverse("admin:courses_event_changelist"), {"action": "cancel", "_selected_action": [event.pk]})
    assert set(event.enrollments.values_list("status", flat=True)) == {Status.CANCELLED}
    assert OutgoingEmail.objects.filter(subject__startswith="Event cancelled").count() == len(enrollments)


def test_administrators_nominate_by_pasting_addresses_and_see_what_was_refused(client):
    event = EventFactory(capacity=1, course=CourseFactory(audiences=[Audience.JUDGE]))
    first, second = UserFactory(email="ana@example.test"), UserFactory(email="ion@example.test")
    UserFactory(email="officer@example.test", profession=Audience.POLICE_OFFICER)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(
        reverse("courses:nominate", args=[event.pk]),
        {"emails": "Ana@Example.test, ion@example.test\nnobody@example.test; officer@example.test ana@example.test"},
        follow=True,
    )
    page = response.content.decode()
    assert f"Nominated: {first.get_full_name()}, {second.get_full_name()}." in page
    assert "nobody@example.test: nobody has an account with this address." in page
    assert "officer@example.test: This course is for: Judge." in page
    assert (status_of(first, event), status_of(second, event)) == (Status.CONFIRMED, Status.WAITLISTED)
    assert Enrollment.objects.get(user=first).nominated_by is not None


def test_only_administrators_nominate(client):
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer])
    client.force_login(trainer)
    assert client.post(reverse("courses:nominate", args=[event.pk]), {"emails": "a@b.test"}).status_code == 403


def test_my_trainings_lists_upcoming_and_past_with_statuses(client):
    user = UserFactory()
    upcoming = EnrollmentFactory(user=user, event=EventFactory(course=CourseFactory(title_en="Upcoming course")))
    past = EventFactory(
        course=CourseFactory(title_en="Past course"),
        start_date=timezone.localdate() - timedelta(days=30),
        status=Event.Status.COMPLETED,
    )
    EnrollmentFactory(user=user, status=Status.WAITLISTED, event=past)
    EnrollmentFactory(event=EventFactory(course=CourseFactory(title_en="Someone else's")))
    client.force_login(user)
    response = client.get(reverse("courses:my_trainings"))
    page = response.content.decode()
    assert [e.event.display_title for e in response.context["upcoming"]] == ["Upcoming course"]
    assert [e.event.display_title for e in response.context["past"]] == ["Past course"]
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert reverse("courses:decide", args=[upcoming.pk, "cancel"]) in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_run_the_same_number_of_queries_at_1_and_many_rows(client):
    user, trainer = UserFactory(), UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer], capacity=100)
    EnrollmentFactory(user=user, event=event)
    client.force_login(user)
    mine_one = count_queries(client, reverse("courses:my_trainings"))
    client.force_login(trainer)
    list_one = count_queries(client, reverse("courses:participants", args=[event.pk]))
    for _ in range(30):
        EnrollmentFactory(user=user)
        EnrollmentFactory(event=event, user=UserFactory(institution=InstitutionFactory()))
    client.force_login(user)
    assert count_queries(client, reverse("courses:my_trainings")) == mine_one
    client.force_login(trainer)
    assert count_queries(client, reverse("courses:participants", args=[event.pk])) == list_one


def test_participant_list_filters_and_csv_export(client):
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer], capacity=1)
    court = InstitutionFactory(name="Chișinău District Court")
    EnrollmentFactory(event=event, user=UserFactory(given_name="Ștefan", family_name="Bîrsan", institution=court))
    EnrollmentFactory(event=event, status=Status.WAITLISTED,
                      user=UserFactory(given_name="=HYPERLINK(\"x\")", family_name="Evil"))  # fmt: skip
    client.force_login(trainer)
    url = reverse("courses:participants", args=[event.pk])
    assert [e.user.family_name for e in client.get(url, {"status": "waitlisted"}).context["page"]] == ["Evil"]
    assert [e.user.family_name for e in client.get(url, {"institution": court.pk}).context["page"]] == ["Bîrsan"]
    assert [e.user.family_name for e in client.get(url, {"q": "bîrsan"}).context["page"]] == ["Bîrsan"]
    response = client.get(reverse("courses:participants_csv", args=[event.pk]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Bîrsan,Ștefan" in text
    assert "'=HYPERLINK" in text  # neutralised, not a formula


@pytest.mark.parametrize("who", ["participant", "other_trainer", "focal"])
def test_participant_lists_are_only_for_the_events_trainers_and_administrators(client, who):
    event = EventFactory()
    users = {"participant": UserFactory(), "other_trainer": UserFactory(role=Role.TRAINER),
             "focal": UserFactory(role=Role.FOCAL_POINT)}  # fmt: skip
    client.force_login(users[who])
    assert client.get(reverse("courses:participants", args=[event.pk])).status_code == 403
    assert client.get(reverse("courses:participants_csv", args=[event.pk])).status_code == 403


def test_focal_points_see_only_their_institution_and_others_are_refused(client, approval):
    enroll(client, approval["officer"], approval["event"])
    client.force_login(approval["other_focal"])
    response = client.get(reverse("courses:endorsements"))
    assert approval["officer"].get_full_name() not in response.content.decode()
    client.force_login(approval["officer"])
    assert client.get(reverse("courses:endorsements")).status_code == 403


def test_reminders_go_the_day_before_once(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    event = EventFactory(
        start_date=tomorrow, end_date=tomorrow, enrollment_closes_at=timezone.now() - timedelta(hours=1)
    )
    confirmed = EnrollmentFactory(event=event)
    EnrollmentFactory(event=event, status=Status.WAITLISTED)
    EnrollmentFactory(event=EventFactory())
    assert enrollment_reminders_send() == 1
    assert enrollment_reminders_send() == 0
    reminder = OutgoingEmail.objects.get(subject__startswith="Tomorrow")
    assert reminder.to == confirmed.user.email
    assert reminder.attachments[0]["filename"] == "event.ics"
    assert icalendar.Calendar.from_ical(base64.b64decode(reminder.attachments[0]["content"]))
