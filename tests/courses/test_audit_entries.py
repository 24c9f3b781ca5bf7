"""The audit log accounts for decisions on other people's enrollments, attendance corrected after closing and the
participant list's CSV, each with the facts only (statuses, days, filters), never a note."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance, Enrollment
from courses.services import event_close
from lms.audit import Action
from lms.models import Audience
from lms.roles import Role
from tests.audit_entries import assert_no_free_text, entries, only_entry, rows
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status


def decide(client, user, enrollment, action, note=""):
    client.force_login(user)
    data = {"note": note, "confirm": "1"}
    return client.post(reverse("courses:decide", args=[enrollment.pk, action]), data, follow=True)


def decisions():
    return rows(Action.ENROLLMENT_DECIDED)


def decision(name, was, now):
    return {"decision": name, "from": was, "to": now}


@pytest.fixture
def approval():
    """A one-seat event needing approval, a police officer whose institution has a focal point, a trainer."""
    police = InstitutionFactory()
    trainer = UserFactory(role=Role.TRAINER)
    course = CourseFactory(title_en="Victim protection", audiences=[Audience.POLICE_OFFICER])
    event = EventFactory(requires_approval=True, capacity=1, trainers=[trainer], course=course)
    return {
        "event": event,
        "trainer": trainer,
        "focal": UserFactory(role=Role.FOCAL_POINT, institution=police, profession=Audience.POLICE_OFFICER),
        "officer": UserFactory(institution=police, profession=Audience.POLICE_OFFICER),
    }


def test_an_endorsement_and_an_approval_are_recorded_and_the_request_itself_is_not(client, approval):
    event, officer, focal, trainer = approval["event"], approval["officer"], approval["focal"], approval["trainer"]
    client.force_login(officer)
    client.post(reverse("courses:enroll", args=[event.pk]))
    assert decisions() == []
    enrollment = event.enrollments.get()
    decide(client, focal, enrollment, "endorse", note="Works on trafficking cases")
    decide(client, trainer, enrollment, "approve", note="Welcome")
    title = f"Victim protection ({event.start_date:%Y-%m-%d})"
    assert decisions() == [
        (focal, officer, title, decision("endorse", "requested", "requested")),
        (trainer, officer, title, decision("approve", "requested", "confirmed")),
    ]
    assert_no_free_text("Works on trafficking cases", "Welcome")


def test_an_approval_to_the_waiting_list_a_promotion_and_declines_are_recorded(client, approval):
    event, trainer = approval["event"], approval["trainer"]
    EnrollmentFactory(event=event)  # the only seat
    waiting = EnrollmentFactory(event=event, status=Status.REQUESTED)
    decide(client, trainer, waiting, "approve")
    declined = EnrollmentFactory(event=event, status=Status.REQUESTED, awaits_endorsement=True,
                                 user=approval["officer"])  # fmt: skip
    decide(client, approval["focal"], declined, "endorse-decline", note="Not this year")
    decide(client, trainer, waiting, "decline", note="Another time")
    assert [(actor, subject, details) for actor, subject, _target, details in decisions()] == [
        (trainer, waiting.user, decision("approve", "requested", "waitlisted")),
        (approval["focal"], approval["officer"], decision("endorse-decline", "requested", "declined")),
        (trainer, waiting.user, decision("decline", "waitlisted", "declined")),
    ]
    assert_no_free_text("Not this year", "Another time")


def test_a_promotion_ahead_of_turn_and_a_nomination_are_recorded(client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    event = EventFactory(capacity=2)
    waiting = EnrollmentFactory(event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now())
    decide(client, admin, waiting, "promote")
    nominee = UserFactory(email="ana@example.test")
    client.post(reverse("courses:nominate", args=[event.pk]), {"emails": "ana@example.test"})
    assert [(actor, subject, details) for actor, subject, _target, details in decisions()] == [
        (admin, waiting.user, decision("promote", "waitlisted", "confirmed")),
        (admin, nominee, decision("nominate", "requested", "confirmed")),
    ]


def test_staff_cancelling_is_recorded_a_participant_cancelling_their_own_is_not(client):
    event = EventFactory()
    own, other = EnrollmentFactory(event=event), EnrollmentFactory(event=event)
    decide(client, own.user, own, "cancel")
    admin = UserFactory(role=Role.ADMINISTRATOR)
    decide(client, admin, other, "cancel", note="Double booking")
    assert decisions() == [(admin, other.user, str(event), decision("cancel", "confirmed", "cancelled"))]
    assert_no_free_text("Double booking")


def test_refused_decisions_write_nothing(client, approval):
    event, trainer = approval["event"], approval["trainer"]
    waiting = EnrollmentFactory(event=event, status=Status.REQUESTED, awaits_endorsement=True,
                                user=approval["officer"])  # fmt: skip
    response = decide(client, trainer, waiting, "approve")
    assert "has not endorsed it yet" in response.content.decode()
    assert decide(client, UserFactory(role=Role.TRAINER), waiting, "decline").status_code == 403
    declined = EnrollmentFactory(event=event, status=Status.DECLINED)
    assert "nothing was changed" in decide(client, trainer, declined, "decline").content.decode()
    full = EnrollmentFactory(event=event, status=Status.WAITLISTED)
    EnrollmentFactory(event=event)
    assert "No seat is free" in decide(client, UserFactory(role=Role.ADMINISTRATOR), full, "promote").content.decode()
    assert decisions() == []


@pytest.fixture
def closed(client):
    """A two-day event that ended yesterday, closed, with two participants: Ana present both days, Ion absent."""
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=today - timedelta(days=2), end_date=today - timedelta(days=1), trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=3))  # fmt: skip
    ana = EnrollmentFactory(event=event, user=UserFactory(given_name="Ana"))
    ion = EnrollmentFactory(event=event, user=UserFactory(given_name="Ion"))
    for day in event.days:
        Attendance.objects.create(enrollment=ana, date=day, status=Attendance.Status.PRESENT)
    return {"event": event, "trainer": trainer, "ana": ana, "ion": ion}


def grid(client, user, event, marks, notes=None):
    client.force_login(user)
    fields = {f"a-{enrollment.pk}-{day.isoformat()}": status for (enrollment, day), status in marks.items()}
    fields |= {f"n-{enrollment.pk}-{day.isoformat()}": note for (enrollment, day), note in (notes or {}).items()}
    return client.post(reverse("courses:attendance", args=[event.pk]), fields, follow=True).content.decode()


def test_marking_attendance_before_closing_is_no_correction(client, closed):
    event, ion = closed["event"], closed["ion"]
    assert "Attendance saved" in grid(client, closed["trainer"], event, {(ion, event.start_date): "present"})
    assert entries(Action.ATTENDANCE_CORRECTED) == []


def test_an_administrators_correction_after_closing_is_recorded_day_by_day(client, closed):
    event, ana, ion = closed["event"], closed["ana"], closed["ion"]
    first, second = event.days
    event_close(event=event, actor=closed["trainer"])
    admin = UserFactory(role=Role.ADMINISTRATOR)
    marks = {(ana, first): "present", (ana, second): "absent", (ion, first): "late", (ion, second): ""}
    page = grid(client, admin, event, marks, notes={(ana, first): "Came with a doctor's note"})
    assert "Attendance saved" in page
    assert rows(Action.ATTENDANCE_CORRECTED) == [
        (admin, ana.user, str(event), {"day": second.isoformat(), "from": "present", "to": "absent"}),
        (admin, ion.user, str(event), {"day": first.isoformat(), "from": None, "to": "late"}),
    ]
    assert_no_free_text("Came with a doctor's note")


def test_a_refused_correction_writes_nothing(client, closed):
    event, ana = closed["event"], closed["ana"]
    event_close(event=event, actor=closed["trainer"])
    page = grid(client, UserFactory(role=Role.ADMINISTRATOR), event, {(ana, event.start_date): "asleep"})
    assert "is not an attendance status" in page
    client.force_login(closed["trainer"])  # a closed event's attendance is the administrators' now
    url = reverse("courses:attendance", args=[event.pk])
    assert client.post(url, {f"a-{ana.pk}-{event.start_date.isoformat()}": "absent"}).status_code == 403
    assert entries(Action.ATTENDANCE_CORRECTED) == []


def test_the_participant_list_as_csv_is_recorded_with_its_filters_but_not_the_words_searched(client, closed):
    event, trainer = closed["event"], closed["trainer"]
    client.force_login(trainer)
    url = reverse("courses:participants_csv", args=[event.pk])
    filters = {"status": "confirmed", "q": "Ana", "institution": closed["ana"].institution_id}
    assert client.get(url, filters).status_code == 200
    assert only_entry(Action.DATA_EXPORTED) == {
        "actor": trainer, "subject": None, "target": str(event),
        "details": {"export": "participants.csv", "filters": {**filters, "q": True}},
    }  # fmt: skip
    client.force_login(UserFactory(role=Role.TRAINER))
    assert client.get(url).status_code == 403
    assert len(entries(Action.DATA_EXPORTED)) == 1
