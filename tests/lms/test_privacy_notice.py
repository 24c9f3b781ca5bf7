"""The privacy notice: accepted at signup, accepted again at the next sign-in after a new version, never changed once
published; the optional consent to appear on the participant list, and the list that respects it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from courses.models import Enrollment
from lms.consents import (
    consent_give,
    consent_withdraw,
    has_consent,
    needs_acceptance,
    notice_accept,
    notice_publish,
    notice_save,
)
from lms.models import Consent, NoticeAcceptance, PrivacyNotice, User
from lms.roles import Role
from tests.factories import PASSWORD, EnrollmentFactory, EventFactory, UserFactory
from tests.lms.test_accounts import signup_data

pytestmark = pytest.mark.django_db

LISTED = Consent.Kind.PARTICIPANT_LIST
ACCEPT = reverse("privacy_notice_accept")


def published(text="We keep your name to print it on your certificates."):
    """A new version of the notice, in the three languages."""
    draft = notice_save(notice=PrivacyNotice(text_en=text, text_ro=f"RO {text}", text_ru=f"RU {text}"))
    return notice_publish(notice=draft)


def sign_in(client, user):
    """Through the site's sign-in page, as a person does."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_notice_is_public_in_the_readers_language_and_linked_from_every_page():
    published("# What we keep\nYour name, for certificates.\n\n- Attendance\n- Credit hours")
    page = Client().get(reverse("privacy_notice")).content.decode()
    assert "<h2>What we keep</h2>" in page and "<li>Credit hours</li>" in page and "Version 1" in page
    assert f'href="{reverse("privacy_notice")}"' in Client().get(reverse("courses:catalog")).content.decode()
    romanian = Client().get(reverse("privacy_notice"), headers={"accept-language": "ro"}).content.decode()
    assert "RO # What we keep" in romanian


def test_what_an_administrator_types_is_shown_as_text_not_markup():
    published("# <script>alert(1)</script>\n- <b>bold</b>")
    page = Client().get(reverse("privacy_notice")).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold" in page


def test_signup_is_refused_without_accepting_the_notice(client):
    published()
    page = client.get(reverse("account_signup")).content.decode()
    assert "I have read and accept the privacy notice" in page and f'href="{reverse("privacy_notice")}"' in page
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 200
    assert "Please read and accept the privacy notice to sign up." in response.content.decode()
    assert not User.objects.filter(email__iexact="maria.ciobanu@example.test").exists()


def test_signup_records_the_acceptance_of_the_version_shown(client):
    published()
    second = published("Version two.")
    response = client.post(reverse("account_signup"), signup_data(privacy_notice="on"))
    assert response.status_code == 302
    user = User.objects.get(email__iexact="maria.ciobanu@example.test")
    acceptance = NoticeAcceptance.objects.get(person=user)
    assert (acceptance.notice, acceptance.notice.version) == (second, 2)
    assert acceptance.accepted_at is not None
    assert not needs_acceptance(user)


def test_before_any_notice_is_published_nobody_is_asked(client):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = UserFactory()
    assert not needs_acceptance(user)
    sign_in(client, user)
    assert client.get(reverse("courses:my_trainings")).status_code == 200


def test_a_new_version_is_asked_for_at_the_next_sign_in_then_the_person_goes_where_they_were_going(client):
    user = UserFactory()
    notice_accept(person=user, notice=published())
    sign_in(client, user)
    my_trainings = reverse("courses:my_trainings")
    assert client.get(my_trainings).status_code == 200

    second = published("# What changed\nWe now also keep your phone number.")
    # The session already open goes on; the next sign-in asks.
    assert client.get(my_trainings).status_code == 200
    client.post(reverse("account_logout"))
    sign_in(client, user)
    going = f"{my_trainings}?page=2"
    response = client.get(going)
    assert response.status_code == 302 and response.url == f"{ACCEPT}?{urlencode({'next': going})}"
    assert client.get(reverse("dashboard")).url.startswith(ACCEPT)

    page = client.get(response.url).content.decode()
    assert "We now also keep your phone number." in page and "Version 2" in page
    assert f'name="next" value="{going}"' in page
    response = client.post(ACCEPT, {"version": 2, "next": going})
    assert response.status_code == 302 and response.url == going
    assert NoticeAcceptance.objects.filter(person=user, notice=second).exists()
    assert client.get(my_trainings).status_code == 200


def test_while_it_is_due_the_notice_sign_out_and_the_language_switch_stay_open(client):
    user = UserFactory()
    published()
    sign_in(client, user)
    assert client.get(reverse("profile")).url.startswith(ACCEPT)
    assert client.get(reverse("privacy_notice")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not client.get(reverse("courses:catalog")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize("version", ["1", "3", "not a number", "99999999999999999999", ""])
def test_the_acceptance_page_refuses_an_old_or_forged_version(client, version):
    user = UserFactory()
    notice_accept(person=user, notice=published())
    published("Version two.")
    sign_in(client, user)
    going = reverse("courses:my_trainings")
    response = client.post(ACCEPT, {"version": version, "next": going}, follow=True)
    assert "This is not the current privacy notice" in response.content.decode()
    assert response.redirect_chain[0][0] == f"{ACCEPT}?{urlencode({'next': going})}"
    assert list(NoticeAcceptance.objects.filter(person=user).values_list("notice__version", flat=True)) == [1]
    assert client.get(reverse("courses:my_trainings")).url.startswith(ACCEPT)


def test_accepted_in_another_browser_the_notice_is_asked_no_more_in_this_one(client):
    user = UserFactory()
    published()
    sign_in(client, user)
    elsewhere = Client()
    sign_in(elsewhere, user)
    assert elsewhere.post(ACCEPT, {"version": 1}).status_code == 302
    response = client.get(reverse("profile"), follow=True)
    assert "You accepted this version on" in response.content.decode()
    assert client.get(reverse("profile")).status_code == 200


def test_the_acceptance_page_sends_nowhere_but_this_site(client):
    user = UserFactory()
    published()
    sign_in(client, user)
    response = client.post(ACCEPT, {"version": 1, "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_a_published_notice_is_never_changed_and_publishing_asks_for_every_language():
    notice = published()
    notice.text_en = "Something else."
    with pytest.raises(ValidationError, match="never changed"):
        notice_save(notice=notice)
    with pytest.raises(PermissionError):
        notice.save()
    draft = notice_save(notice=PrivacyNotice(text_en="Only in English."))
    with pytest.raises(ValidationError, match="Romanian, Russian"):
        notice_publish(notice=draft)
    assert PrivacyNotice.objects.get(pk=notice.pk).text_en == "We keep your name to print it on your certificates."


def test_in_the_admin_a_published_version_is_only_read_and_a_change_is_a_new_version(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    first = published()
    change = reverse("admin:lms_privacynotice_change", args=[first.pk])
    page = client.get(change).content.decode()
    assert "We keep your name" in page and 'name="text_en"' not in page
    client.post(change, {"text_en": "Forged.", "text_ro": "x", "text_ru": "y"})
    assert PrivacyNotice.objects.get(pk=first.pk).text_en == "We keep your name to print it on your certificates."

    changelist = reverse("admin:lms_privacynotice_changelist")
    response = client.post(changelist, {"action": "new_version", "_selected_action": [first.pk]})
    draft = PrivacyNotice.objects.get(version=None)
    assert response.url == reverse("admin:lms_privacynotice_change", args=[draft.pk])
    data = {"text_en": "Version two.", "text_ro": "Versiunea a doua.", "text_ru": "Вторая версия."}
    assert client.post(response.url, data).status_code == 302
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert (draft.version, draft.text_ro) == (2, "Versiunea a doua.")
    assert Client().get(reverse("privacy_notice")).content.decode().count("Version two.") == 1


def test_a_consent_is_given_and_withdrawn_on_the_privacy_page_with_its_dates(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("privacy_settings")
    assert "Not given." in client.get(url).content.decode()
    assert f'href="{url}"' in client.get(reverse("profile")).content.decode()

    client.post(url, {"kind": LISTED, "decision": "give"})
    client.post(url, {"kind": LISTED, "decision": "give"})  # twice: one consent
    consent = Consent.objects.get(person=user)
    assert has_consent(user, LISTED) and consent.withdrawn_at is None
    assert "Given on" in client.get(url).content.decode()

    client.post(url, {"kind": LISTED, "decision": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not has_consent(user, LISTED)
    assert "Withdrawn on" in client.get(url).content.decode()
    client.post(url, {"kind": LISTED, "decision": "give"})
    assert Consent.objects.filter(person=user).count() == 2 and has_consent(user, LISTED)


def test_an_unknown_consent_or_decision_is_refused_with_a_message(client):
    user = UserFactory()
    client.force_login(user)
    for data in [{"kind": "marketing", "decision": "give"}, {"kind": LISTED, "decision": "maybe"}, {}]:
        response = client.post(reverse("privacy_settings"), data, follow=True)
        assert response.status_code == 200 and "message-error" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.fixture
def event_with_people():
    """An event with confirmed participants: two agreed to appear on its list, one did not; someone still waiting
    for a seat agreed too."""
    event = EventFactory()
    people = {}
    for name, status, listed in [("Bîrsan", Enrollment.Status.CONFIRMED, True),
                                 ("Lungu", Enrollment.Status.CONFIRMED, True),
                                 ("Ciobanu", Enrollment.Status.CONFIRMED, False),
                                 ("Rusu", Enrollment.Status.WAITLISTED, True)]:  # fmt: skip
        person = UserFactory(family_name=name)
        EnrollmentFactory(event=event, user=person, status=status)
        if listed:
            consent_give(person=person, kind=LISTED)
        people[name] = person
    return event, people


def test_confirmed_participants_see_only_the_others_who_agreed(client, event_with_people):
    event, people = event_with_people
    client.force_login(people["Bîrsan"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Who else takes part" in page and "You appear on it too." in page
    assert f"Ion Lungu, {people['Lungu'].institution}" in page
    assert "Ciobanu" not in page and "Rusu" not in page and "Ion Bîrsan" not in page

    client.force_login(people["Ciobanu"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Ion Lungu" in page and "Ion Bîrsan" in page and "You do not appear on it." in page

    consent_withdraw(person=people["Lungu"], kind=LISTED)
    assert "Ion Lungu" not in client.get(event.get_absolute_url()).content.decode()


def test_nobody_else_sees_the_list(client, event_with_people):
    event, people = event_with_people
    for viewer in [None, people["Rusu"], EnrollmentFactory(event=EventFactory()).user, UserFactory()]:
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(event.get_absolute_url()).content.decode()
        assert "Who else takes part" not in page and "Ion Lungu" not in page


def test_the_events_trainers_and_administrators_may_see_it(client, event_with_people):
    event, people = event_with_people
    trainer = UserFactory(role=Role.TRAINER)
    event.trainers.add(trainer)
    for viewer in [trainer, UserFactory(role=Role.ADMINISTRATOR)]:
        client.force_login(viewer)
        page = client.get(event.get_absolute_url()).content.decode()
        assert "Ion Lungu" in page and "Ion Bîrsan" in page and "Ciobanu" not in page


def test_a_closed_account_is_on_no_list_whatever_it_agreed_to(client, event_with_people):
    event, people = event_with_people
    User.objects.filter(pk=people["Lungu"].pk).update(is_active=False)
    client.force_login(people["Bîrsan"])
    assert "Ion Lungu" not in client.get(event.get_absolute_url()).content.decode()
