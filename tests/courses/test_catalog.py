import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Event
from lms.models import Audience
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, RegionFactory, ThemeFactory

pytestmark = pytest.mark.django_db
CATALOG = reverse("courses:catalog")


def titles(response):
    return [course.title for course in response.context["page"]]


@pytest.fixture
def catalog():
    """Four courses with events that differ in one respect each."""
    today = timezone.localdate()
    balti, cahul = RegionFactory(name="Bălți"), RegionFactory(name="Cahul")
    trafficking = ThemeFactory(slug="trafficking", name_en="Trafficking")
    violence = ThemeFactory(slug="violence", name_en="Domestic violence")
    judges = CourseFactory(
        title_en="Preventing trafficking in children",
        title_ro="Prevenirea traficului de copii",
        audiences=[Audience.JUDGE],
        themes=[trafficking],
    )
    police = CourseFactory(
        title_en="Domestic violence investigation",
        title_ru="Расследование насилия в семье",
        audiences=[Audience.POLICE_OFFICER, Audience.PROSECUTOR],
        themes=[violence],
        activity_type=Course.ActivityType.SEMINAR,
    )
    online = CourseFactory(title_en="Migration policy", audiences=[Audience.PROSECUTOR])
    idle = CourseFactory(title_en="Gender equality", audiences=[Audience.JUDGE])
    EventFactory(course=judges, region=balti, start_date=today + timedelta(days=40), working_language="ro")
    EventFactory(course=police, region=cahul, start_date=today + timedelta(days=10), working_language="ru")
    EventFactory(
        course=online,
        region=None,
        format=Event.Format.ONLINE,
        working_language="en",
        start_date=today + timedelta(days=20),
        enrollment_opens_at=timezone.now() + timedelta(days=5),
    )
    return {"judges": judges, "police": police, "online": online, "idle": idle, "balti": balti, "cahul": cahul,
            "trafficking": trafficking}  # fmt: skip


def test_courses_are_sorted_by_next_event_then_those_without_one(client, catalog):
    response = client.get(CATALOG)
    assert titles(response) == [
        "Domestic violence investigation",
        "Migration policy",
        "Preventing trafficking in children",
        "Gender equality",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"audience": "judge"}, ["Preventing trafficking in children", "Gender equality"]),
        ({"audience": "prosecutor"}, ["Domestic violence investigation", "Migration policy"]),
        ({"activity_type": "seminar"}, ["Domestic violence investigation"]),
        ({"format": "online"}, ["Migration policy"]),
        ({"language": "ru"}, ["Domestic violence investigation"]),
        ({"open_now": "on"}, ["Domestic violence investigation", "Preventing trafficking in children"]),
        ({"q": "trafic"}, ["Preventing trafficking in children"]),
        ({"q": "насилия"}, ["Domestic violence investigation"]),
        ({"audience": "prosecutor", "format": "in_person"}, ["Domestic violence investigation"]),
        ({"audience": "judge", "language": "ru"}, []),
    ],
)
def test_each_filter_and_combinations_return_exactly_the_right_courses(client, catalog, params, expected):
    assert titles(client.get(CATALOG, params)) == expected


def test_theme_and_region_filters(client, catalog):
    assert titles(client.get(CATALOG, {"theme": catalog["trafficking"].pk})) == ["Preventing trafficking in children"]
    assert titles(client.get(CATALOG, {"region": catalog["cahul"].pk})) == ["Domestic violence investigation"]


def test_date_range_filter_shows_events_overlapping_the_range(client, catalog):
    today = timezone.localdate()
    params = {"date_from": str(today + timedelta(days=15)), "date_to": str(today + timedelta(days=25))}
    assert titles(client.get(CATALOG, params)) == ["Migration policy"]


def test_past_events_appear_when_dates_ask_for_them(client, catalog):
    past = EventFactory(course=catalog["idle"], start_date=timezone.localdate() - timedelta(days=100))
    assert titles(client.get(CATALOG, {"audience": "judge"}))[-1] == "Gender equality"
    response = client.get(CATALOG, {"date_to": str(timezone.localdate() - timedelta(days=1))})
    assert titles(response) == ["Gender equality"]
    assert response.context["page"][0].shown_events == [past]


def test_each_course_shows_its_next_events_with_seats_left(client, catalog):
    event = catalog["judges"].events.get()
    EnrollmentFactory.create_batch(3, event=event)
    EnrollmentFactory(event=event, status="waitlisted")
    page = client.get(CATALOG, {"audience": "judge"}).content.decode()
    assert "17 seats left" in page


def test_drafts_never_appear_and_cancelled_events_appear_marked(client, catalog):
    EventFactory(course=catalog["idle"], status=Event.Status.DRAFT)
    assert titles(client.get(CATALOG, {"format": "in_person", "audience": "judge"})) == [
        "Preventing trafficking in children"
    ]
    EventFactory(course=catalog["idle"], status=Event.Status.CANCELLED)
    page = client.get(CATALOG).content.decode()
    assert "Cancelled" in page


def test_bad_query_parameters_give_the_page_with_a_message(client, catalog):
    response = client.get(CATALOG, {"region": "abc", "date_from": "31-31-2020", "audience": "astronaut", "page": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were not understood and were left out" in page
    assert len(titles(response)) == 4


def test_filters_live_in_the_url_and_pagination_keeps_them(client):
    course_ids = [CourseFactory(audiences=[Audience.JUDGE]).pk for _ in range(25)]
    CourseFactory(audiences=[Audience.POLICE_OFFICER])
    response = client.get(CATALOG, {"audience": "judge"})
    assert response.context["page"].paginator.count == len(course_ids)
    assert 'href="?audience=judge&amp;page=2"' in response.content.decode()
    assert len(titles(client.get(CATALOG, {"audience": "judge", "page": 2}))) == 5


@pytest.mark.parametrize(
    ("asked", "shown"), [("2", 2), ("1", 1), ("9", 2), ("0", 2), ("-1", 2), ("x", 1), ("2.0", 1), ("", 1)]
)
def test_a_page_out_of_range_shows_the_last_and_one_not_understood_the_first(client, asked, shown):
    for _ in range(25):
        CourseFactory()
    page = client.get(CATALOG, {"page": asked}).context["page"]
    assert (page.number, page.paginator.count, len(page)) == (shown, 25, [20, 5][shown - 1])


def test_courses_narrowed_by_their_events_are_counted_and_paged_alike(client):
    for _ in range(25):
        EventFactory(format=Event.Format.ONLINE)
    EventFactory(format=Event.Format.IN_PERSON)
    CourseFactory()
    for asked, shown in [("2", 2), ("9", 2), ("x", 1)]:
        page = client.get(CATALOG, {"format": "online", "page": asked}).context["page"]
        assert (page.number, page.paginator.count, len(page)) == (shown, 25, [20, 5][shown - 1])
    assert client.get(CATALOG).context["page"].paginator.count == 27


def test_a_catalog_without_courses_shows_an_empty_first_page(client):
    response = client.get(CATALOG, {"page": "3"})
    assert (response.context["page"].number, response.context["page"].paginator.count) == (1, 0)
    assert "No course matches these filters." in response.content.decode()


def test_text_search_falls_back_to_the_language_a_course_was_written_in(client):
    CourseFactory(title_en="", title_ro="Drepturile victimelor", slug="victime")
    response = client.get(CATALOG, {"q": "victimelor"}, headers={"accept-language": "ru"})
    assert "Drepturile victimelor" in response.content.decode()


@pytest.mark.parametrize(
    "text", ["расследование НАСИЛИЯ", "РАССЛЕДОВАНИЕ", "PREVENIREA TRAFICULUI", "prevenirea", "ășț_%"]
)
def test_text_search_ignores_case_in_every_alphabet(client, catalog, text):
    CourseFactory(title_en="", title_ro="Înțelegerea ĂȘȚ_% din lege", slug="diacritics")
    found = titles(client.get(CATALOG, {"q": text}, headers={"accept-language": "ru"}))
    police, judges = "Расследование насилия в семье", "Preventing trafficking in children"  # as shown in Russian
    expected = {"расследование НАСИЛИЯ": [police], "РАССЛЕДОВАНИЕ": [police], "PREVENIREA TRAFICULUI": [judges],
                "prevenirea": [judges], "ășț_%": ["Înțelegerea ĂȘȚ_% din lege"]}  # fmt: skip
    assert found == expected[text]


def count_queries(client, params=None):
    """The queries of a first visitor's request: nothing drawn and cached yet."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CATALOG, params or {}).status_code == 200
    return len(queries)


def test_the_catalog_runs_the_same_number_of_queries_at_1_and_50_events(client):
    theme = ThemeFactory()
    EventFactory(course=CourseFactory(themes=[theme]))
    one = count_queries(client), count_queries(client, {"audience": "judge", "open_now": "on"})
    for _ in range(49):
        event = EventFactory(course=CourseFactory(themes=[theme], audiences=[Audience.JUDGE, Audience.PROSECUTOR]))
        EnrollmentFactory(event=event)
    many = count_queries(client), count_queries(client, {"audience": "judge", "open_now": "on"})
    assert one == many
    assert many[0] <= 7


def test_a_cached_course_card_changes_as_soon_as_what_it_shows_changes(client):
    event = EventFactory(course=CourseFactory(title_en="Victim protection"), capacity=20)
    assert "20 seats left" in client.get(CATALOG).content.decode()
    EnrollmentFactory(event=event)
    assert "19 seats left" in client.get(CATALOG).content.decode()
    course = event.course
    course.title_en = "Victim protection and assistance"
    course.save()
    assert "Victim protection and assistance" in client.get(CATALOG).content.decode()
    event.status = Event.Status.CANCELLED
    event.save()
    assert "Cancelled" in client.get(CATALOG).content.decode()

    course.title_ru = "Защита жертв"
    course.save()
    assert "Victim protection and assistance" in client.get(CATALOG).content.decode()
    assert "Защита жертв" in client.get(CATALOG, headers={"accept-language": "ru"}).content.decode()


def test_a_chosen_region_is_shown_selected_and_an_unknown_one_is_refused_with_a_message(client, catalog):
    cahul = catalog["cahul"].pk
    page = client.get(CATALOG, {"region": cahul}).content.decode()
    assert f'<option value="{cahul}" selected>' in page
    response = client.get(CATALOG, {"region": 987654, "theme": "x"})
    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice") == 2
    assert titles(response) == titles(client.get(CATALOG))  # the refused fields narrow nothing


def test_the_filter_form_shows_each_request_its_own_choices_once_drawn(client, catalog):
    cahul, balti = catalog["cahul"].pk, catalog["balti"].pk
    for region, other in [(cahul, balti), (balti, cahul), (cahul, balti)]:
        page = client.get(CATALOG, {"region": region, "audience": "judge"}).content.decode()
        assert f'<option value="{region}" selected>' in page
        assert f'<option value="{other}">' in page
        assert '<option value="judge" selected>' in page
    form = client.get(CATALOG).content.decode().split('id="filter-heading"')[1]
    assert not re.search(r'<option value="[^"]+" selected>', form)
    for _ in range(2):  # a refused value is refused again, with its message, when the form comes from the cache
        assert client.get(CATALOG, {"region": 987654}).content.decode().count("Select a valid choice") == 1


def test_a_renamed_or_new_region_or_theme_shows_in_the_filter_form_at_once(
    client, catalog, django_capture_on_commit_callbacks
):
    assert "Florești" not in client.get(CATALOG).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        region = catalog["cahul"]
        region.name = "Florești"
        region.save()
    assert "Florești" in client.get(CATALOG).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ThemeFactory(slug="corruption", name_en="Anti-corruption")
    assert "Anti-corruption" in client.get(CATALOG).content.decode()


def test_the_filter_form_speaks_the_page_language_once_drawn(client, catalog):
    assert "Activity type" in client.get(CATALOG).content.decode()
    assert "Activity type" not in client.get(CATALOG, headers={"accept-language": "ro"}).content.decode()
    assert "Activity type" in client.get(CATALOG).content.decode()
