"""Two-factor authentication: required of administrators and focal points, offered to everyone else; a code at each
sign-in, recovery codes for a lost device, an administrator's reset, and wrong codes refused then rate-limited."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from lms.demo import DEMO_PASSWORD
from lms.mfa import mfa_reset, totp_code
from lms.models import AuditEntry
from lms.roles import Role
from tests.factories import PASSWORD, EnrollmentFactory, UserFactory, totp_secret

pytestmark = pytest.mark.django_db

WHY = "Administrators and focal points see other people&#x27;s personal data"
SET_UP = reverse("mfa_activate_totp")


def role_pages():
    event = EnrollmentFactory().event
    return {
        Role.ADMINISTRATOR: [reverse("dashboard"), reverse("stats:index"), reverse("admin:index"),
                             reverse("admin:lms_user_changelist"), reverse("profile_changes"),
                             reverse("certificates:designs"), reverse("courses:participants", args=[event.pk]),
                             reverse("profile"), reverse("courses:catalog")],
        Role.FOCAL_POINT: [reverse("dashboard"), reverse("stats:index"), reverse("courses:endorsements"),
                           reverse("profile"), reverse("courses:catalog")],
    }  # fmt: skip


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def signed_in_as(client):
    return client.get(reverse("profile")).wsgi_request.user


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FOCAL_POINT])
def test_administrators_and_focal_points_set_it_up_before_any_page_of_their_role(client, role):
    person = UserFactory(role=role, authenticator=False)
    client.force_login(person)
    for url in role_pages()[role]:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, SET_UP), url
    # A form sent meanwhile is not acted on either.
    assert client.post(reverse("profile"), {"given_name": "Changed"}).url == SET_UP
    person.refresh_from_db()
    assert person.given_name != "Changed"
    # The page they land on says why.
    page = client.get(reverse("dashboard"), follow=True).content.decode()
    assert WHY in page
    # Their account's own pages, the language switch and signing out stay open.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "ro", "next": "/courses/"}).url == "/courses/"
    assert client.post(reverse("account_logout")).url == reverse("home")
    assert not signed_in_as(client).is_authenticated


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FOCAL_POINT])
def test_once_set_up_the_pages_of_their_role_open(client, role):
    client.force_login(UserFactory(role=role))
    for url in role_pages()[role]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.TRAINER])
def test_participants_and_trainers_are_not_required_to(client, role):
    client.force_login(UserFactory(role=role))
    for url in [reverse("dashboard"), reverse("profile"), reverse("courses:my_trainings")]:
        assert client.get(url).status_code == 200, url
    assert not Authenticator.objects.exists()


def test_a_participant_sets_it_up_from_their_profile_and_then_signs_in_with_a_code(client):
    person = UserFactory()
    sign_in(client, person)
    profile = client.get(reverse("profile")).content.decode()
    assert f'href="{reverse("mfa_index")}">Two-factor authentication</a>' in profile
    # Adding an authenticator asks for the password again, as any change of how one signs in does.
    response = client.get(SET_UP)
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(SET_UP).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page) or re.search(
        r'value="([A-Z2-7]+)"[^>]*id="authenticator_secret"', page
    )
    secret = secret.group(1)
    assert "data:image/svg+xml;base64," in page  # the QR code an app scans
    response = client.post(SET_UP, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert "Incorrect code." in response.content.decode()
    response = client.post(SET_UP, {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    assert len(re.findall(r"<li><code>\d{8}</code></li>", client.get(response.url).content.decode())) == 10
    client.post(reverse("account_logout"))

    response = sign_in(client, person)
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in_as(client).is_authenticated  # the password alone signs nobody in
    response = client.get(reverse("mfa_authenticate"))
    assert "Your account is protected by two-factor authentication" in response.content.decode()
    assert enter_code(client, totp_code(secret)).url == reverse("dashboard")
    assert signed_in_as(client) == person


def test_an_administrator_signs_in_with_password_and_code_and_reaches_the_administration(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    assert sign_in(client, administrator).url == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    assert enter_code(client, totp_code(totp_secret(administrator))).url == reverse("dashboard")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_signs_in_once(client):
    person = UserFactory(role=Role.FOCAL_POINT)
    first, second = RecoveryCodes.activate(person).get_unused_codes()[:2]
    sign_in(client, person)
    assert enter_code(client, first).url == reverse("dashboard")
    assert signed_in_as(client) == person
    client.post(reverse("account_logout"))

    sign_in(client, person)
    response = enter_code(client, first)
    assert response.status_code == 200 and "Incorrect code." in response.content.decode()
    assert not signed_in_as(client).is_authenticated
    assert enter_code(client, second).url == reverse("dashboard")
    assert signed_in_as(client) == person


def test_wrong_codes_are_refused_then_rate_limited_and_nobody_signs_in(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    code = totp_code(totp_secret(administrator))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    sign_in(client, administrator)
    for _attempt in range(5):
        response = enter_code(client, wrong)
        assert response.status_code == 200 and "Incorrect code." in response.content.decode()
    # Then even the right code is refused for a while: guessing a million codes five at a time takes years.
    response = enter_code(client, code)
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not signed_in_as(client).is_authenticated
    assert client.get(reverse("admin:index")).status_code == 302


def test_those_who_must_have_it_cannot_turn_it_off_others_can(client):
    administrator, participant = UserFactory(role=Role.ADMINISTRATOR), UserFactory(authenticator=True)
    client.force_login(administrator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert "Administrators and focal points keep two-factor authentication on" in response.content.decode()
    assert Authenticator.objects.filter(user=administrator).exists()
    client.force_login(participant)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(reverse("mfa_deactivate_totp")).url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=participant).exists()


def reset_action(client, *people):
    return client.post(
        reverse("admin:lms_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk for person in people]},
        follow=True,
    )


def test_an_administrator_resets_a_lost_device_and_the_person_sets_it_up_again(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    person = UserFactory(role=Role.FOCAL_POINT, email="vasile@example.test")
    RecoveryCodes.activate(person)
    client.force_login(administrator)
    response = reset_action(client, person, UserFactory())
    assert "Two-factor authentication was reset for 1 person" in response.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MFA_RESET)
    assert (entry.actor, entry.subject, entry.target) == (administrator, person, "")
    assert entry.details == {"removed": ["recovery_codes", "totp"]}

    # Their next sign-in asks for no code, and sends them to set it up again.
    client.logout()
    assert sign_in(client, person).url == reverse("dashboard")
    assert client.get(reverse("dashboard")).url == SET_UP


def test_only_administrators_reset_and_only_superusers_a_superusers(client):
    focal_point, person = UserFactory(role=Role.FOCAL_POINT), UserFactory(role=Role.ADMINISTRATOR)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError, match="Only an administrator"):
        mfa_reset(user=person, actor=focal_point)
    with pytest.raises(ValidationError, match="Only a superuser"):
        mfa_reset(user=superuser, actor=person)
    # Nor through the admin: a focal point does not reach it, and the superuser's stays.
    client.force_login(focal_point)
    reset_action(client, person)
    client.force_login(person)
    assert "Only a superuser can reset" in reset_action(client, superuser).content.decode()
    assert Authenticator.objects.filter(user__in=[person, superuser]).count() == 2
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MFA_RESET).exists()


def test_the_demos_administrator_and_focal_point_sign_in_with_the_secret_printed_with_the_logins(client, capsys):
    call_command("seed_demo")
    logins = capsys.readouterr().out
    for email in ["admin@sinergia.test", "focal@sinergia.test"]:
        secret = re.search(rf"{email} .*\n.* add ([A-Z2-7]+) to an authenticator app", logins).group(1)
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.url == reverse("mfa_authenticate")
        assert enter_code(client, totp_code(secret)).url == reverse("dashboard")
        assert client.get(reverse("stats:index")).status_code == 200
        client.logout()
