"""The figures of completed events counted once (stats/rollup.py) are those counted live, before and after
what changes them."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.models import Enrollment, Event
from courses.services.enrollment import enrollment_cancel
from lms.models import Audience, User
from lms.roles import Role
from privacy.erasure import person_erase
from stats import figures, rollup
from stats.filters import StatsFilter
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
COUNTS = ["participations", "women", "men", "sex_other", "persons", "closed", "attended", "scheduled", "completed",
          "certificates", "hours", "planned", "held", "cancelled"]  # fmt: skip


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def history():
    """Completed, open and cancelled events over two years; people in several of them, some in the same region,
    theme and month both in a completed and in an open event, some without institution or region."""
    chance = random.Random(20)
    institutions = [InstitutionFactory(), InstitutionFactory(), None]
    regions = [RegionFactory(), RegionFactory(), None]
    themes = [ThemeFactory(), ThemeFactory()]
    courses = [CourseFactory(themes=themes[:1]), CourseFactory(themes=themes), CourseFactory(themes=[])]
    people = [UserFactory(sex=chance.choice(User.Sex.values), profession=chance.choice(Audience.values),
                          institution=chance.choice(institutions)) for _n in range(24)]  # fmt: skip
    for n in range(16):
        start = date(2025, 1, 6) + timedelta(days=19 * n)
        status = [Event.Status.COMPLETED] * 3 + [Event.Status.PUBLISHED, Event.Status.CANCELLED]
        event = EventFactory(course=chance.choice(courses), region=chance.choice(regions), start_date=start,
                             end_date=start + timedelta(days=1), status=chance.choice(status))  # fmt: skip
        for person in chance.sample(people, 9):
            attended = chance.randint(0, 2)
            enrollment = EnrollmentFactory(
                event=event, user=person, status=chance.choice([Enrollment.Status.CONFIRMED] * 4 + ["cancelled"]),
                # A person who moved: the enrollment keeps the institution they asked from.
                institution=chance.choice(institutions), attended_days=attended, scheduled_days=2,
                credit_hours=Decimal(attended * 6), completed=attended == 2, attendance_rate=Decimal(attended * 50),
            )  # fmt: skip
            if attended == 2 and event.status == Event.Status.COMPLETED:
                Certificate.objects.create(enrollment=enrollment, kind="completion", language="en", printed_name="P",
                                           course_title="C", event_title="C", start_date=start, end_date=start,
                                           credit_hours=12, attendance_rate=100, issuer="Sinergia")  # fmt: skip
    return people


def tables(frozen, by):
    filterset = StatsFilter(None, queryset=Event.objects.none())
    counted = figures.breakdowns(filterset.enrollments(), filterset.events(), by, frozen)
    return {table.name: [(row.key, row.label, [getattr(row, name) for name in COUNTS]) for row in table.rows]
            for table in counted}  # fmt: skip


def assert_counted_once_as_live():
    rollup.rollup_build()
    for by in ("month", "quarter"):
        frozen = rollup.frozen_rows(by)
        assert frozen is not None
        assert tables(frozen, by) == tables(None, by)


def test_the_figures_counted_once_are_those_counted_live(history):
    assert_counted_once_as_live()
    # Some persons are counted in both: the open events add participations, but not all of their persons.
    live = tables(None, "month")
    frozen = tables(rollup.frozen_rows("month"), "month")
    assert sum(row[2][4] for row in live["region"]) == sum(row[2][4] for row in frozen["region"]) > 0


def test_until_counted_again_after_a_change_the_page_counts_live(history):
    rollup.rollup_build()
    completed = Enrollment.objects.filter(event__status=Event.Status.COMPLETED, status="confirmed").first()
    enrollment_cancel(enrollment=completed, actor=UserFactory(role=Role.ADMINISTRATOR), note="Not there")
    assert rollup.frozen_rows() is None
    assert_counted_once_as_live()


@pytest.mark.parametrize("change", ["revoke", "sex", "erase", "themes", "close"])
def test_each_change_of_a_completed_event_figures_is_followed(history, change):
    rollup.rollup_build()
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    certificate = Certificate.objects.select_related("enrollment__user").first()
    person = certificate.enrollment.user
    if change == "revoke":
        certificate_revoke(certificate=certificate, actor=administrator, reason="Issued by mistake")
    elif change == "sex":
        person.sex = User.Sex.FEMALE if person.sex != User.Sex.FEMALE else User.Sex.MALE
        person.save()
    elif change == "erase":
        person_erase(person=person, keep_certificates=False, actor=administrator)
    elif change == "themes":
        certificate.enrollment.event.course.themes.set([ThemeFactory()])
    else:
        event = Event.objects.filter(status=Event.Status.PUBLISHED).first()
        event.status = Event.Status.COMPLETED
        event.save()
    assert rollup.frozen_rows() is None
    assert_counted_once_as_live()


def test_the_page_shows_the_same_figures_counted_once_or_live(client, history):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))

    def shown():
        response = client.get(reverse("stats:index"))
        assert response.status_code == 200
        # The form's token changes with each response; the figures are the rest.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    live = shown()
    rollup.rollup_build()
    assert rollup.frozen_rows() is not None
    assert shown() == live
