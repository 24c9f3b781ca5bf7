"""A revoked certificate: what its holder and administrators get, and the event's ZIP file that held it."""

import hashlib
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from certificates import exports
from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.services import event_close
from lms.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def closed(closing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    return {**closing, "admin": UserFactory(role=Role.ADMINISTRATOR)}


@pytest.fixture
def revoked(closed):
    certificate = Certificate.objects.get(printed_name="Lāsma Stabiņa")  # in English
    certificate_revoke(certificate=certificate, actor=closed["admin"], reason="Signed the attendance sheet for others")
    certificate.refresh_from_db()
    return certificate


def test_the_holder_of_a_revoked_certificate_is_told_when_and_why_and_gets_no_pdf(client, revoked):
    client.force_login(revoked.enrollment.user)
    response = client.get(reverse("certificates:download", args=[revoked.uuid]))
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Revoked since" in page and "Signed the attendance sheet for others" in page
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert revoked.code in mine and "Revoked" in mine
    assert reverse("certificates:download", args=[revoked.uuid]) not in mine


def test_an_administrator_gets_the_revoked_certificate_marked_and_the_stored_pdf_stays_as_issued(client, revoked):
    stored = revoked.pdf.read()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("certificates:event", args=[revoked.enrollment.event_id])).content.decode()
    assert reverse("certificates:download", args=[revoked.uuid]) in page
    response = client.get(reverse("certificates:download", args=[revoked.uuid]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "REVOKED" in text and "Signed the attendance sheet for others" in text and "Lāsma Stabiņa" in text
    revoked.refresh_from_db()
    assert revoked.pdf.read() == stored
    assert hashlib.sha256(stored).hexdigest() == revoked.sha256
    assert "REVOKED" not in pdf_text(stored)


@pytest.fixture
def build_zip(client, django_capture_on_commit_callbacks):
    def build(event):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("certificates:zip_start", args=[event.pk]))
        return exports.zip_progress(event)

    return build


def test_revoking_discards_the_events_zip_file_and_the_page_offers_to_build_a_new_one(
    client, closed, build_zip, django_capture_on_commit_callbacks
):
    event = closed["event"]
    client.force_login(closed["admin"])
    job = build_zip(event)
    assert default_storage.exists(job["path"])
    certificate = Certificate.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:action", args=[event.pk, "revoke"]),
            {"certificate": certificate.pk, "reason": "x", "confirm": "1"},
        )
    assert not default_storage.exists(job["path"])
    page = client.get(reverse("certificates:event", args=[event.pk])).content.decode()
    assert reverse("certificates:zip_download", args=[event.pk]) not in page
    assert "Build the ZIP file" in page
    response = client.get(reverse("certificates:zip_download", args=[event.pk]), follow=True)
    assert "There is no up-to-date ZIP file." in response.content.decode()
    # A new one leaves the revoked certificate out.
    build_zip(event)
    response = client.get(reverse("certificates:zip_download", args=[event.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 3 and not any(name.startswith(certificate.code) for name in names)


def test_a_zip_built_while_a_certificate_was_being_revoked_is_not_downloaded(client, closed, build_zip):
    event = closed["event"]
    client.force_login(closed["admin"])
    job = build_zip(event)
    certificate_revoke(certificate=Certificate.objects.first(), actor=closed["admin"], reason="x")
    # The build finished after the revocation and recorded its ZIP as done again.
    cache.set(f"certificates-zip:{event.pk}", job)
    response = client.get(reverse("certificates:zip_download", args=[event.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "There is no up-to-date ZIP file." in response.content.decode()
    assert exports.zip_progress(event) is None


def test_a_build_whose_job_was_discarded_keeps_nothing(closed):
    assert exports.zip_build(closed["event"].pk, "exports/forgotten.zip") is None
    assert not default_storage.exists("exports/forgotten.zip")


def test_issuing_a_certificate_by_hand_discards_the_zip_file(
    client, closed, build_zip, django_capture_on_commit_callbacks
):
    event = closed["event"]
    client.force_login(closed["admin"])
    job = build_zip(event)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:action", args=[event.pk, "issue"]),
            {"enrollment": closed["enrollments"][4].pk, "reason": "Attended the make-up session"},
        )
    assert exports.zip_progress(event) is None
    assert not default_storage.exists(job["path"])


@pytest.mark.parametrize(
    ("printed_name", "member"),
    [
        ("Ștefan Țurcanu", "{code}-Stefan-Turcanu.pdf"),
        ("Наталья Кожухарь", "{code}.pdf"),
        ("../../etc/passwd", "{code}-etc-passwd.pdf"),
        ("..\\..\\boot.ini: Łukasz Żółć*?", "{code}-boot-ini-Lukasz-Zolc.pdf"),
        ("Ян Ø'Brien / ..", "{code}-O-Brien.pdf"),
    ],
)
def test_zip_members_are_the_code_and_an_ascii_slug_of_the_name(client, closed, build_zip, printed_name, member):
    certificate = Certificate.objects.first()
    Certificate.objects.filter(pk=certificate.pk).update(printed_name=printed_name)
    client.force_login(closed["admin"])
    build_zip(closed["event"])
    response = client.get(reverse("certificates:zip_download", args=[closed["event"].pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert member.format(code=certificate.code) in names
    assert not any("/" in name or "\\" in name or ".." in name or "\x00" in name for name in names)


@pytest.mark.parametrize("junk", ["%00", "AAAA-BBBB-%00", "%FF%FE", "x" * 300, "AAAA%00BBBB", "' OR 1=1 --"])
def test_verification_of_junk_answers_unknown_certificate(client, junk):
    response = client.get(f"/verify/{junk}/")
    assert response.status_code == 200
    assert "Unknown certificate." in response.content.decode()
