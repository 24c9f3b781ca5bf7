import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.services.enrollment import enrollment_nominate
from lms.models import Audience, OutgoingEmail
from lms.roles import Role, has_role
from tests.factories import PASSWORD, EventFactory, InstitutionFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(**overrides):
    institution = InstitutionFactory(name="Chișinău District Court")
    data = {
        "email": "Maria.Ciobanu@Example.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        # "Ștefănescu" typed with combining marks: stored as one character each (NFC).
        "given_name": "Maria",
        "family_name": "S\u0326tefa\u0306nescu",
        "name_other_script": "Мария Штефэнеску",
        "profession": Audience.JUDGE,
        "position": "Judge",
        "institution": institution.pk,
        "region": RegionFactory(name="Bălți").pk,
        "sex": "female",
        "preferred_language": "ro",
        "phone": "",
    }
    data.update(overrides)
    return data


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_signup_sends_a_verification_email_then_the_link_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    user = User.objects.get(email__iexact="maria.ciobanu@example.test")
    assert user.family_name == "Ștefănescu"
    assert user.name_other_script == "Мария Штефэнеску"
    assert user.institution.name == "Chișinău District Court"
    assert user.preferred_language == "ro"
    assert has_role(user, Role.PARTICIPANT)
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated

    # The email went through the outbox and was marked sent once delivered.
    outgoing = OutgoingEmail.objects.get(to=user.email)
    assert outgoing.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1
    confirm_url = link_in(mail.outbox[0])
    assert "/accounts/confirm-email/" in confirm_url

    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_unverified_account_cannot_sign_in(client):
    UserFactory(email="new@example.test", verified=False)
    response = client.post(reverse("account_login"), {"login": "new@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_verified_account_signs_in_with_email_in_any_case(client):
    user = UserFactory(email="judge@example.test")
    response = client.post(reverse("account_login"), {"login": "JUDGE@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).wsgi_request.user == user


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="judge@example.test")
    response = client.post(reverse("account_login"), {"login": "judge@example.test", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_signup_without_profession_creates_nobody(client):
    response = client.post(reverse("account_signup"), signup_data(profession=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(email__iexact="maria.ciobanu@example.test").exists()


def test_signup_with_an_email_already_used_in_another_case_creates_no_second_account(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="maria.ciobanu@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data())
    # The page does not tell a stranger the address is taken; its owner is told by email.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="maria.ciobanu@example.test").count() == 1
    assert len(mail.outbox) == 1
    assert "already" in mail.outbox[0].body


def test_signup_with_a_forged_institution_id_is_refused(client):
    response = client.post(reverse("account_signup"), signup_data(institution=999999))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email__iexact="maria.ciobanu@example.test").exists()


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="prosecutor@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "prosecutor@example.test"})
    assert len(mail.outbox) == 1
    response = client.get(link_in(mail.outbox[0]), follow=True)
    new_password = "a new and long passphrase"
    response = client.post(response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="judge@example.test")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "judge@example.test", "password": "wrong"})
    # Even the right password is refused for a while after too many failures.
    response = client.post(reverse("account_login"), {"login": "judge@example.test", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def ask_to_change_email(client, user, new_email, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_email"), {"email": new_email, "action_add": ""})


def test_an_account_has_one_address_replaced_once_the_new_one_is_confirmed(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="judge@example.test")
    response = ask_to_change_email(client, user, "judge@court.example.test", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    # Until confirmed, the account keeps its address and adds none.
    user.refresh_from_db()
    assert user.email == "judge@example.test"
    assert list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)) == [
        "judge@example.test"
    ]
    page = client.get(reverse("account_email")).content.decode()
    assert "judge@court.example.test" in page
    assert "Change Email" in page and "Add Email" not in page

    confirm_url = link_in(mail.outbox[-1])
    client.post(confirm_url)
    user.refresh_from_db()
    assert user.email == "judge@court.example.test"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["judge@court.example.test"]


def test_asking_for_a_strangers_address_keeps_neither_signup_nor_nominations_from_the_stranger(
    client, django_capture_on_commit_callbacks
):
    asker = UserFactory(email="asker@example.test")
    ask_to_change_email(client, asker, "stranger@example.test", django_capture_on_commit_callbacks)
    mail.outbox.clear()

    stranger_client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        stranger_client.post(reverse("account_signup"), signup_data(email="stranger@example.test"))
    stranger = User.objects.get(email="stranger@example.test")
    assert stranger != asker
    # The stranger is sent the link to confirm their own account, not "you already have one".
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    # The asker's pending change is void: its link no longer confirms anything.
    assert not EmailAddress.objects.filter(user=asker, email="stranger@example.test").exists()

    event = EventFactory()
    enrolled, problems = enrollment_nominate(
        event=event, emails=["stranger@example.test"], actor=UserFactory(role=Role.ADMINISTRATOR)
    )
    assert problems == []
    assert [enrollment.user for enrollment in enrolled] == [stranger]
    assert not event.enrollments.filter(user=asker).exists()


def test_a_confirmed_address_still_creates_no_second_account(client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data(email="taken@example.test"))
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1
    assert "already" in mail.outbox[0].body


SITE_URL = "https://training.example.org"


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("account_signup", signup_data),  # the confirmation link
        ("account_signup", lambda: signup_data(email="judge@example.test")),  # "you already have an account"
        ("account_reset_password", lambda: {"email": "judge@example.test"}),  # the reset link
        ("account_reset_password", lambda: {"email": "nobody@example.test"}),  # "no account: sign up here"
    ],
)
def test_emailed_links_lead_to_the_site_url_whatever_host_the_request_named(
    url_name, data, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    UserFactory(email="judge@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(url_name), data(), headers={"host": "attacker.example"})
    assert len(mail.outbox) == 1
    links = links_in(mail.outbox[0])
    assert links
    assert all(link.startswith(SITE_URL + "/accounts/") for link in links), links
    assert "attacker.example" not in mail.outbox[0].body
    assert "Hello from Sinergia!" in mail.outbox[0].body


def test_a_superuser_made_by_createsuperuser_signs_in_on_the_sites_page(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        email="root@example.test",
        given_name="Ion",
        family_name="Rusu",
        verbosity=0,
    )
    response = client.post(reverse("account_login"), {"login": "root@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).wsgi_request.user.email == "root@example.test"


def test_a_change_to_an_address_another_account_signed_up_with_is_refused_when_confirmed(
    client, django_capture_on_commit_callbacks
):
    other = UserFactory(email="shared@example.test", verified=False)
    asker = UserFactory(email="asker@example.test")
    ask_to_change_email(client, asker, "shared@example.test", django_capture_on_commit_callbacks)
    response = Client().post(link_in(mail.outbox[-1]), follow=True)
    assert response.status_code == 200
    assert "already confirmed by a different account" in response.content.decode()
    asker.refresh_from_db()
    other.refresh_from_db()
    assert (asker.email, other.email) == ("asker@example.test", "shared@example.test")
