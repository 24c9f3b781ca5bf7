"""A certificate is wholly in its holder's language: names, dates, numbers, and the grammar of the texts
about the holder."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import certificate_pdf
from certificates.services import certificate_issue, certificate_reissue, certificates_issue_for_event
from lms.models import Institution, User
from lms.roles import Role
from tests.factories import EnrollmentFactory, EventFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(certificate):
    """The words of the PDF, wherever its lines wrap."""
    pages = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def completed(event, *, language, sex=User.Sex.NOT_STATED, hours="9.5", rate="87.5", **names):
    user = UserFactory(preferred_language=language, sex=sex, **names)
    return EnrollmentFactory(
        event=event, user=user, completed=True, credit_hours=Decimal(hours), attendance_rate=Decimal(rate)
    )


def issued(language, sex=User.Sex.NOT_STATED, event=None, **fields):
    event = event or EventFactory(start_date=date(2018, 6, 4), end_date=date(2018, 6, 5))
    certificate, _created = certificate_issue(enrollment=completed(event, language=language, sex=sex, **fields))
    return certificate


def institution(en, ro, ru, kind=Institution.Kind.MINISTRY):
    return Institution.objects.create(name_en=en, name_ro=ro, name_ru=ru, kind=kind)


def test_a_russian_certificate_says_of_a_woman_that_she_completed_the_training():
    text = pdf_text(issued("ru", User.Sex.FEMALE, given_name="Наталья", family_name="Кожухарь"))
    assert "Наталья Кожухарь" in text
    assert "завершила" in text
    assert "(-а)" not in text


def test_a_russian_certificate_says_of_a_man_that_he_completed_the_training():
    text = pdf_text(issued("ru", User.Sex.MALE, given_name="Ион", family_name="Русу"))
    assert "завершил " in text
    assert "завершила" not in text
    assert "(-а)" not in text


@pytest.mark.parametrize("sex", [User.Sex.NOT_STATED, User.Sex.OTHER])
def test_a_russian_certificate_of_someone_whose_sex_is_not_known_uses_no_gendered_form(sex):
    text = pdf_text(issued("ru", sex))
    assert "обучени" in text  # in Russian...
    assert "завершил" not in text  # ...and neither "завершил" nor "завершила"
    assert "(-а)" not in text


def test_a_russian_certificate_of_attendance_follows_the_holders_gender_too():
    event = EventFactory(course__certificate_kind="attendance")
    assert "приняла участие" in pdf_text(issued("ru", User.Sex.FEMALE, event=event))
    assert "принял участие" in pdf_text(issued("ru", User.Sex.MALE, event=event))


def test_the_grammar_is_recorded_at_issue_and_a_later_profile_change_does_not_rewrite_it():
    certificate = issued("ru", User.Sex.FEMALE)
    user = certificate.enrollment.user
    user.sex = User.Sex.MALE
    user.save()
    duplicate = certificate_reissue(certificate=certificate, actor=UserFactory(role=Role.ADMINISTRATOR), reason="Lost")
    assert duplicate.grammatical_gender == Certificate.Gender.FEMININE
    assert "завершила" in pdf_text(duplicate)


def test_a_romanian_certificate_writes_dates_and_numbers_the_romanian_way():
    text = pdf_text(issued("ro", hours="9.5", rate="87.5"))
    assert "4 iunie 2018 – 5 iunie 2018" in text
    assert "9,5" in text
    assert "87,5%" in text
    assert "9.5" not in text


def test_a_russian_certificate_writes_dates_in_the_genitive_and_decimal_commas():
    text = pdf_text(issued("ru", hours="9.5"))
    assert "4 июня 2018 г." in text
    assert "9,5" in text


def test_the_day_of_issue_is_the_day_in_chisinau():
    certificate = issued("ro")
    # 22:30 UTC on 5 June is already 01:30 on 6 June in Chișinău.
    certificate.issued_at = datetime(2018, 6, 5, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert "6 iunie 2018" in pdf_text(certificate)


def test_the_organiser_issuer_funder_and_programme_print_in_each_certificates_language():
    organiser = institution(
        "General Police Inspectorate", "Inspectoratul General al Poliției", "Генеральный инспекторат полиции"
    )
    funder = institution(
        "International Centre for Migration Policy Development",
        "Centrul Internațional pentru Dezvoltarea Politicilor Migraționale",
        "Международный центр по развитию миграционной политики",
        kind=Institution.Kind.INTERNATIONAL,
    )
    programme = ProgrammeFactory(
        code="ICMPD/2018/MPF-240-003",
        funder=funder,
        title_en="Enhancing Moldova's capacities",
        title_ro="Consolidarea capacităților Moldovei",
        title_ru="Укрепление потенциала Молдовы",
    )
    event = EventFactory(programme=programme, start_date=date(2018, 6, 4), end_date=date(2018, 6, 5))
    event.organisers.set([organiser])
    for language in ["ro", "ru", "en"]:
        completed(event, language=language)
    # Issued at closing, one batch for all languages, while English is active.
    certificates = {c.language: c for c in certificates_issue_for_event(event=event)}

    romanian, russian = certificates["ro"], certificates["ru"]
    assert romanian.issuer == "Inspectoratul General al Poliției"
    assert russian.issuer == "Генеральный инспекторат полиции"
    assert certificates["en"].issuer == "General Police Inspectorate"
    text = pdf_text(romanian)
    assert "Centrul Internațional pentru Dezvoltarea Politicilor Migraționale" in text
    assert "Consolidarea capacităților Moldovei (ICMPD/2018/MPF-240-003)" in text
    text = pdf_text(russian)
    assert "Генеральный инспекторат полиции" in text
    assert "Международный центр по развитию миграционной политики" in text
    assert "Укрепление потенциала Молдовы" in text


def test_the_event_facts_are_read_once_for_a_batch_whatever_its_size():
    def queries_for(participants):
        event = EventFactory(start_date=date(2018, 6, 4), end_date=date(2018, 6, 5))
        event.organisers.set([institution(f"Org {participants}", f"Org ro {participants}", f"Org ru {participants}")])
        for number in range(participants):
            completed(event, language=["ro", "ru", "en"][number % 3])
        with CaptureQueriesContext(connection) as captured:
            certificates_issue_for_event(event=event)
        return len(captured)

    assert queries_for(3) == queries_for(9)


def test_a_signatory_trainer_is_named_in_the_grammatical_gender_of_their_sex():
    woman = UserFactory(role=Role.TRAINER, sex=User.Sex.FEMALE, given_name="Rūta", family_name="Šimkūnė")
    man = UserFactory(role=Role.TRAINER, sex=User.Sex.MALE, given_name="Ion", family_name="Țurcanu")
    event = EventFactory(trainers=[woman, man])
    certificate = issued("ro", event=event)
    assert certificate.signatories == [
        {"name": "Rūta Šimkūnė", "role": "Formatoare"},
        {"name": "Ion Țurcanu", "role": "Formator"},
    ]
