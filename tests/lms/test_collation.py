"""People, institutions and regions in the alphabetical order of the page's language, on SQLite and PostgreSQL."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.filters import EventFilter, ParticipantFilter
from courses.models import Enrollment
from courses.selectors import event_completions
from lms.collation import Collated, sort_key
from lms.models import Institution
from lms.roles import Role
from stats.figures import Table
from tests.factories import EnrollmentFactory, EventFactory, InstitutionFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

# ă after a, â after ă, î after i, ș after s, ț after t.
ROMANIAN = ["Albu", "Banu", "Bălan", "Bârcă", "Ichim", "Istrati", "Înculeț", "Sandu", "Sârbu", "Surdu", "Șalaru",
            "Tănase", "Tudor", "Țurcanu"]  # fmt: skip
# The same names in English: diacritics count only between otherwise equal names.
ENGLISH = ["Albu", "Bălan", "Banu", "Bârcă", "Ichim", "Înculeț", "Istrati", "Șalaru", "Sandu", "Sârbu", "Surdu",
           "Tănase", "Tudor", "Țurcanu"]  # fmt: skip
# Cyrillic first, ё with е.
RUSSIAN = ["Абрамов", "Елкин", "Ёлкин", "Ерёмин", "Жуков", "Иванов", "Йовчев", "Яковлев", "Stabiņa"]


def shown_order(page, names):
    return sorted(names, key=page.index)


@pytest.fixture
def event_of(client):
    """An event whose confirmed participants have the given family names, and its administrator signed in."""

    def make(family_names):
        event = EventFactory(capacity=len(family_names))
        # Enrolled in reverse order, so an order by time or by row would not pass.
        for family_name in reversed(family_names):
            EnrollmentFactory(event=event, user=UserFactory(given_name="Maria", family_name=family_name))
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        return event

    return make


@pytest.mark.parametrize(("language", "expected"), [("ro", ROMANIAN), ("en", ENGLISH)])
def test_the_participants_list_sorts_names_in_the_pages_language(client, event_of, language, expected):
    event = event_of(ROMANIAN)
    client.cookies["django_language"] = language

    page = client.get(reverse("courses:participants", args=[event.pk])).content.decode()

    assert shown_order(page, [f"Maria {name}<" for name in ROMANIAN]) == [f"Maria {name}<" for name in expected]


def test_the_participants_list_in_russian_puts_cyrillic_first_and_yo_with_ye(client, event_of):
    event = event_of(RUSSIAN)
    client.cookies["django_language"] = "ru"

    page = client.get(reverse("courses:participants", args=[event.pk])).content.decode()

    assert shown_order(page, [f"Maria {name}<" for name in RUSSIAN]) == [f"Maria {name}<" for name in RUSSIAN]


def test_the_waiting_list_keeps_its_order_and_the_others_sort_by_name(client, event_of):
    event = event_of(["Țurcanu", "Bălan"])
    for family_name in ["Albu", "Zaharia"]:
        EnrollmentFactory(event=event, user=UserFactory(family_name=family_name), status=Enrollment.Status.WAITLISTED)
    Enrollment.objects.filter(user__family_name="Zaharia").update(waitlisted_at="2018-06-01T09:00Z")
    Enrollment.objects.filter(user__family_name="Albu").update(waitlisted_at="2018-06-01T10:00Z")
    client.cookies["django_language"] = "ro"

    page = client.get(reverse("courses:participants", args=[event.pk])).content.decode()

    assert shown_order(page, ["Bălan<", "Țurcanu<", "Zaharia<", "Albu<"]) == ["Bălan<", "Țurcanu<", "Zaharia<", "Albu<"]


def test_the_attendance_grid_and_reports_list_people_in_romanian_order(event_of):
    event = event_of(ROMANIAN)

    with translation.override("ro"):
        assert [enrollment.user.family_name for enrollment, _result in event_completions(event)] == ROMANIAN


def test_an_institution_filter_lists_institutions_in_romanian_order():
    names = ["Judecătoria Strășeni", "Judecătoria Ștefan Vodă", "Judecătoria Căușeni", "Judecătoria Soroca",
             "Judecătoria Chișinău", "Judecătoria Cahul", "Judecătoria Bălți", "Judecătoria Anenii Noi"]  # fmt: skip
    for name in names:
        InstitutionFactory(name=name)

    with translation.override("ro"):
        choices = [label for value, label in ParticipantFilter().form.fields["institution"].choices if value]

    assert choices == ["Judecătoria Anenii Noi", "Judecătoria Bălți", "Judecătoria Cahul", "Judecătoria Căușeni",
                       "Judecătoria Chișinău", "Judecătoria Soroca", "Judecătoria Strășeni",
                       "Judecătoria Ștefan Vodă"]  # fmt: skip


def test_a_region_filter_in_russian_sorts_the_russian_names_and_falls_back_to_another_language():
    RegionFactory(name="Bălți", name_ro="Bălți", name_ru="Бельцы")
    RegionFactory(name="Ștefan Vodă", name_ro="Ștefan Vodă", name_ru="Штефан-Водэ")
    RegionFactory(name="Anenii Noi", name_ro="Anenii Noi", name_ru="Новые Анены")
    RegionFactory(name="Edineț", name_ro="Edineț", name_ru="Единцы")
    RegionFactory(name="Zona Nouă", name_ro="Zona Nouă", name_ru="")

    with translation.override("ru"):
        choices = [label for value, label in EventFilter().form.fields["region"].choices if value]

    assert choices == ["Бельцы", "Единцы", "Новые Анены", "Штефан-Водэ", "Zona Nouă"]


@pytest.mark.parametrize("language", ["ro", "ru", "en"])
def test_the_database_and_python_sort_alike(language):
    """The statistics sort their labels in Python: the same order as the database's, on either database."""
    names = [*ROMANIAN, *RUSSIAN, "O'Brien", "Obrien", "Smith Jones", "Smith-Jones", "Lāsma", "Lasma", "banu", "ёлкин"]
    for name in names:
        InstitutionFactory(name=name)

    in_database = list(Institution.objects.order_by(Collated("name", language), "pk").values_list("name", flat=True))

    assert in_database == sorted(names, key=lambda name: sort_key(name, language))


def test_the_statistics_sort_institutions_by_label_in_the_pages_language():
    table = Table("institution", "By institution")
    for number, name in enumerate(["Tudor SRL", "Șalaru SRL", "Sandu SRL", "Bălan SRL", "Bârcă SRL"]):
        table.row((number,), lambda values, name=name: name, {})

    with translation.override("ro"):
        table.sort()

    assert [row.label for row in table.rows] == ["Bălan SRL", "Bârcă SRL", "Sandu SRL", "Șalaru SRL", "Tudor SRL"]
