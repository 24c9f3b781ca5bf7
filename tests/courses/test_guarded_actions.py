"""Irreversible actions ask first: cancelling an enrollment, revoking a certificate, deleting a session.

A first POST without its confirm field shows what will happen and changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.models import AgendaItem, Enrollment
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status


def cancel(client, enrollment, **data):
    return client.post(reverse("courses:decide", args=[enrollment.pk, "cancel"]), data, follow=True)


@pytest.fixture
def full_event():
    """One seat, taken, and one person waiting for it."""
    event = EventFactory(capacity=1)
    return {
        "event": event,
        "seated": EnrollmentFactory(event=event),
        "waiting": EnrollmentFactory(event=event, status=Status.WAITLISTED),
    }


def test_cancel_my_enrollment_asks_first_and_says_my_seat_goes_to_the_first_waiting(client, full_event):
    seated, waiting = full_event["seated"], full_event["waiting"]
    client.force_login(seated.user)
    page = client.get(full_event["event"].get_absolute_url()).content.decode()
    # Red, and never the page's main button.
    assert 'class="button-secondary button-danger">Cancel my enrollment' in page

    response = cancel(client, seated, next=full_event["event"].get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cancel my enrollment?" in page
    assert "Your seat goes to the first person waiting." in page
    assert 'name="confirm" value="1"' in page
    assert "Keep my enrollment" in page
    seated.refresh_from_db(), waiting.refresh_from_db()
    assert (seated.status, waiting.status) == (Status.CONFIRMED, Status.WAITLISTED)

    response = cancel(client, seated, confirm="1")
    assert "The enrollment was cancelled." in response.content.decode()
    seated.refresh_from_db(), waiting.refresh_from_db()
    assert (seated.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)


def test_without_anyone_waiting_my_seat_is_freed_and_a_waiting_place_is_left(client):
    event = EventFactory()
    seated = EnrollmentFactory(event=event)
    client.force_login(seated.user)
    assert "Your seat is freed for someone else." in cancel(client, seated).content.decode()
    waiting = EnrollmentFactory(event=event, status=Status.WAITLISTED)
    client.force_login(waiting.user)
    assert "You leave the waiting list." in cancel(client, waiting).content.decode()


def test_a_trainer_cancelling_in_the_participants_list_is_asked_first_and_the_note_is_kept(client, full_event):
    trainer = UserFactory(role=Role.TRAINER)
    event, seated = full_event["event"], full_event["seated"]
    event.trainers.set([trainer])
    client.force_login(trainer)
    participants = reverse("courses:participants", args=[event.pk])
    page = client.get(participants).content.decode()
    assert 'class="small-button button-danger">Cancel' in page

    page = cancel(client, seated, note="Moved to another post", next=participants).content.decode()
    name = seated.user.get_full_name()
    assert f"Cancel the enrollment of {name}?" in page
    assert "The seat goes to the first person waiting." in page
    assert f"{name} is told by email." in page
    assert 'value="Moved to another post"' in page
    assert f'href="{participants}">Keep the enrollment' in page
    seated.refresh_from_db()
    assert seated.status == Status.CONFIRMED

    response = cancel(client, seated, note="Moved to another post", next=participants, confirm="1")
    assert response.redirect_chain[-1][0] == participants
    seated.refresh_from_db()
    assert seated.status == Status.CANCELLED


def test_a_cancel_that_would_be_refused_is_not_asked_about_but_refused(client):
    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today + timedelta(days=1),
                         enrollment_closes_at=timezone.now() - timedelta(days=2))  # fmt: skip
    event.day_starts_at = (timezone.localtime() - timedelta(hours=1)).time()
    event.save()
    enrollment = EnrollmentFactory(event=event)
    client.force_login(enrollment.user)
    page = cancel(client, enrollment).content.decode()
    assert "The event has started" in page
    assert 'name="confirm"' not in page


def test_after_closing_the_confirmation_asks_for_the_reason(client, full_event):
    event, seated = full_event["event"], full_event["seated"]
    event.status = event.Status.COMPLETED
    event.save()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = cancel(client, seated).content.decode()
    assert 'name="note" id="cancel-note" maxlength="1000" required' in page
    seated.refresh_from_db()
    assert seated.status == Status.CONFIRMED


@pytest.fixture
def certificate(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enrollment = EnrollmentFactory(completed=True, credit_hours=Decimal("12"), attendance_rate=Decimal("100"))
    return certificate_issue(enrollment=enrollment)[0]


def revoke(client, certificate, **data):
    url = reverse("certificates:action", args=[certificate.enrollment.event_id, "revoke"])
    return client.post(url, {"certificate": certificate.pk, **data}, follow=True)


def test_revoking_asks_first_and_the_reason_is_shown_to_administrators(client, certificate):
    admin = UserFactory(role=Role.ADMINISTRATOR, given_name="Ana", family_name="Rusu")
    client.force_login(admin)
    event_page = reverse("certificates:event", args=[certificate.enrollment.event_id])
    assert 'class="small-button button-danger">Revoke' in client.get(event_page).content.decode()

    page = revoke(client, certificate, reason="Issued to the wrong person.").content.decode()
    assert "Revoke the certificate?" in page
    assert "Whoever verifies its code is told it is revoked, and since when." in page
    assert 'value="Issued to the wrong person."' in page
    assert Certificate.objects.get().revoked_at is None

    page = revoke(client, certificate, reason="Issued to the wrong person.", confirm="1").content.decode()
    assert "The certificate was revoked." in page
    revoked = Certificate.objects.get()
    assert revoked.revoked_by == admin
    since = date_format(timezone.localtime(revoked.revoked_at), "DATE_FORMAT")
    assert f"Revoked on {since} by Ana Rusu. Reason: Issued to the wrong person." in page


def test_an_unconfirmed_revoke_without_a_reason_asks_for_one_and_changes_nothing(client, certificate):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = revoke(client, certificate).content.decode()
    assert 'name="reason" id="revoke-reason" required' in page
    page = revoke(client, certificate, confirm="1").content.decode()
    assert "Say why the certificate is revoked." in page
    assert Certificate.objects.get().revoked_at is None


def test_deleting_a_session_shows_a_confirmation_page_and_only_its_post_deletes(client):
    trainer = UserFactory(role=Role.TRAINER)
    item = AgendaItemFactory(title_en="Identifying victims", event=EventFactory(trainers=[trainer]))
    client.force_login(trainer)
    url = reverse("courses:agenda_item_delete", args=[item.event_id, item.pk])
    page = client.get(url).content.decode()
    assert "Delete “Identifying victims”" in page
    assert 'class="button-danger"' in page
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    client.post(url)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_closing_page_changes_nothing_until_its_red_button_is_pressed(client):
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(start_date=today - timedelta(days=2), end_date=today - timedelta(days=1),
                         enrollment_closes_at=timezone.now() - timedelta(days=3), trainers=[trainer])  # fmt: skip
    client.force_login(trainer)
    page = client.get(reverse("courses:event_close", args=[event.pk])).content.decode()
    assert '<button type="submit" class="button-danger">Close the event</button>' in page
    event.refresh_from_db()
    assert event.status == event.Status.PUBLISHED
