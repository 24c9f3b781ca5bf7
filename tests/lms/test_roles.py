import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from lms.models import User
from lms.roles import Role, can, roles_of
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_as_groups_and_administrators_hold_the_admin_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    administrator = Group.objects.get(name=Role.ADMINISTRATOR)
    codenames = set(administrator.permissions.values_list("codename", flat=True))
    assert {"change_user", "view_institution", "add_region", "change_outgoingemail"} <= codenames
    assert not Group.objects.get(name=Role.PARTICIPANT).permissions.exists()


def test_granting_the_administrator_role_opens_the_admin():
    user = UserFactory(role=Role.ADMINISTRATOR)
    assert user.is_staff
    assert roles_of(user) == {Role.ADMINISTRATOR}


def test_a_superuser_counts_as_administrator():
    user = UserFactory(is_superuser=True)
    assert Role.ADMINISTRATOR in roles_of(user)


def test_people_change_only_their_own_profile_unless_administrator():
    me, other = UserFactory(), UserFactory()
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assert can(me, "profile.change", me)
    assert not can(me, "profile.change", other)
    assert can(admin, "profile.change", other)


def test_a_focal_point_sees_profiles_and_reports_of_their_institution_only():
    police, court = InstitutionFactory(), InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=police)
    colleague, judge = UserFactory(institution=police), UserFactory(institution=court)
    assert can(focal, "institution.view_reports", police)
    assert not can(focal, "institution.view_reports", court)
    assert can(focal, "profile.view", colleague)
    assert not can(focal, "profile.view", judge)
    assert not can(focal, "profile.change", colleague)
    # The same institution without the role gives nothing.
    assert not can(colleague, "institution.view_reports", police)


def test_anonymous_inactive_and_unknown_actions_are_refused():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assert not can(AnonymousUser(), "catalog.manage")
    assert not can(admin, "no.such.action")
    admin.is_active = False
    assert not can(admin, "catalog.manage")


def test_only_staff_reach_the_django_admin(client):
    client.force_login(UserFactory(role=Role.TRAINER))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_administrator_filters_and_searches_users_in_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    UserFactory(family_name="Ozoliņa", email="elina@example.test")
    UserFactory(family_name="Bîrsan")
    url = reverse("admin:lms_user_changelist")
    response = client.get(url, {"q": "Ozoliņa"})
    assert response.status_code == 200
    assert "elina@example.test" in response.content.decode()
    assert "Bîrsan" not in response.content.decode()
    response = client.get(url, {"groups__id__exact": Group.objects.get(name=Role.ADMINISTRATOR).pk})
    assert "elina@example.test" not in response.content.decode()


def test_administrator_creates_a_user_in_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(
        reverse("admin:lms_user_add"),
        {
            "email": "lasma@example.test",
            "given_name": "Lāsma",
            "family_name": "Stabiņa",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="lasma@example.test").get_full_name() == "Lāsma Stabiņa"


def test_the_admin_is_signed_in_to_through_the_sites_sign_in_with_its_two_factor_step(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 302
