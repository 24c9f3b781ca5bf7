"""Certificate designs: what a programme's certificates show (logos, signatures, stamp, layout), the preview,
images refused, and certificates that keep the design they were issued with."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.designs import certificate_design_save
from certificates.models import Certificate, CertificateDesign, DesignSignatory
from certificates.pdf import certificate_pdf
from certificates.services import certificate_reissue, certificates_issue_for_event
from lms import demo_images
from lms.roles import Role
from tests.e2e.conftest import ARTIFACTS
from tests.factories import EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def images(content):
    return [image for page in PdfReader(io.BytesIO(content)).pages for image in page.images]


def words(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def with_logo(name, initials, colour="#1d4f91"):
    institution = InstitutionFactory(name=name)
    institution.logo.save(f"{initials}.png", ContentFile(demo_images.emblem(initials, colour)))
    return institution


def signatory(name, title, seed=None):
    person = DesignSignatory(name_en=name, title_en=title)
    if seed is not None:
        person.signature.save("signature.png", ContentFile(demo_images.signature(seed)), save=False)
    return person


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def branded_event(administrator):
    """A closed training of a programme funded by ICMPD, with a partner, an organiser and an unbranded partner."""
    event = EventFactory(start_date=date(2018, 6, 4), end_date=date(2018, 6, 5), status="completed",
                         programme__funder=with_logo("International Centre for Migration Policy Development",
                                                     "ICMPD"))  # fmt: skip
    event.programme.lead_partner = with_logo("Ministry of the Interior of Lithuania", "VRM", "#7a5c00")
    event.programme.save()
    event.programme.partners.set([InstitutionFactory(name="A partner without a logo")])
    event.organisers.set([with_logo("General Police Inspectorate", "IGP", "#0b6e4f")])
    event.trainers.set([UserFactory(role=Role.TRAINER, given_name="Rūta", family_name="Šimkūnė")])
    return event


def issue(event, **user):
    EnrollmentFactory(event=event, user=UserFactory(preferred_language="en", **user), completed=True,
                      credit_hours=Decimal(12), attendance_rate=Decimal(100))  # fmt: skip
    [certificate] = certificates_issue_for_event(event=event)
    return certificate


def test_a_programmes_design_puts_its_logos_signatures_and_stamp_on_the_certificate(branded_event, administrator):
    design = CertificateDesign(programme=branded_event.programme, layout=CertificateDesign.Layout.SIDEBAR)
    design.stamp.save("stamp.png", ContentFile(demo_images.stamp("INSTITUTUL NAȚIONAL")), save=False)
    certificate_design_save(design=design, actor=administrator, signatories=[
        signatory("Elena Rusu", "Director, National Institute of Justice", seed=1),
        signatory("Thomas Berger", "Head of Mission"),
    ])  # fmt: skip
    certificate = issue(branded_event, given_name="Lāsma", family_name="Stabiņa")

    content = certificate_pdf(certificate)
    # Three logos (organiser, lead partner, funder: the partner has none), one signature image and the stamp.
    assert len(images(content)) == 5
    text = words(content)
    for expected in ["Lāsma Stabiņa", "Elena Rusu", "Director, National Institute of Justice", "Thomas Berger",
                     "Head of Mission", "Rūta Šimkūnė", "CERTIFICATE OF COMPLETION"]:  # fmt: skip
        assert expected in text
    # The template version and the identifier stay in the record, off the page.
    assert certificate.template_version not in text and str(certificate.uuid) not in text
    assert certificate.design["layout"] == "sidebar"
    assert [logo["name"] for logo in certificate.design["logos"]] == [
        "General Police Inspectorate", "Ministry of the Interior of Lithuania",
        "International Centre for Migration Policy Development",
    ]  # fmt: skip


def test_without_a_design_or_logos_the_certificate_has_no_images_and_the_trainers_sign():
    event = EventFactory(status="completed")
    event.trainers.set([UserFactory(role=Role.TRAINER, given_name="Ian", family_name="Sweet")])
    certificate = issue(event, given_name="Ion", family_name="Popescu")
    content = certificate_pdf(certificate)
    assert images(content) == []
    assert "Ian Sweet" in words(content)


def test_logos_not_chosen_are_left_out_and_the_issuer_is_the_designs(branded_event, administrator):
    issuer = with_logo("National Institute of Justice", "INJ", "#5b2a86")
    design = CertificateDesign(programme=branded_event.programme, issuer=issuer, show_partner_logos=False,
                               trainer_signs=False)  # fmt: skip
    certificate_design_save(design=design, signatories=[], actor=administrator)
    certificate = issue(branded_event)
    assert certificate.issuer == "National Institute of Justice"
    assert [logo["name"] for logo in certificate.design["logos"]] == [
        "National Institute of Justice", "International Centre for Migration Policy Development",
    ]  # fmt: skip
    assert certificate.signatories == []
    assert len(images(certificate_pdf(certificate))) == 2


def test_a_certificate_keeps_the_design_it_was_issued_with(branded_event, administrator, media):
    design = CertificateDesign(programme=branded_event.programme)
    design.stamp.save("stamp.png", ContentFile(demo_images.stamp("FIRST STAMP")), save=False)
    certificate_design_save(design=design, signatories=[signatory("Elena Rusu", "Director", seed=1)],
                            actor=administrator)  # fmt: skip
    certificate = issue(branded_event)
    first_stamp = certificate.design["stamp"]

    # The design changes: another stamp, another signatory, another layout.
    design.refresh_from_db()
    design.layout = CertificateDesign.Layout.PORTRAIT
    design.stamp.save("stamp.png", ContentFile(demo_images.stamp("SECOND STAMP")), save=False)
    certificate_design_save(design=design, signatories=[signatory("Thomas Berger", "Head of Mission")],
                            actor=administrator)  # fmt: skip

    # A duplicate is drawn again from the certificate's own record: the old stamp file is still there.
    certificate = certificate_reissue(certificate=certificate, actor=administrator, reason="Lost")
    certificate.refresh_from_db()
    assert certificate.design["stamp"] == first_stamp and (media / first_stamp).exists()
    content = certificate_pdf(certificate)
    assert "Elena Rusu" in words(content) and "Thomas Berger" not in words(content)
    width, height = PdfReader(io.BytesIO(content)).pages[0].mediabox.upper_right
    assert width > height  # still the landscape page it was issued on


@pytest.mark.parametrize(
    ("kind", "says", "not_said"),
    [
        ("attendance", ["CERTIFICATE OF ATTENDANCE", "has attended the training"], "training hours"),
        (
            "training_of_trainers",
            ["CERTIFICATE OF TRAINING OF TRAINERS", "has completed the training of trainers", "12 training hours"],
            "has attended",
        ),  # fmt: skip
        ("completion", ["CERTIFICATE OF COMPLETION", "has completed the training", "12 training hours"], "trainers"),
    ],
)
def test_each_kind_says_what_it_certifies(kind, says, not_said):
    certificate = issue(EventFactory(status="completed", course__certificate_kind=kind))
    assert certificate.kind == kind
    text = words(certificate_pdf(certificate))
    assert all(part in text for part in says) and not_said not in text


def word_boxes(content, tmp_path):
    """[(word, x_min, x_max, y_min, y_max)] in points, from poppler's pdftotext."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(content)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        (word, float(x_min), float(x_max), float(y_min), float(y_max))
        for x_min, y_min, x_max, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]


@pytest.mark.parametrize("layout", ["classic", "sidebar", "portrait"])
def test_a_long_name_and_title_shrink_to_fit_the_page(layout, tmp_path):
    name = "Alexandra-Maria-Magdalena Constantinopolskaya-Preobrazhenskaya Căpățînă-Dumitrașcu-Ș"
    certificate = Certificate(
        code="ABCD-EFGH-JKLM", kind="completion", language="ro", printed_name=name,
        course_title="Consolidarea sinergiilor " * 8, event_title="Eveniment", start_date=date(2018, 6, 4),
        end_date=date(2018, 6, 5), credit_hours=Decimal(12), attendance_rate=Decimal(100), issuer="Sinergia",
        design={"layout": layout}, signatories=[{"name": "Anna-Maria Constantinopolskaya-Preobrazhenskaya",
                                                 "role": "Director of the National Institute of Justice " * 2}],
    )  # fmt: skip
    certificate.issued_at = timezone.now()
    content = certificate_pdf(certificate)
    assert name in words(content)
    page = PdfReader(io.BytesIO(content)).pages[0].mediabox
    for word, x_min, x_max, _y_min, _y_max in word_boxes(content, tmp_path):
        assert x_min >= 0 and x_max <= float(page.width), f"{word!r} goes off the page"


def test_every_layout_in_every_language_is_drawn(branded_event, administrator):
    """PNGs to look at: each layout in en, ro and ru, with logos, two signatures and a stamp."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    folder = ARTIFACTS / "test_certificate_layouts"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    design = CertificateDesign(programme=branded_event.programme)
    design.stamp.save("stamp.png", ContentFile(demo_images.stamp("INSTITUTUL NAȚIONAL AL JUSTIȚIEI")), save=False)
    certificate_design_save(design=design, signatories=[signatory("Elena Rusu", "Director", seed=1)],
                            actor=administrator)  # fmt: skip
    certificate = issue(branded_event, given_name="Ana-Maria", family_name="Căpățînă-Dumitrașcu",
                        name_other_script="Анна-Мария Кэпэцынэ-Думитрашку", sex="female")  # fmt: skip
    for layout in CertificateDesign.Layout.values:
        for language in ["en", "ro", "ru"]:
            certificate.design["layout"], certificate.language = layout, language
            content = certificate_pdf(certificate)
            assert "Căpățînă-Dumitrașcu" in words(content)
            pdf = folder / f"{layout}-{language}.pdf"
            pdf.write_bytes(content)
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
                           check=True)  # fmt: skip
            pdf.unlink()
            assert Path(f"{pdf.with_suffix('')}.png").stat().st_size > 10_000


# The design page: saving, previewing, refusing bad images.


def form_data(**changes):
    data = {
        "layout": "classic", "show_issuer_logo": "on", "show_funder_logo": "on", "show_partner_logos": "on",
        "trainer_signs": "on", "preview_language": "ro", "preview_kind": "completion",
        "signatories-TOTAL_FORMS": "3", "signatories-INITIAL_FORMS": "0", "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "3",
    }  # fmt: skip
    return data | changes


def png_upload(content=None, name="signature.png"):
    return SimpleUploadedFile(name, content or demo_images.signature(7), content_type="image/png")


def test_an_administrator_saves_a_programmes_design_with_a_signature(client, administrator, branded_event, media):
    client.force_login(administrator)
    url = reverse("certificates:design", args=[branded_event.programme_id])
    assert "follows the default design" in client.get(url).content.decode()
    response = client.post(url, form_data(**{
        "layout": "portrait", "signatories-0-name_en": "Elena Rusu", "signatories-0-name_ru": "Елена Русу",
        "signatories-0-title_en": "Director", "signatories-0-signature": png_upload(),
    }))  # fmt: skip
    assert response.status_code == 302
    design = CertificateDesign.objects.get(programme=branded_event.programme)
    [person] = design.signatories.all()
    assert (design.layout, person.name_en, person.name_ru, design.updated_by) == (
        "portrait", "Elena Rusu", "Елена Русу", administrator,
    )  # fmt: skip
    # Stored under a name nobody can guess, and never served by the site.
    assert person.signature.name.startswith("branding/") and len(Path(person.signature.name).stem) == 32
    assert client.get(reverse("institution_logo", args=[Path(person.signature.name).name])).status_code == 404
    # The design list says the programme has its own.
    assert "Portrait" in client.get(reverse("certificates:designs")).content.decode()


def test_the_preview_draws_a_sample_with_the_uploaded_images_and_saves_nothing(client, administrator, branded_event):
    client.force_login(administrator)
    url = reverse("certificates:design", args=[branded_event.programme_id])
    response = client.post(url, form_data(**{
        "preview": "1", "preview_language": "ru", "signatories-0-name_en": "Elena Rusu",
        "signatories-0-title_en": "Director", "signatories-0-signature": png_upload(),
        "stamp": png_upload(demo_images.stamp("ШТАМП"), "stamp.png"),
    }))  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = words(content)
    assert "Ana-Maria Căpățînă-Dumitrașcu" in text and "СЕРТИФИКАТ ОБ ОКОНЧАНИИ" in text and "Elena Rusu" in text
    # Three logos, the signature and the stamp.
    assert len(images(content)) == 5
    assert not CertificateDesign.objects.exists() and not DesignSignatory.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"), "Upload a PNG or JPEG"),
        (
            SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
            "Upload a PNG or JPEG",
        ),
        (
            SimpleUploadedFile(
                "big.png", demo_images.signature(1) + b"\0" * (2 * 1024 * 1024), content_type="image/png"
            ),
            "larger than 2 MB",
        ),
    ],
    ids=["text-named-png", "gif", "too-large"],
)
def test_a_bad_image_is_refused_with_a_message_and_nothing_changes(client, administrator, media, upload, message):
    client.force_login(administrator)
    response = client.post(reverse("certificates:design_default"), form_data(stamp=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CertificateDesign.objects.exists()
    assert not (media / "branding").exists() or not any((media / "branding").iterdir())


def test_four_signatories_are_refused(administrator):
    design = CertificateDesign()
    people = [signatory(f"Person {n}", "Title") for n in range(4)]
    with pytest.raises(ValidationError, match="At most three people"):
        certificate_design_save(design=design, signatories=people, actor=administrator)
    assert not CertificateDesign.objects.exists()


def test_only_administrators_save_designs():
    with pytest.raises(PermissionDenied):
        certificate_design_save(design=CertificateDesign(), signatories=[], actor=UserFactory(role=Role.TRAINER))
    assert not CertificateDesign.objects.exists()


def test_an_institutions_logo_is_served_by_its_stored_name(client):
    institution = with_logo("International Centre for Migration Policy Development", "ICMPD")
    response = client.get(institution.logo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("institution_logo", args=["nothing-here.png"])).status_code == 404


def test_a_lost_image_file_leaves_the_image_out_and_the_certificate_is_still_made(branded_event, media):
    certificate = issue(branded_event, given_name="Ion", family_name="Popescu")
    lost = certificate.design["logos"][0]["image"]
    (media / lost).unlink()
    content = certificate_pdf(certificate)
    assert "Ion Popescu" in words(content)
    assert len(images(content)) == len(certificate.design["logos"]) - 1


def test_the_default_design_is_previewed_before_any_event_exists(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("certificates:design_default"),
        form_data(preview="1", preview_language="ro", preview_kind="training_of_trainers"),
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = words(b"".join(response.streaming_content))
    assert "CERTIFICAT DE FORMARE A FORMATORILOR" in text and "Ana-Maria Căpățînă-Dumitrașcu" in text
    assert not CertificateDesign.objects.exists()
