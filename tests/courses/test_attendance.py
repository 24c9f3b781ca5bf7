import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.completion import completion
from courses.models import AgendaItem, AnnualTarget, Attendance, CheckInCode, Event
from courses.selectors import event_completions
from courses.services import attendance_grid_save, event_close
from lms.models import Audience
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
P, L, E, A = (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.EXCUSED, Attendance.Status.ABSENT)
DAYS = [date(2027, 5, d) for d in (3, 4, 5, 6, 7)]
HOURS = dict.fromkeys(DAYS, 6.5)


def result(statuses, threshold=80, excused_count=False):
    course = CourseFactory.build(attendance_threshold=threshold, excused_count_as_attended=excused_count)
    return completion(course, DAYS, HOURS, dict(zip(DAYS, statuses, strict=False)))


def test_completion_at_the_threshold_exactly():
    four_of_five = result([P, P, L, P, A])
    assert (four_of_five.attended_days, four_of_five.rate, four_of_five.completed) == (4, Decimal("80.00"), True)
    three_of_five = result([P, P, A, P, A])
    assert (three_of_five.rate, three_of_five.completed) == (Decimal("60.00"), False)
    assert result([P, P, A, P, A], threshold=60).completed


def test_excused_days_count_for_completion_only_when_the_course_says_so_and_never_earn_hours():
    statuses = [P, P, P, E, A]
    assert not result(statuses).completed
    counted = result(statuses, excused_count=True)
    assert (counted.attended_days, counted.completed) == (4, True)
    assert counted.credit_hours == Decimal("19.50")  # three days present, not the excused one


def test_unmarked_days_are_not_attended_and_the_rate_divides_by_all_scheduled_days():
    # Present on the only 2 marked days of a 3-day event: 67%, not 100%.
    course = CourseFactory.build(attendance_threshold=80)
    three_days = DAYS[:3]
    partial = completion(course, three_days, HOURS, {three_days[0]: P, three_days[1]: P})
    assert (partial.rate, partial.completed) == (Decimal("66.67"), False)


def test_credit_hours_are_the_scheduled_hours_of_the_attended_days_breaks_excluded():
    event = EventFactory(start_date=date(2027, 5, 3), end_date=date(2027, 5, 4))
    AgendaItemFactory(event=event, date=date(2027, 5, 3), starts_at=time(9), ends_at=time(12))
    AgendaItemFactory(
        event=event, date=date(2027, 5, 3), starts_at=time(12), ends_at=time(13), kind=AgendaItem.Kind.BREAK
    )
    AgendaItemFactory(event=event, date=date(2027, 5, 4), starts_at=time(9), ends_at=time(10, 30))
    enrollment = EnrollmentFactory(event=event)
    late_joiner = EnrollmentFactory(event=event)  # promoted on the second day: still out of both days
    Attendance.objects.create(enrollment=enrollment, date=date(2027, 5, 3), status=P)
    Attendance.objects.create(enrollment=enrollment, date=date(2027, 5, 4), status=L)
    Attendance.objects.create(enrollment=late_joiner, date=date(2027, 5, 4), status=P)
    results = {e.pk: r for e, r in event_completions(event)}
    assert (results[enrollment.pk].credit_hours, results[enrollment.pk].rate) == (Decimal("4.50"), Decimal("100.00"))
    assert (results[late_joiner.pk].credit_hours, results[late_joiner.pk].rate) == (Decimal("1.50"), Decimal("50.00"))


@pytest.fixture
def running():
    """A two-day event that started today, with a trainer and three confirmed participants."""
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=today, end_date=today + timedelta(days=1), trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=1))  # fmt: skip
    enrollments = [EnrollmentFactory(event=event, user=UserFactory(institution=InstitutionFactory())) for _ in range(3)]
    return {"event": event, "trainer": trainer, "enrollments": enrollments, "today": today}


def grid_url(event):
    return reverse("courses:attendance", args=[event.pk])


def cell(enrollment, day):
    return f"a-{enrollment.pk}-{day.isoformat()}"


def marks(event):
    return {(a.enrollment_id, a.date): a.status for a in Attendance.objects.filter(enrollment__event=event)}


def test_the_trainer_saves_the_whole_grid_in_one_request(client, running):
    event, (first, second, third), today = running["event"], running["enrollments"], running["today"]
    client.force_login(running["trainer"])
    response = client.post(grid_url(event), {
        cell(first, today): "present", cell(second, today): "late", f"n-{second.pk}-{today.isoformat()}": "Traffic",
        cell(third, today): "absent", cell(first, today + timedelta(days=1)): "",
    }, follow=True)  # fmt: skip
    assert "Attendance saved (3 changes)." in response.content.decode()
    assert marks(event) == {(first.pk, today): "present", (second.pk, today): "late", (third.pk, today): "absent"}
    assert Attendance.objects.get(enrollment=second).note == "Traffic"
    # Clearing a cell removes the mark.
    client.post(grid_url(event), {cell(third, today): ""})
    assert (third.pk, today) not in marks(event)


def test_all_present_marks_a_whole_day(client, running):
    event, today = running["event"], running["today"]
    client.force_login(running["trainer"])
    data = {cell(e, today): "" for e in running["enrollments"]} | {"all_present": today.isoformat()}
    client.post(grid_url(event), data)
    assert set(marks(event).values()) == {"present"} and len(marks(event)) == 3


@pytest.mark.parametrize(
    "bad",
    [
        lambda r: {cell(EnrollmentFactory(), r["today"]): "present"},  # another event's participant
        lambda r: {cell(r["enrollments"][0], r["today"] + timedelta(days=7)): "present"},  # not a day of the event
        lambda r: {cell(r["enrollments"][0], r["today"]): "teleported"},
        lambda r: {f"a-{r['enrollments'][0].pk}-yesterday": "present"},
        lambda r: {"a-x-y": "present"},
    ],
)
def test_a_forged_or_malformed_grid_saves_nothing(client, running, bad):
    client.force_login(running["trainer"])
    data = {cell(running["enrollments"][1], running["today"]): "present", **bad(running)}
    response = client.post(grid_url(running["event"]), data, follow=True)
    assert response.status_code == 200
    assert "message message-error" in response.content.decode()
    assert marks(running["event"]) == {}


@pytest.mark.parametrize(("who", "status"), [("participant", 403), ("other_trainer", 403), ("administrator", 302)])
def test_only_the_events_trainers_and_administrators_take_attendance(client, running, who, status):
    users = {"participant": running["enrollments"][0].user, "other_trainer": UserFactory(role=Role.TRAINER),
             "administrator": UserFactory(role=Role.ADMINISTRATOR)}  # fmt: skip
    client.force_login(users[who])
    response = client.post(grid_url(running["event"]), {cell(running["enrollments"][0], running["today"]): "present"})
    assert response.status_code == status
    assert bool(marks(running["event"])) == (status == 302)


def test_closing_freezes_completion_and_only_administrators_change_it_afterwards(client, running):
    event, (first, second, _third) = running["event"], running["enrollments"]
    # The two days are over: the trainer may close.
    first_day = running["today"] - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(start_date=first_day, end_date=first_day + timedelta(days=1))
    event.refresh_from_db()
    for day in event.days:
        Attendance.objects.create(enrollment=first, date=day, status=P)
    Attendance.objects.create(enrollment=second, date=first_day, status=P)
    client.force_login(running["trainer"])
    client.post(reverse("courses:event_close", args=[event.pk]))
    event.refresh_from_db()
    first.refresh_from_db(), second.refresh_from_db()
    assert event.status == Event.Status.COMPLETED
    assert (first.completed, first.attended_days, first.attendance_rate) == (True, 2, Decimal("100.00"))
    assert (second.completed, second.attendance_rate) == (False, Decimal("50.00"))
    # The trainer now reads the grid but cannot change it.
    page = client.get(grid_url(event)).content.decode()
    assert 'class="mark mark' not in page and "Save attendance" not in page
    assert client.post(grid_url(event), {cell(second, first_day + timedelta(days=1)): "present"}).status_code == 403
    # An administrator's correction updates the recorded completion.
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post(grid_url(event), {cell(second, first_day + timedelta(days=1)): "present"})
    second.refresh_from_db()
    assert (second.completed, second.attendance_rate) == (True, Decimal("100.00"))


def test_an_event_that_has_not_started_cannot_be_closed():
    event = EventFactory()
    with pytest.raises(Exception, match="once it has started"):
        event_close(event=event, actor=None)


@pytest.fixture
def code(client, running):
    client.force_login(running["trainer"])
    page = client.get(reverse("courses:check_in_code", args=[running["event"].pk])).content.decode()
    assert "<svg" in page  # the QR code, drawn by the app
    return CheckInCode.objects.get(event=running["event"])


def check_in(client, user, code_text):
    client.force_login(user)
    return client.post(reverse("courses:check_in"), {"code": code_text}, follow=True).content.decode()


def test_a_participant_checks_in_with_todays_code(client, running, code):
    participant = running["enrollments"][0]
    assert code.code in client.get(reverse("courses:check_in_code", args=[running["event"].pk])).content.decode()
    client.force_login(participant.user)
    client.get(reverse("courses:check_in"), {"code": code.code})  # opening the QR's link marks nothing
    assert marks(running["event"]) == {}
    assert "You are checked in" in check_in(client, participant.user, code.code.lower())
    assert marks(running["event"]) == {(participant.pk, running["today"]): "present"}
    assert Attendance.objects.get().source == Attendance.Source.CHECK_IN
    assert "already checked in" in check_in(client, participant.user, code.code)


def test_check_in_refuses_expired_other_day_and_other_event_codes(client, running, code):
    participant = running["enrollments"][0].user
    CheckInCode.objects.filter(pk=code.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert "This code has expired" in check_in(client, participant, code.code)
    yesterday = CheckInCode.objects.create(event=running["event"], date=running["today"] - timedelta(days=1),
                                           valid_until=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert "This code is for another day" in check_in(client, participant, yesterday.code)
    elsewhere = EventFactory(start_date=running["today"], end_date=running["today"])
    other = CheckInCode.objects.create(
        event=elsewhere, date=running["today"], valid_until=timezone.now() + timedelta(hours=1)
    )
    assert "You are not a confirmed participant of this event" in check_in(client, participant, other.code)
    assert marks(running["event"]) == {}


def test_repeated_wrong_codes_are_rate_limited(client, running, code):
    participant = running["enrollments"][0].user
    for _ in range(5):
        assert "This code is not valid" in check_in(client, participant, "WRONG123")
    assert "Too many wrong codes" in check_in(client, participant, code.code)
    assert marks(running["event"]) == {}


def test_codes_are_random_unique_and_unguessable():
    codes = {CheckInCode(event_id=1).code for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 8 and set(c) <= set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for c in codes)


def test_sign_in_sheet_lists_the_participants_with_their_names_as_written(client, running):
    event = running["event"]
    police = InstitutionFactory(name="Inspectoratul General al Poliției")
    EnrollmentFactory(event=event, user=UserFactory(given_name="Наталья", family_name="Кожухарь", institution=police))
    client.force_login(running["trainer"])
    response = client.get(reverse("courses:sign_in_sheet", args=[event.pk, running["today"].isoformat()]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Наталья Кожухарь" in text and "Inspectoratul General al Poliției" in text and "Signature" in text
    assert client.get(reverse("courses:sign_in_sheet", args=[event.pk, "2001-01-01"])).status_code == 404


def test_my_record_splits_hours_and_warns_of_a_shortfall(client):
    AnnualTarget.objects.create(profession=Audience.JUDGE, total_hours=40, specialised_hours=24)
    judge = UserFactory(profession=Audience.JUDGE)
    for category, hours in [("specialised", "13.00"), ("general", "6.50")]:
        event = EventFactory(start_date=date(2026, 3, 2), status=Event.Status.COMPLETED,
                             course=CourseFactory(credit_category=category))  # fmt: skip
        EnrollmentFactory(event=event, user=judge, credit_hours=Decimal(hours), attended_days=2,
                          attendance_rate=Decimal(100), completed=True)  # fmt: skip
    client.force_login(judge)
    response = client.get(reverse("courses:my_record"), {"year": "2026"})
    record = response.context["record"]
    assert (record.specialised_hours, record.general_hours, record.total_hours) == (Decimal(13), Decimal("6.5"),
                                                                                  Decimal("19.5"))  # fmt: skip
    assert "you are short of it" in response.content.decode()


def test_the_grid_runs_the_same_number_of_queries_at_5_and_100_participants(client, running):
    event = running["event"]
    client.force_login(running["trainer"])
    EnrollmentFactory.create_batch(2, event=event)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(grid_url(event)).status_code == 200
        return len(queries)

    five = count()
    for enrollment in EnrollmentFactory.create_batch(95, event=event, user__institution=InstitutionFactory()):
        Attendance.objects.create(enrollment=enrollment, date=running["today"], status=P)
    assert count() == five


def test_the_grid_refuses_marks_and_notes_for_days_still_to_come(client, running):
    event, (first, second, _third), today = running["event"], running["enrollments"], running["today"]
    tomorrow = today + timedelta(days=1)
    client.force_login(running["trainer"])
    page = client.get(grid_url(event)).content.decode()
    # Tomorrow's cells are drawn disabled, and the header says from when they can be marked.
    assert f'name="{cell(first, tomorrow)}" id="{cell(first, tomorrow)}" class="mark mark-none" disabled' in page
    assert f'name="{cell(first, today)}" id="{cell(first, today)}" class="mark mark-none">' in page
    assert "Can be marked from" in page
    note = f"n-{second.pk}-{tomorrow.isoformat()}"
    for forged in ({cell(second, tomorrow): "present"}, {cell(second, tomorrow): "", note: "Will be late"},
                   {"all_present": tomorrow.isoformat(), cell(second, tomorrow): ""}):  # fmt: skip
        response = client.post(grid_url(event), {cell(first, today): "present", **forged}, follow=True)
        assert "Days still to come cannot be marked yet; nothing was saved." in response.content.decode()
        assert marks(event) == {}
    with pytest.raises(ValidationError, match="Days still to come"):
        attendance_grid_save(event=event, marks={(first.pk, tomorrow): ("", "Will be late")}, actor=running["trainer"])
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", [Event.Status.COMPLETED, Event.Status.CANCELLED])
def test_check_in_codes_stop_working_once_the_event_is_closed_or_cancelled(client, running, code, status):
    Event.objects.filter(pk=running["event"].pk).update(status=status)
    page = check_in(client, running["enrollments"][0].user, code.code)
    assert "Check-in has ended: this event is closed or cancelled." in page
    assert marks(running["event"]) == {}


@pytest.mark.parametrize("year", ["²", "٢٠٢٦x", "9" * 5000, "-1", "1e3", "2026.0", "", "\x00"])
def test_my_record_shows_the_latest_year_whatever_year_is_asked(client, year):
    judge = UserFactory()
    for start in (date(2025, 3, 2), date(2026, 3, 2)):
        EnrollmentFactory(event=EventFactory(start_date=start, status=Event.Status.COMPLETED), user=judge,
                          credit_hours=Decimal(6), completed=True)  # fmt: skip
    client.force_login(judge)
    response = client.get(reverse("courses:my_record"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == 2026


def test_a_grid_of_170_participants_over_5_days_saves_in_one_request(client):
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=today - timedelta(days=4), end_date=today, trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=7))  # fmt: skip
    enrollments = EnrollmentFactory.create_batch(170, event=event, user__institution=InstitutionFactory())
    # Each cell posts its status and its note: 1,700 fields.
    data = {cell(e, day): "present" for e in enrollments for day in event.days}
    data |= {f"n-{e.pk}-{day.isoformat()}": "" for e in enrollments for day in event.days}
    client.force_login(trainer)
    response = client.post(grid_url(event), data, follow=True)
    assert "Attendance saved (850 changes)." in response.content.decode()
    assert Attendance.objects.filter(enrollment__event=event, status=P).count() == 850
