import io
import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from courses import schedule
from courses.models import AgendaItem, Event, Facilitator
from lms.roles import Role
from tests.factories import AgendaItemFactory, CourseFactory, EventFactory, FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return UserFactory(role=Role.TRAINER)


@pytest.fixture
def event(trainer):
    return EventFactory(start_date=date(2027, 6, 4), end_date=date(2027, 6, 5), trainers=[trainer])


def session_data(**overrides):
    data = {"date": "2027-06-04", "starts_at": "09:00", "ends_at": "10:30", "kind": "presentation",
            "title_en": "Building synergy", "title_ro": "", "title_ru": "", "room": "Hall A",
            "description_en": "", "description_ro": "", "description_ru": ""}  # fmt: skip
    data.update(overrides)
    return data


def new_url(event):
    return reverse("courses:agenda_item_new", args=[event.pk])


def test_trainer_adds_a_session_and_sees_it_with_the_day_hours(client, trainer, event):
    lasma = FacilitatorFactory(name="Lāsma Stabiņa")
    client.force_login(trainer)
    response = client.post(new_url(event), session_data(facilitators=[lasma.pk]))
    assert response.status_code == 302
    item = event.agenda_items.get()
    assert (item.title, item.starts_at, list(item.facilitators.all())) == ("Building synergy", time(9), [lasma])
    page = client.get(reverse("courses:agenda", args=[event.pk])).content.decode()
    assert "Building synergy" in page and "Lāsma Stabiņa" in page and "1.5 h" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "09:00"}, "The session must end after it starts."),
        ({"ends_at": "08:00"}, "The session must end after it starts."),
        ({"date": "2027-06-07"}, "Select a valid choice."),
        ({"title_en": "", "title_ro": "Sinergie"}, "This field is required."),
        ({"starts_at": "25:00"}, "Enter a valid time."),
    ],
)
def test_invalid_sessions_are_refused_with_a_clear_message(client, trainer, event, overrides, message):
    client.force_login(trainer)
    response = client.post(new_url(event), session_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not event.agenda_items.exists()


def test_two_sessions_cannot_overlap_in_the_same_room_but_parallel_tracks_can(client, trainer, event):
    AgendaItemFactory(event=event, date=date(2027, 6, 4), starts_at=time(9), ends_at=time(10, 30), room="Hall A",
                      title_en="Opening")  # fmt: skip
    client.force_login(trainer)
    response = client.post(new_url(event), session_data(starts_at="10:00", ends_at="11:00", room="hall a"))
    assert "This session overlaps “Opening” (09:00–10:30) in the same room" in response.content.decode()
    assert event.agenda_items.count() == 1
    response = client.post(new_url(event), session_data(starts_at="10:00", ends_at="11:00", room="Hall B"))
    assert response.status_code == 302
    response = client.post(new_url(event), session_data(starts_at="10:30", ends_at="11:00", room="Hall A"))
    assert response.status_code == 302
    assert event.agenda_items.count() == 3


def test_a_facilitator_booked_elsewhere_at_the_same_time_is_a_warning_not_an_error(client, trainer, event):
    ian = FacilitatorFactory(name="Ian Sweet")
    elsewhere = EventFactory(course=CourseFactory(title_en="Regional meeting"), start_date=date(2027, 6, 4))
    AgendaItemFactory(event=elsewhere, date=date(2027, 6, 4), starts_at=time(10), ends_at=time(12), title_en="Panel",
                      facilitators=[ian])  # fmt: skip
    client.force_login(trainer)
    response = client.post(new_url(event), session_data(facilitators=[ian.pk]), follow=True)
    page = response.content.decode()
    assert "Ian Sweet is also leading “Panel” (Regional meeting" in page
    assert event.agenda_items.count() == 1
    # Another time, no warning.
    response = client.post(new_url(event), session_data(starts_at="13:00", ends_at="14:00", facilitators=[ian.pk]),
                           follow=True)  # fmt: skip
    assert "is also leading" not in response.content.decode()


def test_edit_move_and_delete(client, trainer, event):
    first = AgendaItemFactory(event=event, starts_at=time(9), ends_at=time(10, 30), title_en="First", room="A")
    second = AgendaItemFactory(event=event, starts_at=time(11), ends_at=time(11, 30), title_en="Second", room="A")
    client.force_login(trainer)
    client.post(reverse("courses:agenda_item_edit", args=[event.pk, first.pk]), session_data(title_en="First, renamed",
                room="A"))  # fmt: skip
    first.refresh_from_db()
    assert first.title_en == "First, renamed"
    client.post(reverse("courses:agenda_item_move", args=[event.pk, second.pk]), {"direction": "up"})
    first.refresh_from_db(), second.refresh_from_db()
    # Each keeps its length and the half-hour gap stays between them.
    assert (second.starts_at, second.ends_at) == (time(9), time(9, 30))
    assert (first.starts_at, first.ends_at) == (time(10), time(11, 30))
    response = client.post(reverse("courses:agenda_item_move", args=[event.pk, second.pk]), {"direction": "up"},
                           follow=True)  # fmt: skip
    assert "This session cannot move further." in response.content.decode()
    client.post(reverse("courses:agenda_item_delete", args=[event.pk, first.pk]))
    assert list(event.agenda_items.all()) == [second]


def test_duplicate_a_day(client, trainer, event):
    AgendaItemFactory(event=event, starts_at=time(9), ends_at=time(10), title_en="Morning", room="A")
    AgendaItemFactory(event=event, starts_at=time(10), ends_at=time(11), title_en="Late morning", room="A")
    client.force_login(trainer)
    url = reverse("courses:agenda_day_duplicate", args=[event.pk])
    client.post(url, {"source_day": "2027-06-04", "target_day": "2027-06-05"})
    assert list(event.agenda_items.filter(date=date(2027, 6, 5)).values_list("title_en", flat=True)) == [
        "Morning", "Late morning"]  # fmt: skip
    # Doing it again would overlap: refused, nothing added.
    response = client.post(url, {"source_day": "2027-06-04", "target_day": "2027-06-05"}, follow=True)
    assert "overlaps" in response.content.decode()
    assert event.agenda_items.count() == 4


def test_copy_the_agenda_of_an_earlier_event_with_the_dates_shifted(client, trainer, event):
    lasma = FacilitatorFactory(name="Lāsma Stabiņa")
    earlier = EventFactory(course=event.course, start_date=date(2018, 6, 4), end_date=date(2018, 6, 5),
                           status=Event.Status.COMPLETED, trainers=[trainer])  # fmt: skip
    AgendaItemFactory(event=earlier, date=date(2018, 6, 4), title_en="Opening", title_ro="Deschidere")
    AgendaItemFactory(event=earlier, date=date(2018, 6, 5), title_en="Synergy", facilitators=[lasma])
    client.force_login(trainer)
    client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": earlier.pk})
    copied = list(event.agenda_items.order_by("date"))
    assert [(item.date, item.title_en) for item in copied] == [(date(2027, 6, 4), "Opening"),
                                                               (date(2027, 6, 5), "Synergy")]  # fmt: skip
    assert copied[0].title_ro == "Deschidere"
    assert list(copied[1].facilitators.all()) == [lasma]
    assert earlier.agenda_items.count() == 2
    response = client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": earlier.pk}, follow=True)
    assert "copying needs an empty agenda" in response.content.decode()
    assert event.agenda_items.count() == 2


def test_copy_refuses_an_event_not_managed_or_a_later_event(client, trainer, event):
    other = EventFactory(start_date=date(2018, 6, 4))
    AgendaItemFactory(event=other, date=date(2018, 6, 4))
    later = EventFactory(course=event.course, start_date=date(2028, 1, 10))
    AgendaItemFactory(event=later, date=date(2028, 1, 10))
    client.force_login(trainer)
    for source in (other, later, "nonsense"):
        source_id = getattr(source, "pk", source)
        response = client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": source_id}, follow=True)
        assert "Choose an earlier event that has an agenda." in response.content.decode()
    assert not event.agenda_items.exists()


def test_copy_offers_only_events_the_user_may_manage(client, trainer, event):
    """Another trainer's draft is theirs: not listed, and refused when forged."""
    theirs = EventFactory(course=event.course, start_date=date(2027, 1, 10), end_date=date(2027, 1, 10),
                          status=Event.Status.DRAFT, trainers=[UserFactory(role=Role.TRAINER)])  # fmt: skip
    AgendaItemFactory(event=theirs, date=theirs.start_date, title_en="Unpublished plan")
    mine = EventFactory(course=event.course, start_date=date(2026, 3, 2), end_date=date(2026, 3, 2), trainers=[trainer])
    AgendaItemFactory(event=mine, date=mine.start_date)
    client.force_login(trainer)
    page = client.get(reverse("courses:agenda", args=[event.pk])).content.decode()
    assert f'value="{mine.pk}"' in page
    assert f'value="{theirs.pk}"' not in page
    response = client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": theirs.pk}, follow=True)
    assert "Choose an earlier event that has an agenda." in response.content.decode()
    assert not event.agenda_items.exists()
    # An administrator manages every event, so may copy it.
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": theirs.pk})
    assert event.agenda_items.get().title_en == "Unpublished plan"


def test_add_a_facilitator_without_leaving_the_agenda(client, trainer, event):
    client.force_login(trainer)
    back = new_url(event) + "?day=2027-06-05"
    url = reverse("courses:agenda_facilitator_new", args=[event.pk])
    response = client.post(url, {"name": "Jorn van Rij", "title": "Dr", "country": "nl", "next": back})
    assert response.status_code == 302 and response.url == back
    assert Facilitator.objects.get(name="Jorn van Rij").country == "NL"
    response = client.post(url, {"name": "Evil", "next": "https://evil.example/"})
    assert response.url == reverse("courses:agenda", args=[event.pk])
    response = client.post(url, {"name": "", "country": "L1"})
    assert "This field is required." in response.content.decode()
    assert "Use the two-letter country code" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("participant", 403), ("other_trainer", 403), ("focal", 403),
                                            ("administrator", 200)])  # fmt: skip
def test_only_the_events_trainers_and_administrators_change_its_agenda(client, event, who, status):
    users = {
        "participant": UserFactory(),
        "other_trainer": UserFactory(role=Role.TRAINER),
        "focal": UserFactory(role=Role.FOCAL_POINT),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
    }
    item = AgendaItemFactory(event=event)
    client.force_login(users[who])
    assert client.get(reverse("courses:agenda", args=[event.pk])).status_code == status
    assert client.post(new_url(event), session_data()).status_code in (status, 302)
    client.post(reverse("courses:agenda_item_delete", args=[event.pk, item.pk]))
    assert AgendaItem.objects.filter(pk=item.pk).exists() == (status == 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, event):
    response = client.get(reverse("courses:agenda", args=[event.pk]))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_forged_requests_to_another_events_sessions_change_nothing(client, trainer, event):
    other = AgendaItemFactory(event=EventFactory(), title_en="Not yours", starts_at=time(9), ends_at=time(10))
    client.force_login(trainer)
    # Through the trainer's own event, the other event's session does not exist.
    for name in ["agenda_item_edit", "agenda_item_delete", "agenda_item_move"]:
        assert client.post(reverse(f"courses:{name}", args=[event.pk, other.pk]), session_data()).status_code == 404
    # Through the other event, the trainer is refused.
    assert client.post(reverse("courses:agenda_item_delete", args=[other.event.pk, other.pk])).status_code == 403
    other.refresh_from_db()
    assert (other.title_en, other.starts_at) == ("Not yours", time(9))


def test_a_completed_event_agenda_is_read_only_for_trainers(client, trainer, event):
    event.status = Event.Status.COMPLETED
    event.save()
    client.force_login(trainer)
    assert client.get(reverse("courses:agenda", args=[event.pk])).status_code == 403


def test_scheduled_hours_exclude_breaks_and_count_parallel_tracks_once(event):
    AgendaItemFactory(event=event, starts_at=time(9), ends_at=time(11), room="A")
    AgendaItemFactory(event=event, starts_at=time(10), ends_at=time(12), room="B")
    AgendaItemFactory(event=event, starts_at=time(12), ends_at=time(13), kind=AgendaItem.Kind.BREAK)
    AgendaItemFactory(event=event, date=date(2027, 6, 5), starts_at=time(14), ends_at=time(15, 45))
    hours, total = schedule.scheduled_hours(event, event.agenda_items.all())
    assert hours == {date(2027, 6, 4): 3.0, date(2027, 6, 5): 1.75}
    assert total == 4.75


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2027, 3, 28), 2.0), (date(2027, 10, 31), 4.0), (date(2027, 6, 6), 3.0)]
)
def test_scheduled_hours_are_real_hours_on_daylight_saving_days(day, hours):
    # In Moldova clocks go from 03:00 to 04:00 on 28 March 2027, and back from 04:00 to 03:00 on 31 October.
    event = EventFactory(start_date=day, end_date=day)
    AgendaItemFactory(event=event, date=day, starts_at=time(2), ends_at=time(5), title_en="Night exercise")
    assert schedule.scheduled_hours(event, event.agenda_items.all()) == ({day: hours}, hours)


def test_printable_agenda_pdf_draws_every_name_exactly(client, event):
    event.venue_name, event.city = "General Police Inspectorate", "Chișinău"
    event.save()
    lasma = FacilitatorFactory(name="Lāsma Stabiņa")
    natalia = FacilitatorFactory(name="Наталья Кожухарь")
    AgendaItemFactory(event=event, title_en="Синергия: ă â î ș ț ė ų", facilitators=[lasma, natalia], room="Sala 1")
    AgendaItemFactory(event=event, date=event.start_date + timedelta(days=1), title_en="Closing")
    response = client.get(reverse("courses:agenda_pdf", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ["Lāsma Stabiņa", "Наталья Кожухарь", "Chișinău", "Синергия: ă â î ș ț ė ų", "Closing", "Sala 1"]:
        assert expected in text, expected
    # Every font is embedded (a TrueType subset), none left to the reader's machine.
    fonts = {font.get_object()["/BaseFont"]: font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}  # fmt: skip
    assert fonts and all("FiraSans" in name for name in fonts)
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts.values())


def test_the_event_page_shows_the_agenda_with_facilitators_linked(client, event):
    jorn = FacilitatorFactory(name="Jorn van Rij", title="Dr")
    AgendaItemFactory(event=event, title_en="Intelligence-led policing", facilitators=[jorn], kind="workshop")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Intelligence-led policing" in page and "Workshop" in page
    assert f'href="{jorn.get_absolute_url()}">Dr Jorn van Rij</a>' in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_agenda_pages_run_the_same_number_of_queries_at_2_and_40_sessions(client, trainer, event):
    people = FacilitatorFactory.create_batch(3)
    for n in range(2):
        AgendaItemFactory(event=event, starts_at=time(8 + n), ends_at=time(8 + n, 50), facilitators=people,
                          moderator=people[0])  # fmt: skip
    client.force_login(trainer)
    urls = [reverse("courses:agenda", args=[event.pk]), event.get_absolute_url()]
    two = [count_queries(client, url) for url in urls]
    for n in range(38):
        AgendaItemFactory(event=event, date=event.start_date + timedelta(days=n % 2), room=f"Room {n}",
                          starts_at=time(8 + n // 4), ends_at=time(8 + n // 4, 45), facilitators=people)  # fmt: skip
    assert [count_queries(client, url) for url in urls] == two


def agenda_page(client, event, **params):
    return client.get(reverse("courses:agenda", args=[event.pk]), params).content.decode()


def test_a_new_session_starts_when_the_previous_one_ends_in_its_kind_and_room(client, trainer, event):
    AgendaItemFactory(event=event, starts_at=time(9), ends_at=time(10), title_en="Opening", kind="workshop",
                      room="Hall B")  # fmt: skip
    client.force_login(trainer)
    page = client.get(new_url(event), {"day": "2027-06-04"}).content.decode()
    assert 'name="starts_at" value="10:00"' in page and 'name="ends_at" value="11:00"' in page
    assert 'name="room" value="Hall B"' in page and '<option value="workshop" selected>' in page
    # An empty day starts at nine with a 90-minute session; the agenda page offers the same in place.
    page = agenda_page(client, event)
    assert 'value="09:00" required id="id_2027-06-05_starts_at"' in page
    assert 'value="10:30" required id="id_2027-06-05_ends_at"' in page
    assert 'value="10:00" required id="id_2027-06-04_starts_at"' in page


def test_save_and_add_another_comes_back_to_the_same_day_ready_for_the_next_session(client, trainer, event):
    client.force_login(trainer)
    data = session_data(date="2027-06-05", another="1", in_place="1")
    response = client.post(new_url(event) + "?day=2027-06-05", data)
    assert response.url == reverse("courses:agenda", args=[event.pk]) + "?add=2027-06-05#day-2027-06-05"
    page = agenda_page(client, event, add="2027-06-05")
    assert 'value="10:30" required id="id_2027-06-05_starts_at"' in page
    assert re.search(r'<input type="text" name="title_en"[^>]* autofocus[^>]* id="id_2027-06-05_title_en"', page)
    assert page.count(" autofocus") == 1
    # From the full form it opens a new, prefilled form for that day.
    response = client.post(new_url(event), session_data(date="2027-06-05", starts_at="10:30", ends_at="11:00",
                                                        another="1"))  # fmt: skip
    assert response.url == new_url(event) + "?day=2027-06-05"
    assert 'name="starts_at" value="11:00"' in client.get(response.url).content.decode()
    assert event.agenda_items.filter(date=date(2027, 6, 5)).count() == 2


def test_facilitators_are_checkboxes_the_chosen_ones_first(client, trainer, event):
    FacilitatorFactory(name="Ana Albu")
    zoe = FacilitatorFactory(name="Zoe Zamfir")
    item = AgendaItemFactory(event=event, facilitators=[zoe])
    client.force_login(trainer)
    page = client.get(reverse("courses:agenda_item_edit", args=[event.pk, item.pk])).content.decode()
    assert "Ctrl" not in page
    assert f'type="checkbox" name="facilitators" value="{zoe.pk}"' in page
    assert page.index("Zoe Zamfir") < page.index("Ana Albu")
    assert 'data-filter="Filter the facilitators by name"' in page


def test_only_the_title_in_the_pages_language_is_required(client, trainer, event):
    client.force_login(trainer)
    client.cookies["django_language"] = "ro"
    response = client.post(new_url(event), session_data(title_en="Only in English"))
    assert response.status_code == 200 and not event.agenda_items.exists()
    # An error in a folded field unfolds it.
    response = client.post(new_url(event), session_data(title_ro="Sinergie", moderator="nonsense"))
    assert '<details class="more-fields" open>' in response.content.decode()
    response = client.post(new_url(event), session_data(title_en="", title_ro="Sinergie"))
    assert response.status_code == 302
    # Read in English, it is marked as shown in Romanian, not left blank.
    client.cookies["django_language"] = "en"
    page = agenda_page(client, event)
    assert '<strong lang="ro">Sinergie</strong>' in page


def test_a_dragged_session_takes_its_new_place_and_the_times_follow(client, trainer, event):
    AgendaItemFactory(event=event, starts_at=time(9), ends_at=time(10), title_en="First", room="A")
    second = AgendaItemFactory(event=event, starts_at=time(10), ends_at=time(10, 30), title_en="Second", room="A")
    third = AgendaItemFactory(event=event, starts_at=time(11), ends_at=time(12), title_en="Third", room="A")
    client.force_login(trainer)
    url = reverse("courses:agenda_item_move", args=[event.pk, third.pk])
    for forged in ("-1", "x", "3"):
        response = client.post(url, {"to": forged}, follow=True)
        assert "This session cannot move further." in response.content.decode()
    client.post(url, {"to": "0"})
    day = list(event.agenda_items.order_by("starts_at").values_list("title_en", "starts_at", "ends_at"))
    # One neighbour at a time, as the arrows do: each keeps its length, the gaps stay between.
    assert day == [("Third", time(9), time(10)), ("First", time(10), time(11)), ("Second", time(11, 30), time(12))]
    client.post(reverse("courses:agenda_item_move", args=[event.pk, second.pk]), {"direction": "up", "to": ""})
    assert event.agenda_items.order_by("starts_at").values_list("title_en", flat=True)[1] == "Second"


def select(page, name):
    return page.split(f'<select name="{name}"')[1].split("</select>")[0]


def test_duplicate_a_day_offers_the_next_day(client, trainer):
    event = EventFactory(start_date=date(2027, 6, 4), end_date=date(2027, 6, 6), trainers=[trainer])
    client.force_login(trainer)
    page = agenda_page(client, event)
    assert '<option value="2027-06-04" selected>' in select(page, "source_day")
    assert '<option value="2027-06-05" selected>' in select(page, "target_day")
    # Once the second day is planned, it is the one offered, to the third.
    AgendaItemFactory(event=event, date=date(2027, 6, 5))
    page = agenda_page(client, event)
    assert '<option value="2027-06-06" selected>' in select(page, "target_day")


def test_copy_from_an_earlier_event_of_another_course_the_trainer_manages(client, trainer, event):
    other_course = EventFactory(course=CourseFactory(title_en="Cybercrime basics"), start_date=date(2026, 2, 2),
                                end_date=date(2026, 2, 2), trainers=[trainer])  # fmt: skip
    AgendaItemFactory(event=other_course, date=other_course.start_date, title_en="Phishing")
    client.force_login(trainer)
    page = agenda_page(client, event)
    assert f'type="radio" name="source" value="{other_course.pk}"' in page and "Cybercrime basics" in page
    client.post(reverse("courses:agenda_copy", args=[event.pk]), {"source": other_course.pk})
    assert event.agenda_items.get().title_en == "Phishing"
