import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.demo import DEMO_PASSWORD
from lms.models import Institution, Region, User
from lms.roles import Role, roles_of

pytestmark = pytest.mark.django_db


def counts():
    return Region.objects.count(), Institution.objects.count(), User.objects.count()


def test_seed_demo_is_safe_to_run_twice_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    output = capsys.readouterr().out
    assert "admin@sinergia.test" in output and DEMO_PASSWORD in output


def test_seed_demo_holds_moldovas_regions_and_the_named_institutions():
    call_command("seed_demo")
    assert Region.objects.filter(kind=Region.Kind.DISTRICT).count() == 32
    assert Region.objects.filter(name_ro="UTA Găgăuzia", kind=Region.Kind.AUTONOMOUS_UNIT).exists()
    for name in ["General Police Inspectorate", "Supreme Court of Justice", "La Strada Moldova"]:
        assert Institution.objects.filter(name=name).exists()


def test_demo_users_have_every_role_their_names_and_can_sign_in(client):
    call_command("seed_demo")
    roles = set().union(*(roles_of(user) for user in User.objects.all()))
    assert roles == set(Role)
    assert User.objects.filter(family_name="Šimkūnė").exists()
    assert User.objects.filter(given_name="Наталья", family_name="Кожухарь").exists()
    response = client.post(reverse("account_login"), {"login": "police@sinergia.test", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
