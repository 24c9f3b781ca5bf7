"""The user admin: roles through user_roles_set, profiles through profile_update, superusers made only by superusers;
institutions' logos checked as images."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms import demo_images
from lms.models import User
from lms.roles import Role, roles_of
from lms.services import user_roles_set
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCESS_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions"]


def change_url(user):
    return reverse("admin:lms_user_change", args=[user.pk])


def user_data(user, **overrides):
    """What the change form posts for `user`, as it stands, with `overrides`."""
    data = {
        "email": user.email, "given_name": user.given_name, "family_name": user.family_name,
        "name_other_script": user.name_other_script, "profession": user.profession, "position": user.position,
        "institution": user.institution_id or "", "region": user.region_id or "", "sex": user.sex,
        "preferred_language": user.preferred_language, "phone": user.phone, "is_active": "on",
        "roles": [role for role in Role.values if role in roles_of(user)],
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_an_administrator_sees_roles_and_none_of_djangos_access_fields(admin_client):
    page = admin_client.get(change_url(UserFactory())).content.decode()
    for name in ACCESS_FIELDS:
        assert f'name="{name}"' not in page
    for role in Role.values:
        assert f'type="checkbox" name="roles" value="{role}"' in page


def test_a_superuser_still_makes_superusers_who_reach_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(change_url(UserFactory())).content.decode()
    assert 'name="is_superuser"' in page
    assert 'name="groups"' not in page
    person = UserFactory()
    client.post(change_url(person), user_data(person, is_superuser="on"))
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff


def test_a_forged_post_makes_nobody_superuser_staff_or_a_group_member(admin_client, administrator):
    participant = UserFactory()
    forged = user_data(
        participant,
        is_superuser="on",
        is_staff="on",
        groups=[Group.objects.get(name=Role.ADMINISTRATOR).pk],
        user_permissions=[Permission.objects.get(codename="change_user").pk],
        given_name="Natalia",
        # Read-only now; sent as well, so the form of before would have taken the rest.
        date_joined_0="2024-01-01",
        date_joined_1="09:00:00",
    )
    response = admin_client.post(change_url(participant), forged)
    assert response.status_code == 302
    participant.refresh_from_db(), administrator.refresh_from_db()
    assert participant.given_name == "Natalia"
    assert not participant.is_superuser and not participant.is_staff
    assert set(participant.groups.values_list("name", flat=True)) == {Role.PARTICIPANT}
    assert not participant.user_permissions.exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_roles_are_given_and_taken_and_staff_access_follows_the_administrator_role(admin_client):
    person = UserFactory()
    admin_client.post(change_url(person), user_data(person, roles=[Role.TRAINER, Role.ADMINISTRATOR]))
    person = User.objects.get(pk=person.pk)
    assert roles_of(person) == {Role.TRAINER, Role.ADMINISTRATOR}
    assert person.is_staff
    admin_client.post(change_url(person), user_data(person, roles=[Role.TRAINER]))
    person = User.objects.get(pk=person.pk)
    assert roles_of(person) == {Role.TRAINER}
    assert not person.is_staff


def test_a_focal_point_needs_an_institution_and_a_refusal_saves_nothing(admin_client):
    person = UserFactory(institution=None)
    response = admin_client.post(change_url(person), user_data(person, roles=[Role.FOCAL_POINT], phone="+373 22"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["roles"] == [
        "A focal point must belong to an institution: choose the institution first."
    ]
    person = User.objects.get(pk=person.pk)
    assert (roles_of(person), person.phone) == ({Role.PARTICIPANT}, "")
    # The institution chosen in the same save is enough.
    police = InstitutionFactory()
    data = user_data(person, roles=[Role.FOCAL_POINT], institution=police.pk)
    assert admin_client.post(change_url(person), data).status_code == 302
    person = User.objects.get(pk=person.pk)
    assert (roles_of(person), person.institution) == ({Role.FOCAL_POINT}, police)


def test_profile_fields_are_saved_and_checked_like_everywhere_else(admin_client):
    person, other = UserFactory(), UserFactory()
    admin_client.post(change_url(person), user_data(person, family_name="Căpățînă", position="Judge"))
    person.refresh_from_db()
    assert (person.family_name, person.position) == ("Căpățînă", "Judge")
    response = admin_client.post(change_url(person), user_data(person, email=other.email.upper()))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.email != other.email


def test_an_administrator_only_reads_a_superusers_account(admin_client):
    root = UserFactory(is_superuser=True)
    assert admin_client.get(change_url(root)).status_code == 200
    assert admin_client.post(change_url(root), user_data(root, email="mine@example.test")).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert admin_client.get(password_url).status_code == 403
    root.refresh_from_db()
    assert root.email != "mine@example.test"


def test_only_an_administrator_sets_roles():
    person = UserFactory()
    with pytest.raises(ValidationError, match="Only an administrator can change roles."):
        user_roles_set(user=person, roles=[Role.ADMINISTRATOR], actor=UserFactory(role=Role.TRAINER))
    assert roles_of(User.objects.get(pk=person.pk)) == {Role.PARTICIPANT}


def test_the_admin_is_sinergias(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Sinergia administration" in page
    assert "<title>Catalog, events and people | Sinergia</title>" in page


def institution_data(institution, **overrides):
    return {"name_en": institution.name_en, "name_ro": "", "name_ru": "", "kind": institution.kind,
            "region": institution.region_id, "country": "MD", **overrides}  # fmt: skip


def test_an_institutions_logo_is_uploaded_checked_and_shown_from_the_sites_address(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    institution = InstitutionFactory(name="International Centre for Migration Policy Development")
    url = reverse("admin:lms_institution_change", args=[institution.pk])
    bad = SimpleUploadedFile("logo.png", b"<svg>not a picture</svg>", content_type="image/png")
    response = admin_client.post(url, institution_data(institution, logo=bad))
    assert response.status_code == 200 and "Upload a PNG or JPEG image" in response.content.decode()
    institution.refresh_from_db()
    assert not institution.logo

    emblem = SimpleUploadedFile("ICMPD logo.PNG", demo_images.emblem("ICMPD", "#1d4f91"), content_type="image/png")
    assert admin_client.post(url, institution_data(institution, logo=emblem)).status_code == 302
    institution.refresh_from_db()
    assert re.fullmatch(r"branding/[0-9a-f]{32}\.png", institution.logo.name)
    page = admin_client.get(url).content.decode()
    # The page shows the logo from the site's address, never the stored file's name.
    assert institution.logo_url in page and institution.logo.name not in page


def test_no_admin_page_shows_an_authenticators_secret(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert "/admin/mfa/" not in page
    assert client.get("/admin/mfa/authenticator/").status_code == 404
