from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import AnnualTarget, Course, Enrollment, Event, Programme
from courses.selectors import event_facilitators, event_for_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_the_2018_chisinau_training_with_its_programme_and_facilitators(demo):
    event = Event.objects.get(start_date=date(2018, 6, 4))
    assert (event.end_date, event.city, event.venue_name) == (
        date(2018, 6, 5),
        "Chișinău",
        "General Police Inspectorate",
    )
    programme = event.programme
    assert programme.code == "ICMPD/2018/MPF-240-003"
    assert programme.title_en == "Enhancing Moldova's capacities in combating trafficking in human beings"
    assert programme.funder.name == "International Centre for Migration Policy Development"
    assert programme.lead_partner.name == "Ministry of the Interior of the Republic of Lithuania"
    assert {p.name for p in programme.partners.all()} == {
        "Ministry of the Interior of the Republic of Latvia",
        "Ministry of Internal Affairs of the Republic of Moldova",
    }
    people = event_facilitators(event_for_page(Event.objects.all(), event.pk))
    assert [p.display_name for p in people] == ["Lāsma Stabiņa", "Ian Sweet", "Dr Jorn van Rij"]


def test_the_mission_courses_are_upcoming_across_regions_in_three_languages(demo):
    upcoming = Event.objects.filter(status=Event.Status.PUBLISHED, start_date__gte=timezone.localdate())
    assert {"Bălți", "Cahul", "Comrat", "Chișinău"} <= set(upcoming.values_list("city", flat=True))
    meetings = upcoming.filter(course__activity_type=Course.ActivityType.COORDINATION_MEETING, city="Chișinău")
    assert len({(e.start_date.year, e.start_date.month) for e in meetings}) == meetings.count() >= 4
    for course in Course.objects.all():
        assert course.title_en and course.title_ro and course.title_ru, course.slug


def test_seeding_twice_adds_nothing(demo):
    counts = Event.objects.count(), Course.objects.count(), Programme.objects.count()
    call_command("seed_demo")
    assert (Event.objects.count(), Course.objects.count(), Programme.objects.count()) == counts


def test_the_2018_training_is_closed_with_its_participants_and_attendance(demo):
    event = Event.objects.get(start_date=date(2018, 6, 4))
    assert event.status == Event.Status.COMPLETED
    confirmed = event.enrollments.filter(status="confirmed")
    assert confirmed.count() >= 12
    assert all(enrollment.attendance.count() == 2 for enrollment in confirmed)
    assert confirmed.filter(completed=True).count() > confirmed.filter(completed=False).count() > 0
    assert confirmed.get(user__email="judge@sinergia.test").credit_hours == 9.5


def test_upcoming_events_have_enrollments_and_one_awaits_endorsement(demo):
    upcoming = Enrollment.objects.filter(event__start_date__gte=timezone.localdate())
    assert upcoming.filter(status="confirmed").count() >= 3
    assert upcoming.filter(status="requested", awaits_endorsement=True).exists()
    assert AnnualTarget.objects.get(profession="judge").total_hours == 40
