from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import AgendaItem, Enrollment, Event
from courses.services import event_clone, event_create, event_update
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHISINAU = Event._meta.get_field("time_zone").default


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def trainer():
    return UserFactory(role=Role.TRAINER)


def fields(**changes):
    return {
        "course": CourseFactory(),
        "start_date": date(2027, 6, 4),
        "end_date": date(2027, 6, 5),
        "time_zone": "Europe/Chisinau",
        "city_en": "Chisinau",
        "working_language": "ro",
        "capacity": 30,
    } | changes


# Services


def test_an_administrator_creates_a_draft_whose_enrollment_closes_two_days_before_at_six_pm(admin, trainer):
    organiser = InstitutionFactory()
    event = event_create(fields=fields(), trainers=[trainer], organisers=[organiser], actor=admin)
    assert event.status == Event.Status.DRAFT
    assert list(event.trainers.all()) == [trainer]
    assert list(event.organisers.all()) == [organiser]
    assert event.enrollment_closes_at == datetime(2027, 6, 2, 18, 0, tzinfo=event.tz)


def test_only_administrators_create_events(trainer):
    with pytest.raises(ValidationError):
        event_create(fields=fields(), trainers=[], organisers=[], actor=trainer)
    assert not Event.objects.exists()


def test_trainers_are_chosen_among_people_with_the_trainer_role(admin):
    participant = UserFactory()
    with pytest.raises(ValidationError) as caught:
        event_create(fields=fields(), trainers=[participant], organisers=[], actor=admin)
    assert "trainers" in caught.value.message_dict
    assert not Event.objects.exists()


def test_an_invalid_event_is_refused_and_nothing_is_saved(admin):
    with pytest.raises(ValidationError) as caught:
        event_create(fields=fields(end_date=date(2027, 6, 3)), trainers=[], organisers=[], actor=admin)
    assert caught.value.message_dict["end_date"] == ["The last day cannot be before the first day."]
    assert not Event.objects.exists()


def test_updating_an_event_changes_its_settings_and_capacity_moves_the_waiting_list(admin, trainer):
    event = EventFactory(capacity=1)
    EnrollmentFactory(event=event, status=Enrollment.Status.CONFIRMED)
    waiting = EnrollmentFactory(event=event, status=Enrollment.Status.WAITLISTED)
    event_update(
        event=event, fields={"city_en": "Bălți", "capacity": 2}, trainers=[trainer], organisers=[], actor=admin
    )
    event.refresh_from_db()
    waiting.refresh_from_db()
    assert (event.city_en, event.capacity, list(event.trainers.all())) == ("Bălți", 2, [trainer])
    assert waiting.status == Enrollment.Status.CONFIRMED


def test_a_refused_update_changes_nothing(admin):
    event = EventFactory(capacity=2)
    EnrollmentFactory.create_batch(2, event=event, status=Enrollment.Status.CONFIRMED)
    with pytest.raises(ValidationError):
        event_update(event=event, fields={"city_en": "Cahul", "capacity": 1}, trainers=[], organisers=[], actor=admin)
    event.refresh_from_db()
    assert (event.city_en, event.capacity) == ("Chișinău", 2)


def test_a_clone_is_a_draft_on_the_new_dates_with_the_agenda_shifted(admin, trainer):
    event = EventFactory(start_date=date(2027, 6, 4), end_date=date(2027, 6, 5), trainers=[trainer])
    expert = FacilitatorFactory()
    first = AgendaItemFactory(
        event=event, date=date(2027, 6, 4), starts_at=time(9), ends_at=time(10), title_en="Opening"
    )
    first.facilitators.set([expert])
    AgendaItemFactory(event=event, date=date(2027, 6, 5), starts_at=time(14), ends_at=time(15), title_en="Closing")
    clone = event_clone(event=event, start_date=date(2027, 10, 1), actor=admin)
    assert (clone.status, clone.start_date, clone.end_date) == (
        Event.Status.DRAFT,
        date(2027, 10, 1),
        date(2027, 10, 2),
    )
    assert list(clone.trainers.all()) == [trainer]
    assert [(item.date, item.starts_at, item.title) for item in clone.agenda_items.order_by("date")] == [
        (date(2027, 10, 1), time(9), "Opening"),
        (date(2027, 10, 2), time(14), "Closing"),
    ]
    assert list(clone.agenda_items.get(title_en="Opening").facilitators.all()) == [expert]
    # Enrollment closes as long before the copy, at the same hour (across the change from summer time).
    assert clone.enrollment_closes_at == datetime(2027, 9, 29, 18, 0, tzinfo=clone.tz)
    assert event.agenda_items.count() == 2


def test_only_administrators_clone(trainer):
    event = EventFactory(trainers=[trainer])
    with pytest.raises(ValidationError):
        event_clone(event=event, start_date=event.start_date + timedelta(days=7), actor=trainer)
    assert Event.objects.count() == 1


# Pages


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PARTICIPANT])
def test_trainers_and_participants_may_not_open_the_event_pages(client, role):
    event = EventFactory(trainers=[])
    person = UserFactory(role=role)
    event.trainers.add(person) if role == Role.TRAINER else None
    client.force_login(person)
    for name, args in [("event_new", []), ("event_edit", [event.pk]), ("event_clone", [event.pk]),
                       ("event_cancel", [event.pk])]:  # fmt: skip
        assert client.get(reverse(f"courses:{name}", args=args)).status_code == 403
    assert client.post(reverse("courses:event_cancel", args=[event.pk]), {"confirm": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_the_new_event_page_offers_zones_chisinau_first_and_only_trainers(client, admin, trainer):
    participant = UserFactory(given_name="Vasile")
    client.force_login(admin)
    response = client.get(reverse("courses:event_new"))
    form = response.context["form"]
    assert form.fields["time_zone"].choices[0][0] == "Europe/Chisinau"
    assert form["time_zone"].value() == "Europe/Chisinau"
    assert list(form.fields["trainers"].queryset) == [trainer]
    assert participant not in form.fields["trainers"].queryset
    assert 'type="checkbox"' in response.text


def test_an_administrator_creates_an_event_on_the_site(client, admin, trainer):
    course = CourseFactory()
    client.force_login(admin)
    response = client.post(reverse("courses:event_new"), {
        "course": course.pk, "start_date": "2027-06-04", "end_date": "2027-06-05", "day_starts_at": "09:00",
        "day_ends_at": "17:00", "time_zone": "Europe/Riga", "venue_name_en": "Police Inspectorate",
        "city_en": "Chisinau", "format": "in_person", "working_language": "ro", "capacity": "25",
        "enrollment_closes_at": "2027-06-01T12:00", "trainers": [trainer.pk],
    })  # fmt: skip
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert (event.status, event.venue_name_en, list(event.trainers.all())) == (
        "draft",
        "Police Inspectorate",
        [trainer],
    )
    # The closing time was typed in the event's zone, not the site's.
    assert event.enrollment_closes_at == datetime(2027, 6, 1, 12, 0, tzinfo=event.tz)


def test_the_page_language_venue_is_required_and_bad_input_saves_nothing(client, admin):
    client.force_login(admin)
    data = {"course": CourseFactory().pk, "start_date": "2027-06-04", "end_date": "2027-06-05", "time_zone": "Mars"}
    response = client.post(reverse("courses:event_new"), data)
    assert response.status_code == 200
    assert {"venue_name_en", "city_en", "time_zone"} <= set(response.context["form"].errors)
    assert not Event.objects.exists()


def test_the_edit_page_shows_the_enrollment_window_in_the_event_zone(client, admin):
    event = EventFactory(time_zone="Asia/Tokyo", enrollment_opens_at=None)
    event.enrollment_closes_at = datetime(2027, 6, 1, 18, 0, tzinfo=event.tz)
    event.save()
    client.force_login(admin)
    response = client.get(reverse("courses:event_edit", args=[event.pk]))
    assert 'value="2027-06-01T18:00"' in response.text


def test_cloning_on_the_site_leads_to_the_new_draft(client, admin):
    event = EventFactory()
    AgendaItemFactory(event=event, date=event.start_date)
    client.force_login(admin)
    response = client.post(reverse("courses:event_clone", args=[event.pk]), {"start_date": "2028-03-01"})
    clone = Event.objects.exclude(pk=event.pk).get()
    assert response.url == clone.get_absolute_url()
    assert clone.agenda_items.get().date == date(2028, 3, 1)


def test_cancelling_asks_first_and_says_how_many_are_told(client, admin):
    event = EventFactory()
    EnrollmentFactory.create_batch(2, event=event, status=Enrollment.Status.CONFIRMED)
    client.force_login(admin)
    page = client.get(reverse("courses:event_cancel", args=[event.pk]))
    assert "2 enrollments will be cancelled" in page.text
    unconfirmed = client.post(reverse("courses:event_cancel", args=[event.pk]))
    assert unconfirmed.status_code == 200
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    client.post(reverse("courses:event_cancel", args=[event.pk]), {"confirm": "yes"})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert not event.enrollments.filter(status__in=Enrollment.ACTIVE).exists()


def test_administrators_see_the_event_buttons_and_publish_a_draft(client, admin, trainer):
    event = EventFactory(status=Event.Status.DRAFT, trainers=[trainer])
    client.force_login(trainer)
    assert reverse("courses:event_edit", args=[event.pk]) not in client.get(event.get_absolute_url()).text
    client.force_login(admin)
    page = client.get(event.get_absolute_url()).text
    for name in ("event_edit", "event_clone", "event_publish", "event_cancel"):
        assert reverse(f"courses:{name}", args=[event.pk]) in page
    client.post(reverse("courses:event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert AgendaItem.objects.count() == 0
