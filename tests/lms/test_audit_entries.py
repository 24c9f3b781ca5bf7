"""The audit log accounts for roles and approved profile fields changed by administrators, and for staff sign-ins."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.audit import Action
from lms.models import Audience, ProfileChangeRequest
from lms.roles import Role
from lms.services import user_roles_set
from tests.audit_entries import assert_no_free_text, entries, only_entry, rows
from tests.factories import PASSWORD, InstitutionFactory, UserFactory
from tests.lms.test_admin import change_url, user_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    return administrator


def test_roles_changed_in_the_admin_are_recorded_before_and_after_and_a_save_that_keeps_them_is_not(
    client, administrator
):
    person = UserFactory()
    assert client.post(change_url(person), user_data(person, roles=[Role.PARTICIPANT, Role.TRAINER])).status_code == 302
    assert only_entry(Action.ROLES_CHANGED) == {
        "actor": administrator, "subject": person, "target": "",
        "details": {"from": ["Participant"], "to": ["Participant", "Trainer"]},
    }  # fmt: skip
    client.post(change_url(person), user_data(person, roles=[Role.PARTICIPANT, Role.TRAINER], phone="+373 22"))
    assert len(entries(Action.ROLES_CHANGED)) == 1


def test_roles_refused_write_nothing(client, administrator):
    person = UserFactory(institution=None)
    response = client.post(change_url(person), user_data(person, roles=[Role.FOCAL_POINT]))
    assert "A focal point must belong to an institution" in response.content.decode()
    with pytest.raises(ValidationError, match="Only an administrator can change roles."):
        user_roles_set(user=person, roles=[Role.ADMINISTRATOR], actor=UserFactory(role=Role.TRAINER))
    assert entries(Action.ROLES_CHANGED) == []


def test_an_administrator_moving_someone_to_another_institution_and_profession_is_recorded_by_ids_and_codes(
    client, administrator
):
    police, court = InstitutionFactory(), InstitutionFactory()
    person = UserFactory(institution=police, profession=Audience.POLICE_OFFICER)
    data = user_data(person, institution=court.pk, profession=Audience.PROSECUTOR, position="Head of unit")
    assert client.post(change_url(person), data).status_code == 302
    assert rows(Action.PROFILE_CHANGED) == [
        (administrator, person, "", {"field": "institution", "from": police.pk, "to": court.pk}),
        (administrator, person, "", {"field": "profession", "from": "police_officer", "to": "prosecutor"}),
    ]
    assert_no_free_text("Head of unit")


def test_a_person_editing_their_profile_or_trying_to_move_writes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    profile = {"given_name": "Ana", "family_name": "Rusu", "profession": person.profession, "sex": "female",
               "preferred_language": "en", "institution": person.institution_id}  # fmt: skip
    client.post(reverse("profile"), profile)
    client.post(reverse("profile"), {**profile, "institution": InstitutionFactory().pk})
    assert entries(Action.PROFILE_CHANGED) == []


def test_an_approved_request_is_recorded_with_the_focal_point_role_it_took_away(client, administrator):
    police, court = InstitutionFactory(), InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=police, profession=Audience.JUDGE)
    change = ProfileChangeRequest.objects.create(user=focal, institution=court, profession=Audience.JUDGE)
    client.post(reverse("profile_change_decide", args=[change.pk, "approve"]))
    assert only_entry(Action.PROFILE_CHANGED) == {
        "actor": administrator, "subject": focal, "target": "",
        "details": {"field": "institution", "from": police.pk, "to": court.pk},
    }  # fmt: skip
    assert only_entry(Action.ROLES_CHANGED) == {
        "actor": administrator, "subject": focal, "target": "", "details": {"from": ["Focal point"], "to": []},
    }  # fmt: skip


def test_a_refused_request_and_ones_own_request_write_nothing_and_the_reason_stays_out(client, administrator):
    person = UserFactory()
    change = ProfileChangeRequest.objects.create(user=person, institution=None, profession=Audience.OTHER)
    client.post(reverse("profile_change_decide", args=[change.pk, "refuse"]), {"reason": "Not our staff."})
    own = ProfileChangeRequest.objects.create(user=administrator, institution=None, profession=Audience.OTHER)
    response = client.post(reverse("profile_change_decide", args=[own.pk, "approve"]), follow=True)
    assert "Nobody decides on their own request." in response.content.decode()
    assert entries(Action.PROFILE_CHANGED) == entries(Action.ROLES_CHANGED) == []
    assert_no_free_text("Not our staff.")


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_a_trainer_signing_in_is_recorded_without_where_from(client):
    trainer = UserFactory(role=Role.TRAINER)
    assert sign_in(client, trainer).status_code == 302
    assert only_entry(Action.STAFF_SIGNED_IN) == {
        "actor": trainer,
        "subject": None,
        "target": "",
        "details": {"roles": ["Trainer"]},
    }


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.ADMINISTRATOR])
def test_focal_points_and_administrators_signing_in_are_recorded(client, role):
    staff = UserFactory(role=role)
    client.force_login(staff)
    assert only_entry(Action.STAFF_SIGNED_IN) == {
        "actor": staff,
        "subject": None,
        "target": "",
        "details": {"roles": [role.value]},
    }


def test_participants_and_failed_sign_ins_are_not_recorded(client):
    assert sign_in(client, UserFactory()).status_code == 302
    client.logout()
    assert sign_in(client, UserFactory(role=Role.TRAINER), password="wrong").status_code == 200
    assert entries(Action.STAFF_SIGNED_IN) == []
