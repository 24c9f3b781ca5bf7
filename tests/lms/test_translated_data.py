"""Names of institutions, regions and places, and session titles, in the reader's language or the one they have."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from lms import demo
from lms.models import Institution, Region
from lms.roles import Role
from tests.courses.test_agenda_pdf import pdf_text
from tests.factories import (
    AgendaItemFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

POLICE = {
    "name_en": "General Police Inspectorate",
    "name_ro": "Inspectoratul General al Poliției",
    "name_ru": "Генеральный инспекторат полиции",
}
BALTI = {"name_en": "Bălți", "name_ro": "Bălți", "name_ru": "Бельцы"}


def page(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event():
    """An event whose funder, region, venue, city and facilitator are named in three languages."""
    police = InstitutionFactory(**POLICE, kind=Institution.Kind.POLICE)
    event = EventFactory(
        programme=ProgrammeFactory(funder=police),
        region=RegionFactory(**BALTI),
        venue_name_en="Palace of the Republic",
        venue_name_ro="Palatul Republicii",
        venue_name_ru="Дворец Республики",
        city_en="Balti",
        city_ro="Bălți",
        city_ru="Бельцы",
    )
    expert = FacilitatorFactory(
        position_en="Senior lecturer", position_ro="Lector superior", position_ru="Старший преподаватель"
    )
    AgendaItemFactory(event=event, facilitators=[expert])
    return event


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", ["General Police Inspectorate", "Palace of the Republic", "Balti", "(Bălți)", "Senior lecturer"]),
        ("ro", ["Inspectoratul General al Poliției", "Palatul Republicii", "Bălți", "Lector superior"]),
        # The city is written once when the region has the same name.
        ("ru", ["Генеральный инспекторат полиции", "Дворец Республики", "Бельцы", "Старший преподаватель"]),
    ],
)
def test_the_event_page_names_funder_region_place_and_position_in_the_readers_language(client, event, language,
                                                                                     shown):  # fmt: skip
    content = page(client, event.get_absolute_url(), language)
    for text in shown:
        assert text in content, (language, text)
    others = {code: value for code, value in POLICE.items() if code != f"name_{language}"}
    assert not any(name in content for name in others.values())


def test_a_name_missing_in_russian_falls_back_to_one_it_has(client):
    funder = InstitutionFactory(name_en="Supreme Court of Justice", name_ro="Curtea Supremă de Justiție")
    event = EventFactory(programme=ProgrammeFactory(funder=funder), city_en="", city_ro="Cahul", city_ru="")
    content = page(client, event.get_absolute_url(), "ru")
    assert "Supreme Court of Justice" in content
    assert "Cahul" in content


def test_the_statistics_name_institutions_and_regions_in_the_readers_language(client):
    police = InstitutionFactory(**POLICE)
    court = InstitutionFactory(name_en="", name_ro="Judecătoria Cahul", name_ru="")
    cahul = RegionFactory(name_en="Cahul", name_ro="Cahul", name_ru="Кагул")
    balti = RegionFactory(name_en="", name_ro="Bălți", name_ru="")
    for institution, region in [(police, cahul), (court, balti)]:
        EnrollmentFactory(event=EventFactory(region=region), user=UserFactory(institution=institution))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, preferred_language="ru"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    tables = {table.name: table for table, _chart in client.get(reverse("stats:index")).context["tables"]}
    assert {row.label for row in tables["institution"].rows} == {"Генеральный инспекторат полиции", "Judecătoria Cahul"}
    assert {row.label for row in tables["region"].rows} == {"Кагул", "Bălți"}
    assert all(row.participations == 1 for row in tables["region"].rows)


def test_the_demo_names_moldovas_regions_and_its_institutions_in_three_languages():
    demo.seed_regions()
    demo.seed_institutions()
    chisinau = Region.objects.get(name_ro="Chișinău")
    assert (chisinau.name_en, chisinau.name_ru) == ("Chișinău", "Кишинёв")
    gagauzia = Region.objects.get(name_ro="UTA Găgăuzia")
    assert (gagauzia.name_en, gagauzia.name_ru) == ("Gagauzia ATU", "АТО Гагаузия")
    assert Region.objects.get(name_ru="Левобережье Днестра").name_en == "Left Bank of the Dniester"
    assert Region.objects.count() == 37
    assert not Region.objects.filter(name_ro="") and not Region.objects.filter(name_ru="")
    assert not Institution.objects.filter(name_ro="") and not Institution.objects.filter(name_ru="")
    assert Institution.objects.get(name_en="Prosecutor General's Office").name_ru == "Генеральная прокуратура"
    demo.seed_regions()
    demo.seed_institutions()
    assert Region.objects.count() == 37


def test_a_demo_seeded_with_english_names_only_gets_the_others_without_a_copy():
    RegionFactory(name_en="UTA Găgăuzia", name_ro="", name_ru="")
    demo.seed_regions()
    assert (
        Region.objects.filter(kind=Region.Kind.AUTONOMOUS_UNIT).count()
        == 1
        == Region.objects.filter(name_en="Gagauzia ATU", name_ro="UTA Găgăuzia").count()
    )


def test_a_session_titled_in_romanian_only_is_shown_on_the_english_page_marked_as_romanian(client):
    event = EventFactory(start_date=date(2030, 6, 4), end_date=date(2030, 6, 4))
    AgendaItemFactory(event=event, title_en="", title_ro="Pauză de cafea")
    AgendaItemFactory(event=event, title_en="Opening", title_ro="Deschidere", starts_at="11:00", ends_at="12:00")
    content = page(client, event.get_absolute_url(), "en")
    assert '<strong lang="ro">Pauză de cafea</strong> <span class="muted">(in Romanian)</span>' in content
    assert "<strong>Opening</strong>" in content
    assert "Deschidere" not in content
    romanian = page(client, event.get_absolute_url(), "ro")
    assert "<strong>Pauză de cafea</strong>" in romanian


def test_the_agenda_builder_marks_a_title_in_another_language(client):
    event = EventFactory()
    AgendaItemFactory(event=event, title_en="", title_ru="Кофе-брейк")
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, preferred_language="en"))
    content = page(client, reverse("courses:agenda", args=[event.pk]), "en")
    assert '<strong lang="ru">Кофе-брейк</strong> <span class="muted">(in Russian)</span>' in content


def admin_add(client, **names):
    data = {"name_en": "", "name_ro": "", "name_ru": "", "kind": Institution.Kind.COURT, "country": "MD", **names}
    return client.post(reverse("admin:lms_institution_add"), data)


def test_the_admin_keeps_names_unique_in_each_language_and_asks_for_one(client):
    InstitutionFactory(name_en="Cahul District Court", name_ro="Judecătoria Cahul", name_ru="")
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    before = Institution.objects.count()
    assert admin_add(client, name_en="Comrat District Court").status_code == 302
    assert not Institution.objects.get(name_en="Comrat District Court").name_ru
    response = admin_add(client, name_en="Cahul court", name_ro="Judecătoria Cahul")
    assert "An institution with this name already exists." in response.content.decode()
    response = admin_add(client)
    assert "Give the name in at least one language." in response.content.decode()
    assert Institution.objects.count() == before + 1
    found = client.get(reverse("admin:lms_institution_changelist"), {"q": "Judecătoria"}).content.decode()
    assert "Cahul District Court" in found


def test_the_catalog_names_each_events_place_in_the_readers_language(client, event):
    online = EventFactory(course=event.course, region=event.region, city_en="", city_ro="", city_ru="")
    assert online.city == ""
    catalog = reverse("courses:catalog")
    russian = page(client, catalog, "ru")
    assert "· Бельцы" in russian and "Balti" not in russian
    english = page(client, catalog, "en")
    assert "· Balti" in english and "· Bălți" in english and "Бельцы" not in english


def test_the_printable_agenda_marks_a_title_in_another_language(client):
    event = EventFactory()
    AgendaItemFactory(event=event, title_en="", title_ro="Deschidere și cuvânt de salut")
    AgendaItemFactory(event=event, title_en="Closing", starts_at="11:00", ends_at="12:00")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("courses:agenda_pdf", args=[event.pk]))
    text = "".join(pdf_text(response).split())
    assert "Deschidereșicuvântdesalut(inRomanian)" in text
    assert "Closing(in" not in text
