"""The event page: hours, place, seats, partners, a closed event's state and the trainer's Manage panel."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Event
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page(client, event, language="en"):
    client.cookies["django_language"] = language
    response = client.get(reverse("courses:event", args=[event.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def details(html, term):
    """The text of the <dd> after a <dt>."""
    found = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert found, term
    return text_of(found[1])


def two_day_agenda(event):
    """Day one 08:30-12:00 and 13:00-16:00 (a break between); day two 09:00-13:00: 10.5 hours."""
    first, second = event.start_date, event.start_date + timedelta(days=1)
    AgendaItemFactory(event=event, date=first, starts_at=time(8, 30), ends_at=time(12))
    AgendaItemFactory(event=event, date=first, starts_at=time(12), ends_at=time(13), kind="break")
    AgendaItemFactory(event=event, date=first, starts_at=time(13), ends_at=time(16))
    AgendaItemFactory(event=event, date=second, starts_at=time(9), ends_at=time(13))


@pytest.mark.parametrize(("language", "credit"), [("en", "Specialised · 10.5 h"), ("ro", "Specializată · 10,5 h")])
def test_credit_hours_show_the_scheduled_hours_with_the_category(client, language, credit):
    event = EventFactory()
    two_day_agenda(event)
    term = {"en": "Credit hours", "ro": "Ore de formare"}[language]
    html = page(client, event, language)
    assert credit in text_of(html)
    assert term in html


def test_without_an_agenda_credit_hours_show_the_category_only(client):
    assert details(page(client, EventFactory()), "Credit hours") == "Specialised"


def test_daily_hours_come_from_each_day_of_the_agenda(client):
    event = EventFactory(day_starts_at=time(10), day_ends_at=time(11))
    two_day_agenda(event)
    hours = details(page(client, event), "Daily hours")
    assert "08:30–16:00" in hours and "09:00–13:00" in hours
    assert "10:00" not in hours


def test_daily_hours_fall_back_to_the_typed_hours_and_are_written_once_when_equal(client):
    event = EventFactory(day_starts_at=time(9), day_ends_at=time(17))
    assert details(page(client, event), "Daily hours") == "09:00–17:00 (Europe/Chisinau)"
    for day in event.days:
        AgendaItemFactory(event=event, date=day, starts_at=time(9, 30), ends_at=time(15))
    assert details(page(client, event), "Daily hours") == "09:30–15:00 (Europe/Chisinau)"


def test_a_city_named_like_its_region_is_written_once(client):
    balti = page(client, EventFactory(city="Bălți", region=RegionFactory(name="Bălți")))
    assert details(balti, "Place") == "Bălți"
    other = page(client, EventFactory(city="Fălești", region=RegionFactory(name="Bălți")))
    assert details(other, "Place") == "Fălești (Bălți)"


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": Event.Status.CANCELLED}, "This event was cancelled."),
        ({"status": Event.Status.COMPLETED}, "This event has ended."),
        ({"days_ago": 3}, "This event has ended."),
    ],
)
def test_a_closed_event_says_so_in_its_enrollment_card(client, fields, state):
    if fields.pop("days_ago", None):
        today = timezone.localdate()
        fields = {"start_date": today - timedelta(days=3), "end_date": today - timedelta(days=2),
                  "enrollment_opens_at": None, "enrollment_closes_at": timezone.now() - timedelta(days=5)}  # fmt: skip
    event = EventFactory(**fields)
    for visitor in [None, UserFactory()]:
        if visitor:
            client.force_login(visitor)
        card = page(client, event).split('id="enroll-heading"')[1].split("</section>")[0]
        assert state in card
        assert "Sign in to enroll" not in card and "<form" not in card


def test_a_participant_of_a_closed_event_still_sees_their_enrollment(client):
    participant = UserFactory()
    event = EventFactory(status=Event.Status.COMPLETED)
    EnrollmentFactory(event=event, user=participant)
    client.force_login(participant)
    card = page(client, event).split('id="enroll-heading"')[1].split("</section>")[0]
    assert "Your enrollment: Confirmed." in card
    assert "This event has ended." not in card


@pytest.mark.parametrize(
    ("language", "full"),
    [("en", "Full: join the waiting list"), ("ro", "Nu mai sunt locuri: înscrieți-vă pe lista de așteptare")],
)
def test_a_full_event_invites_to_the_waiting_list_on_its_page_and_catalog_card(client, language, full):
    event = EventFactory(course=CourseFactory(title_en="Victim protection"), capacity=1)
    EnrollmentFactory(event=event)
    html = page(client, event, language)
    seats = details(html, {"en": "Seats", "ro": "Locuri"}[language])
    assert seats.startswith(full)
    assert not seats.startswith("0")
    catalog = text_of(client.get(reverse("courses:catalog")).content.decode())
    assert full in catalog
    assert "0 seats left" not in catalog and "0 locuri" not in catalog


def test_a_full_event_whose_enrollment_closed_says_full_only(client):
    event = EventFactory(capacity=1, enrollment_closes_at=timezone.now() - timedelta(minutes=1))
    EnrollmentFactory(event=event)
    assert details(page(client, event), "Seats") == "Full"


def test_each_partner_is_named_once(client):
    ministry, police, ngo = (InstitutionFactory(name=name) for name in ["Ministry", "Police", "La Strada"])
    programme = ProgrammeFactory(lead_partner=ministry)
    programme.partners.set([ministry, police, ngo])
    event = EventFactory(programme=programme)
    event.partners.set([police])
    event.organisers.set([ngo])
    html = page(client, event)
    assert details(html, "Partners") == "Police"
    assert text_of(html).count("La Strada") == 1
    assert text_of(html).count("Ministry") == 1
    assert "Programme partners" not in html


def manage_links(html):
    if 'id="manage-heading"' not in html:
        return None
    panel = html.split('id="manage-heading"')[1].split("</section>")[0]
    return [text_of(link) for link in re.findall(r"<a [^>]*>(.*?)</a>", panel)]


def test_a_trainer_finds_every_management_link_in_one_manage_panel(client):
    trainer = UserFactory(role=Role.TRAINER)
    today = timezone.localdate()
    event = EventFactory(
        trainers=[trainer], start_date=today - timedelta(days=2), end_date=today - timedelta(days=1),
        enrollment_opens_at=None, enrollment_closes_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    client.force_login(trainer)
    html = page(client, event)
    assert manage_links(html) == ["Edit the agenda", "Participants", "Attendance", "Attendance report",
                                  "Evaluation", "Close the event"]  # fmt: skip
    assert html.count(reverse("courses:participants", args=[event.pk])) == 1
    assert html.count(reverse("courses:agenda", args=[event.pk]) + '"') == 1


def test_an_administrator_manages_certificates_and_a_participant_sees_no_panel(client):
    event = EventFactory()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert "Certificates" in manage_links(page(client, event))
    assert "Close the event" in manage_links(page(client, event))
    client.force_login(UserFactory())
    assert manage_links(page(client, event)) is None
    client.logout()
    assert manage_links(page(client, event)) is None
