"""Institution and profession: given at signup, changed afterwards only by an approved request."""

import pytest
from django.urls import reverse

from courses import services as course_services
from lms.models import Audience, ProfileChangeRequest
from lms.roles import Role, can, roles_of
from tests.factories import EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_focal_point_cannot_move_to_another_institution_alone(client):
    police, court = InstitutionFactory(), InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    client.force_login(focal)
    client.post(reverse("profile"), {"given_name": "Ana", "family_name": "Rusu", "institution": court.pk,
                                     "profession": "judge", "sex": "female", "preferred_language": "en"})  # fmt: skip
    focal.refresh_from_db()
    assert focal.institution == police
    assert not can(focal, "institution.view_reports", court)
    # Asking is possible; the old values hold until an administrator approves.
    response = client.post(reverse("profile_change_request"), {"institution": court.pk, "profession": "judge"},
                           follow=True)  # fmt: skip
    assert "Your request was sent." in response.content.decode()
    focal.refresh_from_db()
    assert focal.institution == police
    assert "It awaits an administrator." in client.get(reverse("profile")).content.decode()


def test_a_participant_cannot_clear_the_institution_nor_pick_another_profession(client):
    police = InstitutionFactory()
    officer = UserFactory(institution=police, profession=Audience.POLICE_OFFICER)
    UserFactory(role=Role.FOCAL_POINT, institution=police)
    client.force_login(officer)
    client.post(reverse("profile"), {"given_name": "Ion", "family_name": "Rusu", "institution": "",
                                     "profession": "judge", "sex": "male", "preferred_language": "en"})  # fmt: skip
    officer.refresh_from_db()
    assert (officer.institution, officer.profession) == (police, Audience.POLICE_OFFICER)
    # So a course for judges stays closed, and an event needing approval still waits for the focal point.
    reason = course_services.enrollment_ineligibility(user=officer, event=EventFactory())
    assert "This course is for: Judge" in reason
    enrollment = course_services.enrollment_request(
        user=officer, event=EventFactory(requires_approval=True, course__audiences=[Audience.POLICE_OFFICER])
    )
    assert enrollment.awaits_endorsement


def test_an_administrator_approves_and_a_focal_point_leaves_the_role_with_the_institution(client):
    police, court = InstitutionFactory(), InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    change = ProfileChangeRequest.objects.create(user=focal, institution=court, profession=Audience.JUDGE)
    client.force_login(admin)
    page = client.get(reverse("profile_changes")).content.decode()
    assert focal.get_full_name() in page
    response = client.post(reverse("profile_change_decide", args=[change.pk, "approve"]), follow=True)
    assert "Approved" in response.content.decode()
    focal = type(focal).objects.get(pk=focal.pk)
    assert focal.institution == court
    # The role belonged to the police: an administrator gives it again where it fits.
    assert Role.FOCAL_POINT not in roles_of(focal)
    assert not can(focal, "institution.view_reports", court)
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ProfileChangeRequest.Status.APPROVED, admin)


def test_refusing_needs_a_reason_and_changes_nothing_else(client):
    person = UserFactory()
    before = person.institution
    admin = UserFactory(role=Role.ADMINISTRATOR)
    change = ProfileChangeRequest.objects.create(user=person, institution=None, profession=Audience.OTHER)
    client.force_login(admin)
    response = client.post(reverse("profile_change_decide", args=[change.pk, "refuse"]), {"reason": " "}, follow=True)
    assert "Say why the request is refused." in response.content.decode()
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.PENDING
    client.post(reverse("profile_change_decide", args=[change.pk, "refuse"]), {"reason": "Not our staff."})
    change.refresh_from_db()
    person.refresh_from_db()
    assert (change.status, change.refusal_reason) == (ProfileChangeRequest.Status.REFUSED, "Not our staff.")
    assert person.institution == before
    client.force_login(person)
    assert "Not our staff." in client.get(reverse("profile")).content.decode()


def test_only_administrators_decide_and_never_on_their_own_request(client):
    person = UserFactory()
    change = ProfileChangeRequest.objects.create(user=person, institution=None, profession=Audience.OTHER)
    for stranger in [person, UserFactory(role=Role.FOCAL_POINT, institution=person.institution),
                     UserFactory(role=Role.TRAINER)]:  # fmt: skip
        client.force_login(stranger)
        assert client.get(reverse("profile_changes")).status_code == 403
        assert client.post(reverse("profile_change_decide", args=[change.pk, "approve"])).status_code == 403
    admin = UserFactory(role=Role.ADMINISTRATOR)
    own = ProfileChangeRequest.objects.create(user=admin, institution=None, profession=Audience.OTHER)
    client.force_login(admin)
    response = client.post(reverse("profile_change_decide", args=[own.pk, "approve"]), follow=True)
    assert "Nobody decides on their own request." in response.content.decode()
    change.refresh_from_db()
    own.refresh_from_db()
    assert change.status == own.status == ProfileChangeRequest.Status.PENDING


def test_a_new_request_replaces_the_pending_one_and_bad_ones_are_refused(client):
    person = UserFactory(profession=Audience.JUDGE)
    client.force_login(person)
    other = InstitutionFactory()
    client.post(reverse("profile_change_request"), {"institution": other.pk, "profession": "judge"})
    client.post(reverse("profile_change_request"), {"institution": other.pk, "profession": "prosecutor"})
    [change] = ProfileChangeRequest.objects.filter(user=person)
    assert change.profession == Audience.PROSECUTOR
    response = client.post(reverse("profile_change_request"), {"institution": person.institution.pk,
                                                               "profession": "judge"})  # fmt: skip
    assert "These are already your institution and profession." in response.content.decode()
    response = client.post(reverse("profile_change_request"), {"institution": "999999", "profession": "astronaut"})
    assert response.status_code == 200
    assert ProfileChangeRequest.objects.filter(user=person).count() == 1
