from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Event
from courses.services import event_cancel, event_publish
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_an_event_cannot_end_before_it_starts():
    event = EventFactory.build(course=CourseFactory(), programme=ProgrammeFactory(), start_date=date(2027, 6, 5),
                               end_date=date(2027, 6, 4))  # fmt: skip
    assert errors_of(event)["end_date"] == ["The last day cannot be before the first day."]


def test_enrollment_must_close_before_the_event_starts():
    event = EventFactory.build(course=CourseFactory(), programme=ProgrammeFactory(), start_date=date(2027, 6, 4),
                               end_date=date(2027, 6, 5))  # fmt: skip
    event.enrollment_closes_at = datetime(2027, 6, 4, 9, 30, tzinfo=event.tz)
    assert errors_of(event)["enrollment_closes_at"] == ["Enrollment must close before the event starts."]
    event.enrollment_closes_at = datetime(2027, 6, 4, 8, 59, tzinfo=event.tz)
    event.enrollment_opens_at = datetime(2027, 6, 4, 9, 0, tzinfo=event.tz)
    assert errors_of(event)["enrollment_opens_at"] == ["Enrollment must open before it closes."]


def test_capacity_at_least_one_and_a_known_time_zone():
    event = EventFactory.build(course=CourseFactory(), programme=ProgrammeFactory(), capacity=0,
                               time_zone="Europe/Chisinaux")  # fmt: skip
    errors = errors_of(event)
    assert "Capacity must be at least 1." in errors["capacity"]
    assert errors["time_zone"] == ["“Europe/Chisinaux” is not a known time zone."]


def test_a_published_event_needs_a_programme():
    event = EventFactory.build(course=CourseFactory(), programme=None, status=Event.Status.PUBLISHED)
    assert errors_of(event)["programme"] == ["A published event needs a programme."]
    event.status = Event.Status.DRAFT
    event.full_clean()


def test_publishing_validates_and_cancelling_keeps_the_event_visible(client):
    draft = EventFactory(status=Event.Status.DRAFT, programme=None)
    with pytest.raises(ValidationError, match="A published event needs a programme."):
        event_publish(event=draft)
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    draft.programme = ProgrammeFactory()
    draft.save()
    event = event_publish(event=draft)
    assert event.status == Event.Status.PUBLISHED
    event_cancel(event=event)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "This event has been cancelled." in response.content.decode()
    with pytest.raises(ValidationError):
        event_cancel(event=event)


def test_event_page_tells_a_participant_what_they_need_to_decide(client):
    funder = InstitutionFactory(name="International Centre for Migration Policy Development")
    lead = InstitutionFactory(name="Ministry of the Interior of the Republic of Lithuania")
    programme = ProgrammeFactory(
        code="ICMPD/2018/MPF-240-003",
        funder=funder,
        lead_partner=lead,
        title_en="Enhancing Moldova's capacities in combating trafficking in human beings",
    )
    event = EventFactory(programme=programme, venue_name="General Police Inspectorate", capacity=30,
                         interpretation="English–Romanian")  # fmt: skip
    event.organisers.set([lead])
    lasma = FacilitatorFactory(name="Lāsma Stabiņa", bio_en="National coordinator in Latvia.")
    AgendaItemFactory(event=event, facilitators=[lasma])
    EnrollmentFactory.create_batch(2, event=event)
    page = client.get(event.get_absolute_url()).content.decode()
    for text in ["ICMPD/2018/MPF-240-003", "International Centre for Migration Policy Development",
                 "General Police Inspectorate", "English–Romanian", "28 left of 30", "Lāsma Stabiņa",
                 "National coordinator in Latvia.", "open now", "Judge"]:  # fmt: skip
        assert text in page, text


def test_event_page_is_translated_with_fallback(client):
    event = EventFactory(
        course=CourseFactory(title_en="Victim protection", title_ro="Protecția victimelor", title_ru="")
    )
    assert (
        "Protecția victimelor"
        in client.get(event.get_absolute_url(), headers={"accept-language": "ro"}).content.decode()
    )
    assert (
        "Victim protection" in client.get(event.get_absolute_url(), headers={"accept-language": "ru"}).content.decode()
    )


@pytest.mark.parametrize(("who", "status"), [(None, 404), ("participant", 404), ("other_trainer", 404),
                                            ("own_trainer", 200), ("administrator", 200)])  # fmt: skip
def test_a_draft_event_is_seen_only_by_its_trainers_and_administrators(client, who, status):
    own_trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(status=Event.Status.DRAFT, trainers=[own_trainer])
    users = {"participant": UserFactory(), "other_trainer": UserFactory(role=Role.TRAINER),
             "own_trainer": own_trainer, "administrator": UserFactory(role=Role.ADMINISTRATOR)}  # fmt: skip
    if who:
        client.force_login(users[who])
    assert client.get(event.get_absolute_url()).status_code == status


def test_course_page_lists_its_public_events(client):
    course = CourseFactory(title_en="Domestic violence", objectives_en="Apply protection orders.")
    EventFactory(course=course, city="Comrat")
    EventFactory(course=course, city="Secretville", status=Event.Status.DRAFT)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Apply protection orders." in page and "Comrat" in page and "Secretville" not in page
    course.is_active = False
    course.save()
    assert client.get(course.get_absolute_url()).status_code == 404


def test_facilitator_list_and_profile(client):
    jorn = FacilitatorFactory(name="Jorn van Rij", title="Dr", name_other_script="Йорн ван Рей",
                              organisation="Inholland University of Applied Sciences")  # fmt: skip
    event = EventFactory(course=CourseFactory(title_en="Intelligence-led policing"))
    AgendaItemFactory(event=event, facilitators=[jorn])
    hidden = EventFactory(course=CourseFactory(title_en="Draft course"), status=Event.Status.DRAFT)
    AgendaItemFactory(event=hidden, facilitators=[jorn])
    listing = client.get(reverse("courses:facilitators")).content.decode()
    assert "Dr Jorn van Rij" in listing and "Йорн ван Рей" in listing
    profile = client.get(jorn.get_absolute_url()).content.decode()
    assert "Inholland University of Applied Sciences" in profile
    assert "Intelligence-led policing" in profile and "Draft course" not in profile
    assert client.get(reverse("courses:facilitator", args=[99999])).status_code == 404


def test_course_threshold_is_between_1_and_100():
    course = Course(slug="x", title_en="X", activity_type="course", attendance_threshold=0)
    assert "attendance_threshold" in errors_of(course)


def test_administrator_publishes_and_cancels_from_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    ready = EventFactory(status=Event.Status.DRAFT)
    incomplete = EventFactory(status=Event.Status.DRAFT, programme=None)
    url = reverse("admin:courses_event_changelist")
    response = client.post(url, {"action": "publish", "_selected_action": [ready.pk, incomplete.pk]}, follow=True)
    page = response.content.decode()
    assert "1 event(s) published." in page
    assert "A published event needs a programme." in page
    ready.refresh_from_db(), incomplete.refresh_from_db()
    assert (ready.status, incomplete.status) == (Event.Status.PUBLISHED, Event.Status.DRAFT)
    client.post(url, {"action": "cancel", "_selected_action": [ready.pk]})
    ready.refresh_from_db()
    assert ready.status == Event.Status.CANCELLED


@pytest.mark.parametrize("model", ["course", "event", "programme", "facilitator", "theme", "enrollment"])
def test_admin_list_pages_search_and_filter(client, model):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    EnrollmentFactory()
    url = reverse(f"admin:courses_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Chișinău"}).status_code == 200


def test_enrollment_window_is_open_only_while_published_and_between_its_dates():
    event = EventFactory()
    assert event.is_enrollment_open()
    assert list(Event.objects.open_for_enrollment()) == [event]
    assert not event.is_enrollment_open(now=event.enrollment_closes_at + timedelta(seconds=1))
    assert list(Event.objects.open_for_enrollment(event.enrollment_closes_at)) == []
    event.status = Event.Status.CANCELLED
    event.save()
    assert not event.is_enrollment_open()
    assert list(Event.objects.open_for_enrollment()) == []
    assert timezone.is_aware(event.starts_at)
