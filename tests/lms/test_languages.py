"""The language people browse in becomes theirs: at signup, and whenever they switch it while signed in."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.lms.test_accounts import signup_data

pytestmark = pytest.mark.django_db
User = get_user_model()
ROOT = Path(__file__).resolve().parents[2]


def test_the_signup_form_offers_the_language_the_person_is_browsing_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    page = client.get(reverse("account_signup")).content.decode()
    assert '<option value="ro" selected>' in page


@pytest.mark.parametrize(
    ("browsing", "language"),
    [({"cookies": {settings.LANGUAGE_COOKIE_NAME: "ro"}}, "ro"), ({"headers": {"accept-language": "ru"}}, "ru")],
)
def test_signing_up_without_choosing_a_language_keeps_the_one_browsed_in(client, browsing, language):
    client.cookies.load(browsing.get("cookies", {}))
    data = signup_data()
    del data["preferred_language"]
    response = client.post(reverse("account_signup"), data, headers=browsing.get("headers"))
    assert response.status_code == 302
    assert User.objects.get(email__iexact=data["email"]).preferred_language == language


def test_a_language_chosen_at_signup_wins_over_the_one_browsed_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    data = signup_data(preferred_language="ru")
    client.post(reverse("account_signup"), data)
    assert User.objects.get(email__iexact=data["email"]).preferred_language == "ru"


def switch(client, language, next_url="/dashboard/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switching_language_while_signed_in_makes_it_the_preferred_one(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = switch(client, "ro")
    assert (response.status_code, response.url) == (302, "/dashboard/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    user.refresh_from_db()
    assert user.preferred_language == "ro"
    # It follows them into another browser, where they never chose.
    other_browser = Client()
    other_browser.force_login(user)
    assert "Panoul personal" in other_browser.get(reverse("dashboard")).content.decode()


def test_switching_before_the_browser_remembered_a_language_keeps_the_new_choice(client):
    user = UserFactory(preferred_language="ro")
    client.force_login(user)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    switch(client, "ru")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert "Личный кабинет" in client.get(reverse("dashboard")).content.decode()


def test_switching_while_signed_out_changes_only_the_browser(client):
    user = UserFactory(preferred_language="ru")
    switch(client, "ro")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    user.refresh_from_db()
    assert user.preferred_language == "ru"


@pytest.mark.parametrize("language", ["de", "xx", "", "ro-MD-extra"])
def test_a_language_the_site_does_not_offer_changes_nothing(client, language):
    user = UserFactory(preferred_language="ro")
    client.force_login(user)
    client.get(reverse("dashboard"))  # the browser now remembers Romanian
    response = switch(client, language)
    assert response.status_code == 302
    assert language == "" or response.cookies.get(settings.LANGUAGE_COOKIE_NAME) is None
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    user.refresh_from_db()
    assert user.preferred_language == "ro"


def test_switching_redirects_only_within_the_site(client):
    client.force_login(UserFactory())
    assert switch(client, "ro", next_url="https://elsewhere.example/").url == "/"


def test_a_cookie_naming_a_language_the_site_does_not_offer_does_not_hide_the_preferred_one(client):
    client.force_login(UserFactory(preferred_language="ru"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert "Личный кабинет" in client.get(reverse("dashboard")).content.decode()


def _translated_at_import(path):
    """Lines of `path` that translate a text while the module loads, in whatever language is active then."""
    tree = ast.parse(path.read_text())
    names = {"gettext", "ngettext", "pgettext", "npgettext"}
    eager = names | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in names and alias.asname
    }
    found, pending = [], [tree]
    while pending:
        for child in ast.iter_child_nodes(pending.pop()):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # runs when called, in the language of that moment
            called = getattr(child, "func", None)
            # gettext(...), _(...) when it stands for gettext, translation.gettext(...)
            if getattr(called, "id", None) in eager or getattr(called, "attr", None) in names:
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            pending.append(child)
    return found


def test_no_text_is_translated_when_a_module_loads():
    sources = [
        path
        for app in ("lms", "courses", "certificates", "stats")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert [line for path in sources for line in _translated_at_import(path)] == []


def test_choosing_another_preferred_language_in_the_profile_switches_the_site_too(client):
    user = UserFactory(preferred_language="ro")
    client.force_login(user)
    assert "Panoul personal" in client.get(reverse("dashboard")).content.decode()  # the browser remembers ro
    profile = {"given_name": "Ion", "family_name": "Popescu", "sex": "male", "preferred_language": "ru"}
    assert client.post(reverse("profile"), profile).status_code == 302
    assert "Личный кабинет" in client.get(reverse("dashboard")).content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
