"""Account pages and emails in Romanian and Russian: formal, with correct diacritics, naming Sinergia.

allauth's and Django's own texts are corrected in locale_overrides/.
"""

import pytest
from django.test import Client
from django.urls import reverse

from lms.models import OutgoingEmail
from tests.factories import UserFactory
from tests.lms.test_accounts import signup_data

pytestmark = pytest.mark.django_db


def client_in(language):
    client = Client()
    client.cookies["django_language"] = language
    return client


def text_of(response):
    return response.content.decode()


def test_sign_in_and_sign_up_pages_in_romanian_are_formal_with_diacritics():
    client = client_in("ro")
    sign_in = text_of(client.get(reverse("account_login")))
    sign_up = text_of(client.get(reverse("account_signup")))

    assert "Conectați-vă" in sign_in
    assert "Dacă nu aveți încă un cont" in sign_in
    assert "Țineți-mă minte" in sign_in
    assert "Ați uitat parola?" in sign_in
    assert "Înregistrați-vă" in sign_up
    assert "Aveți deja un cont?" in sign_up
    for poor in ("Conecteaza-te", "Daca nu ai", "Tine-ma minte", "Ai uitat parola", "Inregistreaza-te", "Te rugam"):
        assert poor not in sign_in + sign_up
    # The password help texts read as Romanian, "să" with its diacritic.
    assert "Parola nu poate semăna prea mult cu celelalte date personale ale dumneavoastră." in sign_up
    assert "parola sa fie" not in sign_up


def test_sign_up_page_in_russian():
    sign_up = text_of(client_in("ru").get(reverse("account_signup")))
    assert "Уже есть учётная запись?" in sign_up
    assert "Зарегистрироваться" in sign_up
    assert "Зарегистрируйтесь" not in sign_up


@pytest.mark.parametrize(
    ("language", "subject", "expected", "poor"),
    [
        (
            "ro",
            "[Sinergia] Vă rugăm să confirmați adresa de e-mail",
            [
                "Vă salută Sinergia!",
                "a indicat adresa dumneavoastră de e-mail",
                "Pentru a confirma că adresa este corectă, deschideți http",
                "Vă mulțumim că folosiți Sinergia!",
            ],
            ["Salutari", "Iti multumim", "adresa ta", "accesează"],
        ),
        (
            "ru",
            "[Sinergia] Подтвердите, пожалуйста, адрес электронной почты",
            [
                "Вас приветствует Sinergia!",
                "ваш адрес электронной почты указан для учётной записи Maria Ștefănescu",
                "Чтобы подтвердить адрес, перейдите по ссылке: http",
                "Благодарим вас за то, что пользуетесь Sinergia!",
            ],
            ["«Sinergia!»", "Ваш адрес"],
        ),
    ],
)
def test_signup_sends_a_formal_verification_email_naming_sinergia(language, subject, expected, poor):
    response = client_in(language).post(reverse("account_signup"), signup_data(preferred_language=language))
    assert response.status_code == 302

    email = OutgoingEmail.objects.get(to__iexact="maria.ciobanu@example.test")
    assert email.subject == subject
    for text in expected:
        assert text in email.body_text
    for text in poor:
        assert text not in email.body_text


@pytest.mark.parametrize(
    ("language", "messages", "poor"),
    [
        (
            "ro",
            [
                "Această parolă este prea scurtă. Trebuie să conțină cel puțin 8 caractere.",
                "Această parolă este folosită prea des.",
                "Această parolă conține doar cifre.",
            ],
            ["This password is too short", "Acestă parolă", "elemente numerice"],
        ),
        (
            "ru",
            [
                "Пароль слишком короткий. Он должен содержать не менее 8 символов.",
                "Этот пароль слишком распространён.",
                "Пароль состоит только из цифр.",
            ],
            ["состоять из как минимум"],
        ),
    ],
)
def test_a_short_common_numeric_password_is_refused_in_the_visitors_language(language, messages, poor):
    data = signup_data(password1="1234", password2="1234")
    response = client_in(language).post(reverse("account_signup"), data)

    page = text_of(response)
    assert response.status_code == 200
    for message in messages:
        assert message in page
    for text in poor:
        assert text not in page
    assert not OutgoingEmail.objects.exists()


def test_a_password_like_the_email_address_is_refused_in_formal_romanian():
    data = signup_data(email="mariaciobanu@example.test", password1="mariaciobanu", password2="mariaciobanu")
    page = text_of(client_in("ro").post(reverse("account_signup"), data))
    assert "Parola seamănă prea mult cu datele dumneavoastră (" in page
    assert "Parola este prea asemănătoare cu" not in page


@pytest.mark.parametrize(
    ("language", "email_page", "password_page"),
    [
        ("ro", ["Adresa de e-mail actuală", "Schimbați adresa de e-mail"], ["Parola actuală", "Schimbați parola"]),
        ("ru", ["Текущий адрес", "Изменить адрес"], ["Текущий пароль", "Изменить пароль"]),
    ],
)
def test_email_and_password_pages_of_a_signed_in_user(language, email_page, password_page):
    client = client_in(language)
    client.force_login(UserFactory(preferred_language=language))
    email = text_of(client.get(reverse("account_email")))
    password = text_of(client.get(reverse("account_change_password")))
    for text in email_page:
        assert text in email
    for text in password_page:
        assert text in password
    assert "Schimba parola" not in password
    assert "Изменить E-mail" not in email


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ro", "Vă rugăm să aveți răbdare: ați trimis prea multe cereri într-un timp scurt."),
        ("ru", "Слишком много запросов. Пожалуйста, подождите немного и повторите попытку."),
    ],
)
def test_too_many_password_reset_requests_are_refused_in_the_visitors_language(language, expected):
    client = client_in(language)
    url = reverse("account_reset_password")
    responses = [client.post(url, {"email": "someone@example.test"}) for _ in range(6)]

    assert responses[0].status_code == 302
    refused = responses[-1]
    assert refused.status_code == 429
    assert expected in text_of(refused)
    assert "You have sent too many requests" not in text_of(refused)
