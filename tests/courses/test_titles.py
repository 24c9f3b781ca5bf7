"""Titles are printed on one line (.ics files, PDFs, email subjects): a line break is refused, in every language."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import MultiWidget
from django.urls import reverse

from courses.models import AgendaItem, Course
from lms.roles import Role
from tests.factories import AgendaItemFactory, CourseFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "The title must be on one line: remove line breaks, tabs and other control characters."
BAD_TITLES = ["Prima zi\nA doua zi", "Trafic\r\nde ființe", "Tab\there", "Linie\u2028nouă", "Bell\x07", "Синергия\x85"]


@pytest.mark.parametrize("factory", [CourseFactory, EventFactory, AgendaItemFactory])
@pytest.mark.parametrize("language", ["en", "ro", "ru"])
@pytest.mark.parametrize("title", BAD_TITLES)
def test_a_title_with_a_line_break_or_control_character_is_refused_on_its_field(factory, language, title):
    instance = factory(**{f"title_{language}": title})
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert refused.value.message_dict[f"title_{language}"] == [MESSAGE]


@pytest.mark.parametrize("factory", [CourseFactory, EventFactory, AgendaItemFactory])
def test_titles_in_every_alphabet_are_accepted(factory):
    instance = factory(title_en="Trafficking: Lāsma Stabiņa – “victims”", title_ro="Синергия: ă â î ș ț",
                       title_ru="Торговля людьми (2018)")  # fmt: skip
    instance.full_clean()


@pytest.fixture
def administrator(client):
    user = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def admin_form_data(response):
    """What the admin's change form would post back unchanged: the main form and its inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, MultiWidget):  # a date and a time
                data.update({f"{field.html_name}_{n}": str(part) for n, part in
                             enumerate(field.field.widget.decompress(value)) if part is not None})  # fmt: skip
            elif value is not None and value is not False:
                data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_the_admin_shows_the_message_and_saves_no_course(client, administrator):
    url = reverse("admin:courses_course_add")
    data = admin_form_data(client.get(url))
    data.update(slug="victims", title_en="Protecting victims", title_ru="Защита\nжертв", activity_type="course")

    response = client.post(url, data)

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Course.objects.filter(slug="victims").exists()


def test_the_admin_shows_the_message_and_leaves_the_event_unchanged(client, administrator):
    event = EventFactory(title_en="Combating trafficking", capacity=20)
    url = reverse("admin:courses_event_change", args=[event.pk])
    data = admin_form_data(client.get(url))
    data.update(title_ro="Combaterea\ntraficului", capacity="30")

    response = client.post(url, data)

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    event.refresh_from_db()
    assert (event.title_ro or "", event.capacity) == ("", 20)


def test_the_admin_still_saves_a_good_event_title(client, administrator):
    event = EventFactory(title_en="Combating trafficking")
    url = reverse("admin:courses_event_change", args=[event.pk])
    data = admin_form_data(client.get(url))
    data.update(title_ro="Combaterea traficului de ființe umane")

    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title_ro == "Combaterea traficului de ființe umane"


def test_the_agenda_form_shows_the_message_and_saves_no_session(client):
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer])
    client.force_login(trainer)
    data = {"date": event.start_date.isoformat(), "starts_at": "09:00", "ends_at": "10:30", "kind": "presentation",
            "title_en": "Building synergy", "title_ro": "Construirea\nsinergiei", "title_ru": "", "room": "",
            "description_en": "", "description_ro": "", "description_ru": ""}  # fmt: skip

    response = client.post(reverse("courses:agenda_item_new", args=[event.pk]), data)

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not AgendaItem.objects.filter(event=event).exists()


def test_an_event_title_refused_among_other_errors_keeps_them_all():
    event = EventFactory(title_en="Line\nbreak")
    event.end_date = event.start_date.replace(year=event.start_date.year - 1)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert set(refused.value.message_dict) >= {"title_en", "end_date"}
