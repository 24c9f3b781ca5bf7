"""The enrollment workflow's table, as the services, the views and the buttons obey it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import services, transitions
from courses.models import Enrollment, EnrollmentLog, Event
from courses.signals import completion_changed
from lms.models import Audience
from lms.roles import Role
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status

SERVICES = {
    "endorse": services.enrollment_endorse,
    "endorse-decline": services.enrollment_endorsement_decline,
    "approve": services.enrollment_approve,
    "decline": services.enrollment_decline,
    "promote": services.enrollment_promote,
    "cancel": services.enrollment_cancel,
}
STATES = {
    transitions.AWAITING_ENDORSEMENT: {"status": Status.REQUESTED, "awaits_endorsement": True},
    Status.REQUESTED: {"status": Status.REQUESTED},
    Status.WAITLISTED: {"status": Status.WAITLISTED, "waitlisted_at": timezone.now()},
    Status.CONFIRMED: {"status": Status.CONFIRMED},
    Status.DECLINED: {"status": Status.DECLINED},
    Status.CANCELLED: {"status": Status.CANCELLED},
}
# What each service leaves behind when it may act.
RESULTS = {
    "endorse": (Status.REQUESTED, False),
    "endorse-decline": (Status.DECLINED, False),
    "approve": (Status.CONFIRMED, False),
    "decline": (Status.DECLINED, False),
    "promote": (Status.CONFIRMED, False),
    "cancel": (Status.CANCELLED, False),
}


@pytest.fixture
def cast():
    """An event with its trainer, and the participant's institution with its focal point."""
    police = InstitutionFactory()
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(requires_approval=True, trainers=[trainer], capacity=5)
    participant = UserFactory(institution=police)
    return {
        "event": event,
        "participant": participant,
        transitions.SELF: participant,
        Role.TRAINER: trainer,
        Role.FOCAL_POINT: UserFactory(role=Role.FOCAL_POINT, institution=police),
        Role.ADMINISTRATOR: UserFactory(role=Role.ADMINISTRATOR),
        "another trainer": UserFactory(role=Role.TRAINER),
        "another focal point": UserFactory(role=Role.FOCAL_POINT, institution=InstitutionFactory()),
        "another participant": UserFactory(institution=police),
    }


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("action", list(SERVICES))
def test_every_service_obeys_the_table_for_everyone(cast, state, action):
    """Each actor may take each action from each state exactly when the table says so."""
    for who in [transitions.SELF, Role.TRAINER, Role.FOCAL_POINT, Role.ADMINISTRATOR, "another trainer",
                "another focal point", "another participant"]:  # fmt: skip
        Enrollment.objects.all().delete()
        enrollment = EnrollmentFactory(event=cast["event"], user=cast["participant"], **STATES[state])
        allowed, _next = transitions.TABLE.get((state, action), (set(), None))
        expected = who in allowed
        try:
            SERVICES[action](enrollment=enrollment, actor=cast[who], note="")
        except ValidationError:
            done = False
        else:
            done = True
        enrollment.refresh_from_db()
        assert done == expected, f"{who} {action} from {state}: table says {expected}"
        if done:
            assert (enrollment.status, enrollment.awaits_endorsement) == RESULTS[action]
        else:
            assert enrollment.status == STATES[state]["status"], "a refused step changed the enrollment"
            assert not EnrollmentLog.objects.filter(enrollment=enrollment).exists()


def decide(client, user, enrollment, action, note=""):
    client.force_login(user)
    data = {"note": note, "confirm": "1"}  # a cancel is confirmed at once
    return client.post(reverse("courses:decide", args=[enrollment.pk, action]), data, follow=True)


def test_a_focal_point_declines_only_requests_awaiting_their_endorsement(client, cast):
    focal = cast[Role.FOCAL_POINT]
    waiting = EnrollmentFactory(event=cast["event"], **STATES[Status.WAITLISTED], institution=focal.institution)
    endorsed = EnrollmentFactory(event=cast["event"], status=Status.REQUESTED, institution=focal.institution)
    # "decline" is the organisers' action: not the focal point's business at all.
    assert decide(client, focal, waiting, "decline").status_code == 403
    response = decide(client, focal, endorsed, "endorse-decline")
    assert "nothing was changed" in response.content.decode()
    response = decide(client, focal, waiting, "endorse-decline")
    assert "nothing was changed" in response.content.decode()
    assert Enrollment.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    assert Enrollment.objects.get(pk=endorsed.pk).status == Status.REQUESTED


def test_nobody_endorses_or_approves_their_own_request(client):
    police = InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    colleague_focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    event = EventFactory(requires_approval=True)
    client.force_login(focal)
    client.post(reverse("courses:enroll", args=[event.pk]))
    mine = event.enrollments.get(user=focal)
    assert mine.awaits_endorsement
    response = decide(client, focal, mine, "endorse")
    assert "Nobody decides on their own request." in response.content.decode()
    # Their own request is not on their list of requests to endorse, but is on their colleague's.
    client.force_login(focal)
    assert mine.event.display_title not in client.get(reverse("courses:endorsements")).content.decode()
    client.force_login(colleague_focal)
    assert mine.event.display_title in client.get(reverse("courses:endorsements")).content.decode()
    # An administrator's own request is no different.
    admin = UserFactory(role=Role.ADMINISTRATOR)
    theirs = EnrollmentFactory(event=event, user=admin, status=Status.REQUESTED)
    response = decide(client, admin, theirs, "approve")
    assert "Nobody decides on their own request." in response.content.decode()
    assert Enrollment.objects.get(pk=theirs.pk).status == Status.REQUESTED


@pytest.fixture
def completed_event(cast):
    event = cast["event"]
    event.start_date = timezone.localdate() - timedelta(days=10)
    event.end_date = event.start_date + timedelta(days=1)
    event.enrollment_closes_at = timezone.now() - timedelta(days=12)
    event.status = Event.Status.COMPLETED
    event.save()
    return event


def test_on_a_completed_event_trainers_change_no_enrollment(client, cast, completed_event):
    trainer = cast[Role.TRAINER]
    confirmed = EnrollmentFactory(event=completed_event, completed=True, credit_hours=12)
    waiting = EnrollmentFactory(event=completed_event, **STATES[Status.WAITLISTED])
    for enrollment, action in [(confirmed, "cancel"), (waiting, "decline"), (waiting, "promote")]:
        response = decide(client, trainer, enrollment, action)
        assert "only administrators change its enrollments" in response.content.decode()
    assert Enrollment.objects.get(pk=confirmed.pk).status == Status.CONFIRMED
    assert Enrollment.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    # No button offers it either.
    client.force_login(trainer)
    page = client.get(reverse("courses:participants", args=[completed_event.pk])).content.decode()
    assert reverse("courses:decide", args=[confirmed.pk, "cancel"]) not in page
    assert reverse("courses:decide", args=[waiting.pk, "promote"]) not in page


def test_on_a_completed_event_administrators_cancel_with_a_reason_that_is_logged(client, cast, completed_event):
    admin = cast[Role.ADMINISTRATOR]
    confirmed = EnrollmentFactory(event=completed_event, completed=True, credit_hours=12)
    client.force_login(admin)
    page = client.get(reverse("courses:participants", args=[completed_event.pk])).content.decode()
    assert reverse("courses:decide", args=[confirmed.pk, "cancel"]) in page
    assert "Reason (required)" in page
    response = decide(client, admin, confirmed, "cancel")
    assert "say why you change this enrollment" in response.content.decode()
    assert Enrollment.objects.get(pk=confirmed.pk).status == Status.CONFIRMED
    # Nobody gets a seat in an event that is over.
    waiting = EnrollmentFactory(event=completed_event, **STATES[Status.WAITLISTED])
    response = decide(client, admin, waiting, "promote", note="late")
    assert Enrollment.objects.get(pk=waiting.pk).status == Status.WAITLISTED

    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    completion_changed.connect(listener)
    try:
        decide(client, admin, confirmed, "cancel", note="Did not attend: the sheet was wrong.")
    finally:
        completion_changed.disconnect(listener)
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.completed) == (Status.CANCELLED, False)
    step = confirmed.log.get(action=EnrollmentLog.Action.CANCELLED)
    assert (step.actor, step.note) == (admin, "Did not attend: the sheet was wrong.")
    # The apps above hear of it, so a certificate does not outlive the hours.
    [message] = heard
    assert message["not_completed"] == [confirmed] and message["reason"] == "Did not attend: the sheet was wrong."


def test_participants_cancel_their_own_only_until_the_event_starts(client, cast):
    participant = cast["participant"]
    event = cast["event"]
    mine = EnrollmentFactory(event=event, user=participant)
    client.force_login(participant)
    assert reverse("courses:decide", args=[mine.pk, "cancel"]) in client.get(event.get_absolute_url()).content.decode()
    event.start_date = timezone.localdate() - timedelta(days=1)
    event.end_date = timezone.localdate() + timedelta(days=1)
    event.enrollment_closes_at = timezone.now() - timedelta(days=3)
    event.save()
    assert (
        reverse("courses:decide", args=[mine.pk, "cancel"]) not in client.get(event.get_absolute_url()).content.decode()
    )
    response = decide(client, participant, mine, "cancel")
    assert "The event has started" in response.content.decode()
    assert Enrollment.objects.get(pk=mine.pk).status == Status.CONFIRMED


def test_endorsement_follows_the_institution_recorded_with_the_request(client):
    police, court = InstitutionFactory(), InstitutionFactory()
    police_focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    court_focal = UserFactory(role=Role.FOCAL_POINT, institution=court)
    officer = UserFactory(institution=police, profession=Audience.POLICE_OFFICER)
    event = EventFactory(requires_approval=True, course=CourseFactory(audiences=[Audience.POLICE_OFFICER]))
    enrollment = services.enrollment_request(user=officer, event=event)
    assert (enrollment.institution, enrollment.profession) == (police, Audience.POLICE_OFFICER)
    # The person moves to the court afterwards (an administrator approved it).
    officer.institution = court
    officer.save()
    assert decide(client, court_focal, enrollment, "endorse").status_code == 403
    client.force_login(police_focal)
    assert officer.get_full_name() in client.get(reverse("courses:endorsements")).content.decode()
    decide(client, police_focal, enrollment, "endorse")
    assert not Enrollment.objects.get(pk=enrollment.pk).awaits_endorsement


def test_a_trainer_neither_enrolls_in_nor_is_nominated_to_their_own_event(client, cast):
    trainer, event = cast[Role.TRAINER], cast["event"]
    trainer.profession = Audience.JUDGE
    trainer.save()
    client.force_login(trainer)
    response = client.post(reverse("courses:enroll", args=[event.pk]), follow=True)
    assert "trainers do not enroll in it" in response.content.decode()
    enrolled, problems = services.enrollment_nominate(
        event=event, emails=[trainer.email], actor=cast[Role.ADMINISTRATOR]
    )
    assert enrolled == [] and "trainers do not enroll in it" in problems[0]
    assert not event.enrollments.filter(user=trainer).exists()
