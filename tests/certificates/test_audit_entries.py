"""The audit log accounts for certificates issued (at closing, or by hand), issued again and revoked, about their
holders and with no reason typed; and for the download of an event's certificates as a ZIP file."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses.services import event_close
from lms.audit import Action
from lms.roles import Role
from tests.audit_entries import assert_no_free_text, entries, entry_facts, only_entry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(closing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    return {**closing, "admin": UserFactory(role=Role.ADMINISTRATOR)}


def act(client, closed, action, data, capture):
    client.force_login(closed["admin"])
    with capture(execute=True):
        return client.post(reverse("certificates:action", args=[closed["event"].pk, action]), data, follow=True)


def test_closing_issues_each_certificate_with_an_entry_about_its_holder(closed):
    event = closed["event"]
    found = sorted((entry_facts(entry) for entry in entries(Action.CERTIFICATE_ISSUED)), key=lambda e: e["subject"].pk)
    assert found == [
        {"actor": None, "subject": certificate.enrollment.user, "target": str(event),
         "details": {"code": certificate.code}}
        for certificate in Certificate.objects.order_by("enrollment__user_id")
    ]  # fmt: skip
    assert len(found) == 4


def test_a_certificate_issued_by_hand_is_recorded_without_its_reason_and_a_refusal_is_not(
    client, closed, django_capture_on_commit_callbacks
):
    absent = closed["enrollments"][4]
    response = act(client, closed, "issue", {"enrollment": absent.pk, "reason": ""}, django_capture_on_commit_callbacks)
    assert "Say why this certificate is issued by hand." in response.content.decode()
    act(client, closed, "issue", {"enrollment": absent.pk, "reason": "Attended the make-up session"},
        django_capture_on_commit_callbacks)  # fmt: skip
    [entry] = [entry for entry in entries(Action.CERTIFICATE_ISSUED) if entry.subject == absent.user]
    certificate = Certificate.objects.get(enrollment=absent)
    assert entry_facts(entry) == {"actor": closed["admin"], "subject": absent.user, "target": str(closed["event"]),
                                  "details": {"code": certificate.code}}  # fmt: skip
    assert_no_free_text("Attended the make-up session")


def test_issued_again_and_revoked_are_recorded_with_no_reason_and_refusals_are_not(
    client, closed, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    certificate = Certificate.objects.get(printed_name="Ștefan Bîrsan")
    holder, admin, event = certificate.enrollment.user, closed["admin"], closed["event"]
    assert "Say why" in act(client, closed, "reissue", {"certificate": certificate.pk, "reason": " "},
                            capture).content.decode()  # fmt: skip
    act(client, closed, "reissue", {"certificate": certificate.pk, "reason": "Lost the first copy"}, capture)
    assert only_entry(Action.CERTIFICATE_REISSUED) == {
        "actor": admin,
        "subject": holder,
        "target": str(event),
        "details": {"code": certificate.code, "duplicate": 1},
    }
    revoke = {"certificate": certificate.pk, "reason": "Issued by mistake", "confirm": "1"}
    act(client, closed, "revoke", revoke, capture)
    response = act(client, closed, "revoke", revoke, capture)
    assert "This certificate is already revoked." in response.content.decode()
    assert only_entry(Action.CERTIFICATE_REVOKED) == {
        "actor": admin,
        "subject": holder,
        "target": str(event),
        "details": {"code": certificate.code},
    }
    assert (
        "A revoked certificate cannot be issued again."
        in act(client, closed, "reissue", {"certificate": certificate.pk, "reason": "Again"}, capture).content.decode()
    )
    assert len(entries(Action.CERTIFICATE_REISSUED)) == 1
    assert_no_free_text("Lost the first copy", "Issued by mistake")


def test_downloading_the_zip_is_recorded_and_no_zip_to_download_is_not(
    client, closed, django_capture_on_commit_callbacks
):
    event, admin = closed["event"], closed["admin"]
    client.force_login(admin)
    url = reverse("certificates:zip_download", args=[event.pk])
    assert client.get(url).status_code == 302  # not built yet
    client.force_login(closed["trainer"])
    assert client.get(url).status_code == 403
    assert entries(Action.DATA_EXPORTED) == []
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:zip_start", args=[event.pk]))
    response = client.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert only_entry(Action.DATA_EXPORTED) == {
        "actor": admin,
        "subject": None,
        "target": str(event),
        "details": {"export": "certificates.zip", "filters": {}},
    }
