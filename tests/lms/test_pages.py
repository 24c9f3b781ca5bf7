import re

import pytest
from django.conf import settings
from django.urls import reverse

from lms.roles import Role
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "skip_link"),
    [
        ("en", "Training for judges, prosecutors and police officers", "Skip to main content"),
        ("ro", "Instruire pentru judecători, procurori și polițiști", "Salt la conținutul principal"),
        ("ru", "Обучение для судей, прокуроров и сотрудников полиции", "Перейти к основному содержимому"),
    ],
)
def test_home_page_speaks_the_browser_language(client, language, heading, skip_link):
    response = client.get(reverse("home"), headers={"accept-language": language})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert heading in page
    assert skip_link in page


@pytest.mark.parametrize(("language", "text"), [("ro", "Autentificare"), ("ru", "Войти")])
def test_sign_in_page_is_translated(client, language, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("account_login"))
    assert text in response.content.decode()


def test_language_switcher_keeps_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("home")})
    assert response.status_code == 302
    assert "Что здесь можно сделать" in client.get(reverse("home")).content.decode()


def test_a_signed_in_user_sees_their_preferred_language_until_they_switch(client):
    client.force_login(UserFactory(preferred_language="ro"))
    assert "Panoul personal" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My dashboard" in client.get(reverse("dashboard")).content.decode()


def test_pages_are_accessible_landmarks_and_assets_are_served_locally(client):
    page = client.get(reverse("home")).content.decode()
    assert 'href="#main"' in page
    assert '<main id="main"' in page
    assert "<nav " in page and "<header" in page and "<footer" in page
    assert '<label for="language-select">' in page
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    stylesheet = re.search(r'href="([^"]+site\.css)"', page).group(1)
    assert client.get(stylesheet).status_code == 200


def test_dashboard_needs_a_signed_in_user(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_navigation_follows_the_role(client):
    participant = UserFactory(given_name="Natalia")
    client.force_login(participant)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Welcome, Natalia" in page
    assert reverse("admin:index") not in page

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("admin:index") in page
    assert "Open the administration" in page
    # Events are made on the site's own page, which the dashboard leads to.
    assert reverse("courses:event_new") in page


def test_profile_edit_saves_the_name_as_typed_but_not_institution_and_profession(client):
    user = UserFactory()
    mine = user.institution
    institution = InstitutionFactory(name="Procuratura Generală")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "given_name": "Наталья",
            "family_name": "Кожухарь",
            "name_other_script": "Natalia Cojuhari",
            "profession": "police_officer",
            "position": "Inspector",
            "institution": institution.pk,
            "sex": "female",
            "preferred_language": "ru",
        },
        follow=True,
    )
    assert "Your profile was saved." in response.content.decode() or "Ваш профиль сохранен." in (
        response.content.decode()
    )
    user.refresh_from_db()
    assert user.get_full_name() == "Наталья Кожухарь"
    assert user.preferred_language == "ru"
    # These two change only on request, once an administrator approves.
    assert (user.institution, user.profession) == (mine, "judge")


def test_profile_edit_with_bad_input_changes_nothing(client):
    user = UserFactory(given_name="Ion", preferred_language="en")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"given_name": "", "family_name": "X", "profession": "astronaut", "preferred_language": "de", "sex": "f"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert "This field is required." in page
    user.refresh_from_db()
    assert user.given_name == "Ion"
    assert user.preferred_language == "en"


def test_profile_page_only_edits_the_signed_in_user(client):
    me, other = UserFactory(), UserFactory(given_name="Other")
    client.force_login(me)
    # A forged id in the form is ignored: the page always edits its own user.
    client.post(
        reverse("profile"),
        {
            "id": other.pk,
            "given_name": "Hacked",
            "family_name": "X",
            "profession": "judge",
            "sex": "male",
            "preferred_language": "en",
        },
    )
    other.refresh_from_db()
    assert other.given_name == "Other"
