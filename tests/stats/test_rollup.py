"""The figures of completed events counted once (stats/rollup.py) are those counted live, before and after
what changes them."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.models import Enrollment, Event
from courses.services.enrollment import enrollment_cancel
from lms.models import Audience, User
from lms.roles import Role
from privacy.erasure import person_erase
from stats import counting, figures, rollup
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


def test_with_no_event_open_the_figures_counted_once_are_those_counted_live(history):
    # Without signals, as a bulk correction would: open events do not count among the completed ones.
    Event.objects.filter(status=Event.Status.PUBLISHED).update(status=Event.Status.CANCELLED)
    assert_counted_once_as_live()


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


def counted_by_hand(filterset, by):
    """Each table's figures, {table: {key: counts}}, counted in Python from the participations one by one."""
    tables = {}
    participations = filterset.enrollments().select_related("user", "event__course", "certificate")
    for enrollment in participations.prefetch_related("event__course__themes"):
        event, start = enrollment.event, enrollment.event.start_date
        month = (start.month - 1) // 3 * 3 + 1 if by == "quarter" else start.month
        themes = [theme.pk for theme in event.course.themes.all()] or [None]
        keys = [("sex", enrollment.user.sex), ("profession", enrollment.profession),
                ("institution", enrollment.institution_id), ("region", event.region_id),
                ("time", date(start.year, month, 1)), *(("theme", theme) for theme in themes)]  # fmt: skip
        closed = event.status == Event.Status.COMPLETED
        certificate = getattr(enrollment, "certificate", None)
        for table, key in keys:
            counts = tables.setdefault(table, {}).setdefault(key, {**dict.fromkeys(COUNTS[:-3], 0), "persons": set()})
            counts["participations"] += 1
            sex = {User.Sex.FEMALE: "women", User.Sex.MALE: "men"}.get(enrollment.user.sex, "sex_other")
            counts[sex] += 1
            counts["persons"].add(enrollment.user_id)
            counts["closed"] += closed
            counts["attended"] += (enrollment.attended_days or 0) * closed
            counts["scheduled"] += (enrollment.scheduled_days or 0) * closed
            counts["completed"] += bool(closed and enrollment.completed)
            counts["hours"] += (enrollment.credit_hours or 0) * closed
            counts["certificates"] += certificate is not None and certificate.revoked_at is None
    for rows in tables.values():
        for counts in rows.values():
            counts["persons"] = len(counts["persons"])
    return tables


@pytest.mark.parametrize(
    "filters",
    [{}, {"region": 0}, {"date_from": "2025-03-01", "date_to": "2025-09-30"}, {"institution": 0}, {"theme": 1},
     {"audience": Audience.JUDGE}, {"region": 1, "theme": 0}],
)  # fmt: skip
@pytest.mark.parametrize("by", ["month", "quarter"])
def test_the_figures_under_filters_are_those_counted_one_by_one(history, filters, by):
    """Counted in one statement for all tables (stats/counting.py), persons distinct in each row."""
    certificate_revoke(certificate=Certificate.objects.first(), actor=UserFactory(role=Role.ADMINISTRATOR),
                       reason="Issued by mistake")  # fmt: skip
    # Regions, themes and institutions are given by their rank among those of the fixture's events.
    chosen = {name: sorted(set(queryset.values_list(field, flat=True)) - {None}) for name, queryset, field in [
        ("region", Event.objects, "region"), ("theme", Event.objects, "course__themes"),
        ("institution", Enrollment.objects, "institution")]}  # fmt: skip
    data = {name: chosen[name][value] if name in chosen else value for name, value in filters.items()}
    filterset = StatsFilter(data, queryset=Event.objects.none())
    counted = counting.participations(filterset.enrollments(), by)
    found = {table: {values[counting.KEYS[table][0]]: {name: values[name] or 0 for name in COUNTS[:-3]}
                     for values in rows}  # fmt: skip
             for table, rows in counted.items() if rows}  # fmt: skip
    assert found == counted_by_hand(filterset, by)
    assert found, "the filters leave something to count"
