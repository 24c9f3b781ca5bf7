"""The sign-in sheet: every participant in full on a row to sign, each page headed, the signatories at the end."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from lms import demo_images
from lms.roles import Role
from tests.courses.test_agenda_pdf import (
    LONG_NAME,
    flat,
    in_language,
    lines_outside_the_margins,
    page_lines,
    page_texts,
    pdf_pages,
    pdf_text,
    save_pngs,
)
from tests.factories import EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = {
    "en": ["No.", "Name", "Institution", "Position / Profession", "Signature"],
    "ro": ["Nr.", "Nume", "Instituție", "Funcție / Profesie", "Semnătură"],
    "ru": ["№", "Имя", "Учреждение", "Должность / Профессия", "Подпись"],
}


def sign_in_sheet(client, event, day):
    trainer = UserFactory(role=Role.TRAINER, given_name="Lāsma", family_name="Stabiņa")
    event.trainers.add(trainer)
    client.force_login(trainer)
    return client.get(reverse("courses:sign_in_sheet", args=[event.pk, day.isoformat()]))


@pytest.fixture
def running():
    today = timezone.localdate()
    return EventFactory(start_date=today, end_date=today + timedelta(days=1),
                        enrollment_closes_at=timezone.now() - timedelta(days=1))  # fmt: skip


@pytest.fixture
def training():
    """The June 2018 training at the General Police Inspectorate, with 45 participants."""
    event = EventFactory(
        start_date=date(2018, 6, 4),
        end_date=date(2018, 6, 5),
        title="Combating trafficking in human beings",
        venue_name="General Police Inspectorate",
        city="Chișinău",
        enrollment_closes_at=timezone.now() - timedelta(days=1),
    )
    event.organisers.add(InstitutionFactory(name="Ministerul Afacerilor Interne"))
    police = InstitutionFactory(name="Inspectoratul General al Poliției")
    for n in range(45):
        person = UserFactory(given_name="Natalia", family_name=f"Cojocaru{n:02d}", name_other_script=f"Наталья {n:02d}",
                             position="Inspector superior", institution=police)  # fmt: skip
        EnrollmentFactory(event=event, user=person)
    return event


@pytest.mark.parametrize(("code", "weekday"), [("ro", "Luni"), ("ru", "Понедельник")], ids=["ro", "ru"])
def test_every_page_of_45_participants_is_headed_with_the_event_its_day_and_the_columns(
    client, training, request, code, weekday
):
    response = sign_in_sheet(in_language(client, code), training, training.start_date)

    pages = page_texts(response)
    assert len(pages) >= 3
    for text in pages:
        assert training.title in text
        assert all(flat(column) in flat(text) for column in COLUMNS[code])
        # Day.month.year, in the reader's language.
        assert f"{weekday}, 04.06.2018 · General Police Inspectorate, Chișinău" in text
    everything = "".join(pages)
    assert "06/04/2018" not in everything and "2018-06-04" not in everything
    assert all(f"Natalia Cojocaru{n:02d}" in everything and f"Наталья {n:02d}" in everything for n in range(45))
    save_pngs(response, request, code)


def test_the_signatories_sign_on_the_last_page_under_their_names(client, training):
    training.trainers.add(UserFactory(given_name="Ian", family_name="Sweet"))
    training.organisers.add(InstitutionFactory(name="Ministry of the Interior of Lithuania"))

    response = sign_in_sheet(client, training, training.start_date)

    *earlier, last = page_texts(response)
    assert earlier and not any("Trainer" in text or "Organiser" in text for text in earlier)
    lines = [text for x, y, width, text, _ruled in page_lines(pdf_pages(response)[-1])]
    for name, label in [("Ian Sweet", "Trainer"), ("Lāsma Stabiņa", "Trainer")]:
        assert lines[lines.index(name) + 1] == label
    first = next(number for number, line in enumerate(lines) if line.startswith("Ministerul"))
    organisers = lines[first : lines.index("Organiser")]
    assert flat(" ".join(organisers)) == flat("Ministerul Afacerilor Interne, Ministry of the Interior of Lithuania")
    assert f"Page {len(earlier) + 1} of {len(earlier) + 1}" in last


def test_long_names_institutions_and_positions_are_drawn_in_full_inside_the_margins(client, running, request):
    institution = InstitutionFactory(name="Direcția generală asistență socială și protecția familiei " * 3)
    given_name, family_name = LONG_NAME.rsplit(" ", 1)
    person = UserFactory(given_name=given_name, family_name=family_name, name_other_script="Łukasz Świętochowski",
                         position="Ofițer superior de urmărire penală " * 5, institution=institution)  # fmt: skip
    EnrollmentFactory(event=running, user=person)
    EnrollmentFactory(event=running, user=UserFactory(family_name="Zeta"))

    response = sign_in_sheet(client, running, running.start_date)

    text = flat(pdf_text(response))
    assert person.get_full_name() == LONG_NAME and flat(LONG_NAME) in text
    assert flat(institution.name) in text and flat(person.position) in text and "Łukasz" in text
    assert lines_outside_the_margins(response) == []
    save_pngs(response, request, "en")


def test_sign_in_sheet_rows_grow_with_long_names_and_never_overlap(client, running):
    part = "Stabiņa-Kožuharj-Sweet-van-Rij-" + "x" * 29  # 60 characters
    people = [UserFactory(given_name=f"Ana{n} {part} {part}", family_name=part) for n in range(3)]
    people.append(UserFactory(given_name="Ion", family_name="Zeta"))
    for person in people:
        EnrollmentFactory(event=running, user=person)

    response = sign_in_sheet(client, running, running.start_date)

    text = flat(pdf_text(response))
    assert all(flat(person.get_full_name()) in text for person in people)
    # (page, depth from the top, text) of every line, in drawing order (row after row).
    lines = [(number, -y, text) for number, page in enumerate(pdf_pages(response))
             for x, y, width, text, _ruled in page_lines(page)]  # fmt: skip
    starts = [next(i for i, line in enumerate(lines) if line[2].startswith(person.get_full_name()[:10]))
              for person in people]  # fmt: skip
    for person, start, following in zip(people, starts, starts[1:], strict=False):
        name_lines = [
            line
            for line in lines[start:following]
            if len(line[2]) > 3 and flat(line[2]) in flat(person.get_full_name())
        ]
        assert len(name_lines) >= 3  # the name wrapped
        # The next row's name starts below the last line of this one.
        assert lines[following][:2] > max(line[:2] for line in name_lines)


def test_the_programmes_logos_head_the_sheet_and_it_names_the_institution_recorded_on_the_enrollment(
    client, running, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    funder = running.programme.funder
    funder.logo.save("icmpd.png", ContentFile(demo_images.emblem("ICMPD", "#1d4f91")))
    person = UserFactory(given_name="Ion", family_name="Rusu", institution=InstitutionFactory(name="Curtea de Apel"))
    EnrollmentFactory(event=running, user=person)
    # They moved since they asked to take part: the sheet names where they came from.
    person.institution = InstitutionFactory(name="Judecătoria Cahul")
    person.save()
    response = sign_in_sheet(client, running, running.start_date)
    assert len(pdf_pages(response)[0].images) == 1
    assert "Curtea de Apel" in pdf_text(response) and "Judecătoria Cahul" not in pdf_text(response)


def test_without_logos_the_sheet_has_no_image(client, running):
    EnrollmentFactory(event=running)
    pages = pdf_pages(sign_in_sheet(client, running, running.start_date))
    assert [image for page in pages for image in page.images] == []
