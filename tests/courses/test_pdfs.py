"""The printable agenda and sign-in sheet hold whatever was typed: long texts wrap, rows grow, pages break."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(response):
    """The text of every page, without the page footers (which fall inside a row split across pages)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return re.sub(r"^(Page \d+|Sinergia)$", "", text, flags=re.MULTILINE)


def flat(text):
    """Text with its line breaks (and the spaces around them) removed, as wrapping puts them anywhere."""
    return "".join(text.split())


def test_agenda_pdf_of_a_session_with_many_long_facilitator_names(client):
    event = EventFactory()
    people = [
        FacilitatorFactory(name=f"Facilitator {n:02d} " + "Stabiņa-Kožuharj " * 4, title=f"Prof{n:02d} " + "x" * 43)
        for n in range(40)
    ]
    session_title = "Synergy " * 37 + "end"
    AgendaItemFactory(event=event, title_en=session_title, facilitators=people)
    AgendaItemFactory(event=event, title_en="Closing", starts_at="11:00", ends_at="12:00")

    text = flat(pdf_text(client.get(reverse("courses:agenda_pdf", args=[event.pk]))))

    assert all(flat(person.display_name) in text for person in people)
    assert flat(session_title) in text and "Closing" in text


def sign_in_sheet(client, event, day):
    trainer = UserFactory(role=Role.TRAINER)
    event.trainers.add(trainer)
    client.force_login(trainer)
    return client.get(reverse("courses:sign_in_sheet", args=[event.pk, day.isoformat()]))


@pytest.fixture
def running():
    today = timezone.localdate()
    return EventFactory(start_date=today, end_date=today + timedelta(days=1),
                        enrollment_closes_at=timezone.now() - timedelta(days=1))  # fmt: skip


def drawn_lines(response):
    """(page, depth from the top, text) of every line drawn, in drawing order (row after row in a table)."""
    lines = []
    for number, page in enumerate(PdfReader(io.BytesIO(response.content)).pages):

        def visit(text, cm, tm, font_dict, font_size, number=number):
            if text.strip():
                lines.append((number, -(tm[5] * cm[3] + cm[5]), text.strip()))

        page.extract_text(visitor_text=visit)
    return lines


def test_sign_in_sheet_rows_grow_with_long_names_and_never_overlap(client, running):
    part = "Stabiņa-Kožuharj-Sweet-van-Rij-" + "x" * 29  # 60 characters
    people = [UserFactory(given_name=f"Ana{n} {part} {part}", family_name=part) for n in range(3)]
    people.append(UserFactory(given_name="Ion", family_name="Zeta"))
    for person in people:
        EnrollmentFactory(event=running, user=person)

    response = sign_in_sheet(client, running, running.start_date)

    text = flat(pdf_text(response))
    assert all(flat(person.get_full_name()) in text for person in people)
    lines = drawn_lines(response)
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


def test_sign_in_sheet_of_60_participants_lists_every_name_over_several_pages(client, running):
    people = [UserFactory(given_name="Natalia", family_name=f"Cojocaru{n:02d}", name_other_script=f"Наталья {n:02d}",
                          institution=InstitutionFactory()) for n in range(60)]  # fmt: skip
    for person in people:
        EnrollmentFactory(event=running, user=person)

    response = sign_in_sheet(client, running, running.start_date)

    text = pdf_text(response)
    assert all(person.get_full_name() in text and person.name_other_script in text for person in people)
    assert len(PdfReader(io.BytesIO(response.content)).pages) > 1
