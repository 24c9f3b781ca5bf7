"""The Django admin changes events only through the services: status by actions, seats under the lock."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, EnrollmentLog, Event
from courses.services import event_capacity_change
from lms.models import OutgoingEmail
from lms.roles import Role
from tests.courses.test_enrollment import admin_event_data
from tests.factories import EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
CHANGELIST = reverse("admin:courses_event_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client


def change(client, event, **overrides):
    return client.post(reverse("admin:courses_event_change", args=[event.pk]), admin_event_data(event, **overrides))


def statuses(event):
    return sorted(event.enrollments.values_list("status", flat=True))


@pytest.mark.parametrize("status", [Event.Status.COMPLETED, Event.Status.CANCELLED])
def test_the_event_form_does_not_change_the_status(admin_client, status):
    event = EventFactory()
    EnrollmentFactory.create_batch(2, event=event)
    response = change(admin_client, event, status=status, city_en="Bălți")
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.city) == (Event.Status.PUBLISHED, "Bălți")
    assert statuses(event) == [Status.CONFIRMED, Status.CONFIRMED]
    assert not event.enrollments.filter(completed__isnull=False).exists()
    assert not OutgoingEmail.objects.exists()


def test_a_new_event_starts_as_a_draft_whatever_is_posted(admin_client):
    event = EventFactory()
    page = admin_client.get(reverse("admin:courses_event_add")).content.decode()
    assert 'name="status"' not in page
    response = admin_client.post(reverse("admin:courses_event_add"), admin_event_data(event, status="published"))
    assert response.status_code == 302
    assert Event.objects.exclude(pk=event.pk).get().status == Event.Status.DRAFT


def test_the_cancel_action_cancels_the_enrollments_and_tells_everyone(admin_client):
    event = EventFactory()
    confirmed = EnrollmentFactory.create_batch(2, event=event)
    response = admin_client.post(CHANGELIST, {"action": "cancel", "_selected_action": [event.pk]}, follow=True)
    assert "1 event(s) cancelled." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert statuses(event) == [Status.CANCELLED, Status.CANCELLED]
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == sorted(e.user.email for e in confirmed)
    assert EnrollmentLog.objects.filter(action=EnrollmentLog.Action.CANCELLED).count() == 2


def test_the_close_action_leads_to_the_closing_page_one_event_at_a_time(admin_client):
    first, second = EventFactory(), EventFactory()
    response = admin_client.post(CHANGELIST, {"action": "close", "_selected_action": [first.pk]})
    assert response.status_code == 302
    assert response.url == reverse("courses:event_close", args=[first.pk])
    response = admin_client.post(
        CHANGELIST, {"action": "close", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert "Close one event at a time." in response.content.decode()
    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.PUBLISHED}


def test_more_seats_promote_the_first_waiting_and_say_how_many(admin_client):
    event = EventFactory(capacity=1)
    EnrollmentFactory(event=event)
    now = timezone.now()
    first, second = (
        EnrollmentFactory(event=event, status=Status.WAITLISTED, waitlisted_at=now + timedelta(seconds=n))
        for n in range(2)
    )
    response = admin_client.post(
        reverse("admin:courses_event_change", args=[event.pk]), admin_event_data(event, capacity=2), follow=True
    )
    assert "1 participant(s) promoted from the waiting list." in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert first.log.filter(action=EnrollmentLog.Action.PROMOTED).exists()
    event.refresh_from_db()
    assert event.capacity == 2


def test_fewer_seats_than_confirmed_is_refused_and_nothing_is_saved(admin_client):
    event = EventFactory(capacity=3, city="Cahul")
    EnrollmentFactory.create_batch(2, event=event)
    response = change(admin_client, event, capacity=1, city="Comrat")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [
        "2 seats are already confirmed; the capacity cannot be lower."
    ]
    event.refresh_from_db()
    assert (event.capacity, event.city) == (3, "Cahul")
    assert change(admin_client, event, capacity=2).status_code == 302
    event.refresh_from_db()
    assert event.capacity == 2


def test_the_capacity_service_checks_who_asks_and_the_seats_taken():
    trainer, stranger = UserFactory(role=Role.TRAINER), UserFactory(role=Role.TRAINER)
    event = EventFactory(capacity=2, trainers=[trainer])
    EnrollmentFactory.create_batch(2, event=event)
    waiting = EnrollmentFactory(event=event, status=Status.WAITLISTED, waitlisted_at=timezone.now())
    with pytest.raises(ValidationError, match="You may not change this event."):
        event_capacity_change(event=event, capacity=5, actor=stranger)
    with pytest.raises(ValidationError, match="2 seats are already confirmed"):
        event_capacity_change(event=event, capacity=1, actor=trainer)
    with pytest.raises(ValidationError, match="Capacity must be at least 1."):
        event_capacity_change(event=event, capacity=0, actor=trainer)
    assert event_capacity_change(event=event, capacity=3, actor=trainer) == [waiting]
    event.refresh_from_db()
    assert event.capacity == 3


def test_the_change_page_links_to_the_agenda_page_instead_of_editing_sessions(admin_client):
    event = EventFactory()
    page = admin_client.get(reverse("admin:courses_event_change", args=[event.pk])).content.decode()
    assert "agenda_items-TOTAL_FORMS" not in page
    assert f'<a href="{reverse("courses:agenda", args=[event.pk])}">Edit the agenda</a>' in page
    assert 'name="status"' not in page
