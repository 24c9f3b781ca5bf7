import io
import re
import threading
import zipfile
from decimal import Decimal

import pytest
import zxingcpp
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates import exports
from certificates.models import Certificate
from certificates.pdf import certificate_pdf, draw_qr
from certificates.services import (
    certificate_deliver,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificates_requeue_undelivered,
)
from courses.services import event_close
from lms.models import OutgoingEmail, User
from lms.roles import Role
from tests.conftest import worker_db
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
CYRILLIC = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def close(closing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=closing["event"], actor=closing["trainer"])
    return Certificate.objects.order_by("printed_name")


def test_closing_issues_one_certificate_to_each_participant_who_completed(closing, django_capture_on_commit_callbacks):
    certificates = close(closing, django_capture_on_commit_callbacks)
    assert sorted(c.printed_name for c in certificates) == sorted(["Ștefan Bîrsan", "Lāsma Stabiņa", "Наталья Кожухарь",
                                                                   "Aistė Žemaitytė"])  # fmt: skip
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        [(filename, content, mimetype)] = message.attachments
        certificate = Certificate.objects.get(enrollment__user__email=message.to[0])
        assert (filename, mimetype) == (f"certificate-{certificate.code}.pdf", "application/pdf")
        assert certificate.printed_name in pdf_text(content)
        assert certificate.state == "sent"


def test_the_certificate_is_a_snapshot_with_unique_codes(closing, django_capture_on_commit_callbacks):
    close(closing, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(printed_name="Наталья Кожухарь")
    assert certificate.language == "ru"
    assert (certificate.credit_hours, certificate.attendance_rate) == (Decimal("1.50"), Decimal("100.00"))
    assert certificate.facilitators == ["Ian Sweet"]
    assert certificate.signatories == [{"name": "Rūta Šimkūnė", "role": "Тренер"}]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)
    assert len({c.code for c in Certificate.objects.all()}) == len({c.uuid for c in Certificate.objects.all()}) == 4
    assert len(certificate.sha256) == 64
    # Later changes to the person or the course do not change what was certified.
    user = certificate.enrollment.user
    user.family_name = "Changed"
    user.save()
    certificate.refresh_from_db()
    assert certificate.printed_name == "Наталья Кожухарь"


def test_at_most_one_certificate_per_enrollment_even_when_issued_twice_at_once(closing):
    enrollment = closing["enrollments"][0]
    enrollment.completed = True
    enrollment.save()
    assert certificate_issue(enrollment=enrollment)[1] is True
    assert certificate_issue(enrollment=enrollment) == (Certificate.objects.get(), False)


@worker_db
def test_two_processes_issuing_the_same_certificate_at_once_make_one(closing):
    enrollment = closing["enrollments"][0]
    enrollment.completed = True
    enrollment.save()
    start, results, errors = threading.Barrier(4), [], []

    def issue():
        try:
            start.wait()
            results.append(certificate_issue(enrollment=enrollment)[1])
        except Exception as error:  # noqa: BLE001 - every failure is counted
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.count() == 1
    assert results.count(True) == 1


def test_the_pdf_draws_every_name_exactly_in_embedded_subset_fonts(closing):
    enrollment = closing["enrollments"][2]
    user = enrollment.user
    user.name_other_script = CYRILLIC
    user.save()
    enrollment.completed = True
    enrollment.credit_hours, enrollment.attendance_rate = Decimal("13"), Decimal("100")
    enrollment.save()
    certificate, _created = certificate_issue(enrollment=enrollment)
    content = certificate_pdf(certificate)
    text = pdf_text(content)
    for expected in [
        "Наталья Кожухарь",
        CYRILLIC,
        "Rūta Šimkūnė",
        "Ian Sweet",
        certificate.code,
        "Inspectoratul General",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)  # A4 landscape
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    assert all(re.match(r"/[A-Z]{6}\+FiraSans", font["/BaseFont"]) for font in fonts)  # subsets
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def font_programs(content):
    fonts = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"].values()
    return sorted(font.get_object()["/FontDescriptor"]["/FontFile2"].get_data() for font in fonts)


def test_the_certificates_of_an_event_embed_the_same_fonts_and_each_reads_its_own_name(closing):
    certificates, names = [], [("Elena", "Rusu"), ("Rusu", "Elena"), ("Lāsma", "Stabiņa")]
    for enrollment, (given, family) in zip(closing["enrollments"], names, strict=False):
        User.objects.filter(pk=enrollment.user_id).update(given_name=given, family_name=family)
        enrollment.completed = True
        enrollment.save()
        certificates.append(certificate_issue(enrollment=enrollment)[0])
    first, second, third = certificates
    # The second draws the same letters as the first, in another order: its language, code and address made alike.
    second.language, second.grammatical_gender = first.language, first.grammatical_gender
    second.code, second.uuid = first.code, first.uuid
    contents = [certificate_pdf(certificate) for certificate in certificates]
    for certificate, content in zip(certificates, contents, strict=True):
        assert certificate.printed_name in pdf_text(content)
    assert font_programs(contents[1]) == font_programs(contents[0])
    assert font_programs(contents[2]) != font_programs(contents[1])  # ā, ņ, L, S and b besides


def test_the_qr_code_encodes_the_verification_address(closing):
    class Recorder:
        """Keeps the PDF operators the QR code writes, in module units."""

        literal = ""

        def addLiteral(self, text):  # noqa: N802 - ReportLab's name
            self.literal += text

        def __getattr__(self, name):  # saveState, translate, scale, ... change nothing here
            return lambda *args, **kwargs: None

    url = "https://sinergia.example.org/verify/u/8c3e1d9a-1b2c-4d5e-8f90-123456789abc/"
    recorder = Recorder()
    draw_qr(recorder, url, 0, 0, 90)
    runs = [[int(figure) for figure in run] for run in re.findall(r"(\d+) (\d+) (\d+) 1 re", recorder.literal)]
    size = max(x + width for x, _y, width in runs)
    # The drawn runs as a picture, with its quiet zone, read back by a QR reader as a phone would.
    quiet, scale = 4, 4
    picture = Image.new("L", (size + 2 * quiet, size + 2 * quiet), 255)
    for x, y, width in runs:
        picture.paste(0, (quiet + x, quiet + size - 1 - y, quiet + x + width, quiet + size - y))
    picture = picture.resize((picture.width * scale, picture.height * scale), Image.NEAREST)
    read = zxingcpp.read_barcode(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    assert read is not None and read.text == url
    # and it is the certificate's own address
    enrollment = closing["enrollments"][0]
    enrollment.completed = True
    enrollment.save()
    certificate, _created = certificate_issue(enrollment=enrollment)
    assert certificate.verification_url.endswith(f"/verify/u/{certificate.uuid}/")


def test_a_sent_certificate_is_not_emailed_twice_unless_resent(closing, django_capture_on_commit_callbacks):
    close(closing, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_deliver(certificate=certificate)
    assert len(mail.outbox) == 4
    client_admin = UserFactory(role=Role.ADMINISTRATOR)
    from django.test import Client

    client = Client()
    client.force_login(client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:action", args=[closing["event"].pk, "resend"]), {"certificate": certificate.pk}
        )
    assert len(mail.outbox) == 5


def test_reissue_makes_a_duplicate_with_the_same_code_and_revoke_records_who_when_why(
    client, closing, django_capture_on_commit_callbacks
):
    close(closing, django_capture_on_commit_callbacks)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    certificate = Certificate.objects.get(printed_name="Ștefan Bîrsan")
    first_sha, code = certificate.sha256, certificate.code
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=certificate, actor=admin, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reissue(certificate=certificate, actor=admin, reason="Lost the first copy")
    certificate.refresh_from_db()
    assert (certificate.code, certificate.duplicate_number) == (code, 1)
    assert certificate.sha256 != first_sha
    assert "Duplicat" in pdf_text(certificate.pdf.read())  # in Romanian, the participant's language
    certificate_revoke(certificate=certificate, actor=admin, reason="Issued by mistake")
    certificate.refresh_from_db()
    assert (certificate.revoked_by, certificate.revocation_reason) == (admin, "Issued by mistake")
    assert certificate.revoked_at is not None
    page = client.get(reverse("certificates:verify", args=[code])).content.decode()
    assert "Revoked since" in page


def test_issue_by_hand_needs_an_administrator_and_a_reason(client, closing):
    absent = closing["enrollments"][4]
    url = reverse("certificates:action", args=[closing["event"].pk, "issue"])
    client.force_login(closing["trainer"])
    assert client.post(url, {"enrollment": absent.pk, "reason": "x"}).status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(url, {"enrollment": absent.pk, "reason": ""}, follow=True)
    assert "Say why this certificate is issued by hand." in response.content.decode()
    client.post(url, {"enrollment": absent.pk, "reason": "Attended the make-up session"})
    certificate = Certificate.objects.get(enrollment=absent)
    assert certificate.issue_reason == "Attended the make-up session"
    assert client.post(url, {"enrollment": 99999, "reason": "x"}).status_code == 404


def test_participants_download_their_own_certificate_and_others_get_404(
    client, closing, django_capture_on_commit_callbacks
):
    close(closing, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(printed_name="Lāsma Stabiņa")
    owner = certificate.enrollment.user
    client.force_login(owner)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.code in page
    download = reverse("certificates:download", args=[certificate.uuid])
    assert download in client.get(reverse("courses:my_trainings")).content.decode()
    response = client.get(reverse("certificates:download", args=[certificate.uuid]))
    assert response.status_code == 200
    assert "Lāsma Stabiņa" in pdf_text(b"".join(response.streaming_content))
    for other in [closing["enrollments"][0].user, closing["trainer"], UserFactory()]:
        client.force_login(other)
        assert client.get(reverse("certificates:download", args=[certificate.uuid])).status_code == 404
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("certificates:download", args=[certificate.uuid])).status_code == 200


def test_verification_shows_valid_unknown_and_only_what_it_should(client, closing, django_capture_on_commit_callbacks):
    close(closing, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(printed_name="Aistė Žemaitytė")
    page = client.get(reverse("certificates:verify", args=[certificate.code.lower()])).content.decode()
    assert "Valid certificate." in page and "Aistė Žemaitytė" in page
    assert certificate.enrollment.user.email not in page
    assert (
        "Valid certificate."
        in client.get(reverse("certificates:verify_uuid", args=[certificate.uuid])).content.decode()
    )
    assert (
        "Unknown certificate." in client.get(reverse("certificates:verify", args=["AAAA-BBBB-CCCC"])).content.decode()
    )


def test_verification_is_rate_limited(client):
    statuses = [client.get(reverse("certificates:verify", args=[f"AAAA-BBBB-{n:04d}"])).status_code for n in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_administrators_follow_states_and_build_a_zip(client, closing, django_capture_on_commit_callbacks):
    close(closing, django_capture_on_commit_callbacks)
    failed = Certificate.objects.first()
    OutgoingEmail.objects.filter(pk=failed.email_id).update(status="failed", last_error="550 Mailbox unavailable")
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("certificates:event", args=[closing["event"].pk])).content.decode()
    assert "sent: 3" in page and "failed: 1" in page and "550 Mailbox unavailable" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:zip_start", args=[closing["event"].pk]))
    assert exports.zip_progress(closing["event"])["state"] == "done"
    response = client.get(reverse("certificates:zip_download", args=[closing["event"].pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 4
    assert all(name.endswith(".pdf") for name in archive.namelist())
    client.force_login(closing["trainer"])
    assert client.get(reverse("certificates:event", args=[closing["event"].pk])).status_code == 403


def test_a_certificate_whose_task_was_lost_is_handed_to_a_worker_again(closing, django_capture_on_commit_callbacks):
    enrollment = closing["enrollments"][1]
    enrollment.completed = True
    enrollment.save()
    certificate, _created = certificate_issue(enrollment=enrollment)  # its task never ran
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=certificate.issued_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_requeue_undelivered() == 1  # in-process here: delivered during the sweep
    certificate.refresh_from_db()
    assert certificate.email is not None
    assert certificates_requeue_undelivered() == 0


def test_an_enrollment_that_was_not_completed_gets_no_certificate_automatically(closing):
    with pytest.raises(ValidationError, match="has not completed"):
        certificate_issue(enrollment=closing["enrollments"][4])
    with pytest.raises(ValidationError, match="confirmed participant"):
        certificate_issue(enrollment=EnrollmentFactory(status="waitlisted"))


def test_behind_a_proxy_the_verification_limit_counts_each_visitor(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("certificates:verify", args=["AAAA-BBBB-CCCC"])
    for _ in range(30):
        client.get(url, headers={"x-forwarded-for": "198.51.100.7"})
    assert client.get(url, headers={"x-forwarded-for": "198.51.100.7"}).status_code == 429
    assert client.get(url, headers={"x-forwarded-for": "203.0.113.9"}).status_code == 200
