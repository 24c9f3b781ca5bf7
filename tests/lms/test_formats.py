"""Numbers, dates and times as each language writes them; times on the event's own clock, its zone named."""

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.models import Attendance, CheckInCode, Enrollment, Event
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

# Tbilisi keeps UTC+4 all year; Chișinău is UTC+3 in June: a time shown on the wrong clock shows.
ZONE = "Asia/Tbilisi"


@pytest.fixture
def held():
    """The June 2018 training, held in another zone than the site's: 7.5 + 2 scheduled hours."""
    event = EventFactory(
        start_date=date(2018, 6, 4),
        end_date=date(2018, 6, 5),
        time_zone=ZONE,
        status=Event.Status.COMPLETED,
        enrollment_opens_at=datetime(2018, 5, 1, 6, 0, tzinfo=UTC),
        enrollment_closes_at=datetime(2018, 6, 1, 15, 0, tzinfo=UTC),
    )
    AgendaItemFactory(event=event, date=event.start_date, starts_at=time(9), ends_at=time(16, 30))
    AgendaItemFactory(event=event, date=event.end_date, starts_at=time(9), ends_at=time(11))
    return event


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def test_the_zones_differ():
    assert settings.TIME_ZONE != ZONE


@pytest.mark.parametrize(
    ("code", "dates", "opens", "closes"),
    [
        ("ro", "4 iunie 2018 – 5 iunie 2018", "1 mai 2018, 10:00", "1 iunie 2018, 19:00"),
        ("ru", "4 июня 2018 г. – 5 июня 2018 г.", "1 мая 2018 г., 10:00", "1 июня 2018 г., 19:00"),
        ("en", "4 June 2018 – 5 June 2018", "1 May 2018, 10:00", "1 June 2018, 19:00"),
    ],
)
def test_the_event_page_writes_dates_hours_and_the_enrollment_window_in_the_readers_language(
    client, held, code, dates, opens, closes
):
    participant = UserFactory()
    enrollment = EnrollmentFactory(event=held, user=participant, credit_hours=Decimal("7.5"))
    Attendance.objects.create(enrollment=enrollment, date=held.start_date, status=Attendance.Status.PRESENT)
    client.force_login(participant)
    page = in_language(client, code).get(held.get_absolute_url()).content.decode()
    decimal = "." if code == "en" else ","
    assert dates in page
    assert f"9{decimal}5 " in page  # scheduled hours of the agenda
    assert f"7{decimal}50" in page  # the participant's credit hours
    # The window on the event's clock, its zone named; never the site's clock nor UTC.
    assert opens in page and closes in page and f"({ZONE})" in page
    assert "18:00" not in page and "15:00" not in page
    # Months inside dates are lowercase in ro and genitive in ru, the participant's attendance included.
    assert not re.search(r"\b(Iun|Iunie|Июн|Июнь)\b", page) and "p.m." not in page


def test_a_window_not_yet_open_is_announced_on_the_events_clock(client):
    event = EventFactory(
        start_date=date(2030, 2, 1),
        end_date=date(2030, 2, 1),
        time_zone=ZONE,
        enrollment_opens_at=datetime(2030, 1, 15, 12, 0, tzinfo=UTC),
        enrollment_closes_at=datetime(2030, 1, 25, 12, 0, tzinfo=UTC),
    )
    client.force_login(UserFactory())
    page = in_language(client, "ro").get(event.get_absolute_url()).content.decode()
    # Next to the window itself (same clock, same zone), the reason one may not enroll yet.
    assert page.count("15 ianuarie 2030, 16:00") == 2 and f"16:00 ({ZONE})." in page
    assert "14:00" not in page and "12:00" not in page


def test_the_printable_attendance_report_writes_day_month_year_and_decimal_commas(client, held):
    enrollment = EnrollmentFactory(event=held)
    Attendance.objects.create(enrollment=enrollment, date=held.start_date, status=Attendance.Status.PRESENT)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = in_language(client, "ro").get(reverse("stats:attendance_report", args=[held.pk])).content.decode()
    assert "04.06.2018" in page and "05.06.2018" in page
    assert "06/04/2018" not in page and "2018-06-04" not in page
    assert ">7,50</td>" in page  # credit hours of the day attended
    page = in_language(client, "en").get(reverse("stats:attendance_report", args=[held.pk])).content.decode()
    assert "04/06/2018" in page and "05/06/2018" in page and ">7.50</td>" in page


def agenda_text(client, event):
    response = client.get(reverse("courses:agenda_pdf", args=[event.pk]))
    assert response.status_code == 200
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    ("code", "day", "hours"),
    [("ro", "4 iunie 2018", "7,5 h"), ("ru", "4 июня 2018 г.", "7,5 ч"), ("en", "4 June 2018", "7.5 h")],
)
def test_the_agenda_pdf_writes_day_month_year_and_names_the_events_zone(client, held, code, day, hours):
    text = agenda_text(in_language(client, code), held)
    assert day in text
    assert hours in text
    assert "06/04/2018" not in text and "June 4" not in text
    assert ZONE in text


def test_the_agenda_pdf_of_an_event_on_the_sites_clock_names_no_zone(client, held):
    held.time_zone = settings.TIME_ZONE
    held.save()
    assert settings.TIME_ZONE not in agenda_text(client, held)


def test_the_participants_csv_gives_the_request_time_on_the_sites_clock(client):
    enrollment = EnrollmentFactory()
    # 21:30 UTC is 00:30 the next day in Chișinău (UTC+3 in June).
    Enrollment.objects.filter(pk=enrollment.pk).update(created_at=datetime(2018, 6, 4, 21, 30, tzinfo=UTC))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    text = client.get(reverse("courses:participants_csv", args=[enrollment.event.pk])).content.decode()
    assert "2018-06-05 00:30" in text and "21:30" not in text


def test_the_check_in_code_is_valid_until_a_time_on_the_events_clock(client):
    zone = ZoneInfo(ZONE)
    today = timezone.localdate(timezone=zone)
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=today, end_date=today, time_zone=ZONE, trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=1))  # fmt: skip
    client.force_login(trainer)
    page = client.get(reverse("courses:check_in_code", args=[event.pk])).content.decode()
    until = CheckInCode.objects.get(event=event).valid_until
    assert f"until {timezone.localtime(until, zone):%H:%M}." in page
