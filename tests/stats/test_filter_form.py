"""The filter form of /stats/, drawn once and then read from the cache, as the catalog's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.roles import Role
from tests.factories import (
    CourseFactory,
    EventFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STATS = reverse("stats:index")


@pytest.fixture
def world():
    court, balti = InstitutionFactory(name="Court"), RegionFactory(name="Bălți")
    programme = ProgrammeFactory(code="ICMPD/2018/MPF-240-003")
    course = CourseFactory(title_en="Victim protection")
    EventFactory(course=course, programme=programme, region=balti)
    return {"court": court, "balti": balti, "programme": programme, "course": course}


def visit(client, params=None):
    """The page, its CSRF tokens left out (new on each page), and how many queries it read."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATS, params or {})
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()), len(queries)


def form_of(page):
    return page.split('id="filter-heading"')[1].split("</form>")[0]


def test_the_form_drawn_from_the_cache_is_the_same_and_reads_fewer_queries(client, world):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    for params in [{}, {"region": world["balti"].pk, "date_from": "2024-01-01"}, {"region": 987654}]:
        drawn, drawing = visit(client, params)
        cached, reading = visit(client, params)
        assert cached == drawn
        assert reading < drawing
    # A refused value is refused again, with its message, when the form comes from the cache.
    assert form_of(visit(client, {"region": 987654})[0]).count("Select a valid choice") == 1
    assert f'<option value="{world["balti"].pk}" selected>' in form_of(visit(client, {"region": world["balti"].pk})[0])


def test_a_focal_points_form_has_no_institution_field_once_drawn_for_an_administrator(client, world):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=world["court"])
    for user, shown in [(administrator, True), (focal_point, False), (administrator, True), (focal_point, False)]:
        client.force_login(user)
        assert ('name="institution"' in form_of(visit(client, {"institution": world["court"].pk})[0])) == shown


@pytest.mark.parametrize("renamed", ["programme", "course", "institution", "region"])
def test_a_renamed_choice_shows_in_the_form_at_once(client, world, renamed, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert "Renamed" not in form_of(visit(client)[0])
    row = world["court" if renamed == "institution" else "balti" if renamed == "region" else renamed]
    field = {"programme": "title_en", "course": "title_en"}.get(renamed, "name_en")
    setattr(row, field, "Renamed")
    with django_capture_on_commit_callbacks(execute=True):
        row.save()
    assert "Renamed" in form_of(visit(client)[0])
