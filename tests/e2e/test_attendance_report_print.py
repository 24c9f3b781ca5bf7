"""The attendance report printed by the browser on A4: every column on the page, long names whole, the totals,
the signature lines, and the header on every page.

The printed PDF and a PNG of each of its pages are left under test-artifacts/<test name>/.
"""

import base64
import io
import shutil
import subprocess
import unicodedata
from datetime import date, time

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from courses.models import Attendance, Event
from lms import demo_images
from lms.roles import Role
from tests.conftest import service_unavailable, worker_db
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import (
    PASSWORD,
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.services, worker_db]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


A4_LANDSCAPE = (842, 595)  # points
TITLE = "Combating trafficking in human beings"
# 80 letters, spaces and hyphens: Romanian diacritics and Cyrillic.
GIVEN, FAMILY = "Александра-Ecaterina Ștefănița", "Țîrdea-Căpățînă Кожухарь-Дьяконова Mîndrescu-Bîrs"
LAST_DAY = "08/06/2018"


def five_days(people):
    """A five-day training in June 2018 with a trainer, an organiser and a funder (both with logos), and `people`
    who came every day but the last."""
    trainer = UserFactory(role=Role.TRAINER, given_name="Lāsma", family_name="Stabiņa")
    event = EventFactory(course=CourseFactory(title_en=TITLE), start_date=date(2018, 6, 4), end_date=date(2018, 6, 8),
                         venue_name="General Police Inspectorate", city="Chișinău", status=Event.Status.COMPLETED,
                         trainers=[trainer])  # fmt: skip
    organiser = InstitutionFactory(name="Ministry of Internal Affairs")
    organiser.logo.save("mai.png", ContentFile(demo_images.emblem("MAI", "#0b4f8a")))
    event.programme.funder.logo.save("icmpd.png", ContentFile(demo_images.emblem("ICMPD", "#1d4f91")))
    event.organisers.set([organiser])
    for day in event.days:
        AgendaItemFactory(event=event, date=day, starts_at=time(9), ends_at=time(16))
    institution = InstitutionFactory(name="Direcția generală asistență socială și protecția familiei Chișinău")
    for person in people:
        enrollment = EnrollmentFactory(event=event, user=person, institution=institution)
        for day in event.days[:-1]:
            Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
    return event


def printed(browser, live_server, event, folder):
    """The report as the browser prints it: its pages' (size, text); the PDF and PNGs of its pages in `folder`."""
    if not shutil.which("pdftoppm"):
        service_unavailable("pdftoppm is not installed (Debian package poppler-utils)")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sign_in(browser, live_server.url, UserFactory(role=Role.ADMINISTRATOR).email, PASSWORD)
    browser.get(f"{live_server.url}/stats/events/{event.pk}/attendance/")
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", folder / "report.pdf", folder / "page"], check=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(list(folder.glob("page-*.png"))) == len(pages)
    # NFKC: the PDF's ligatures (ﬃ) read as their letters.
    return [
        ((round(page.mediabox.width), round(page.mediabox.height)), unicodedata.normalize("NFKC", page.extract_text()))
        for page in pages
    ]


def squeezed(text):
    """Without spaces and line breaks: a name wrapped over lines reads as one."""
    return "".join(text.split())


def test_five_days_print_on_a_landscape_a4_with_every_column_the_totals_and_the_signatures(
    browser, live_server, request
):
    participant = UserFactory(given_name=GIVEN, family_name=FAMILY)
    assert len(participant.get_full_name()) == 80
    event = five_days([participant, UserFactory(given_name="Ion", family_name="Rusu")])
    pages = printed(browser, live_server, event, ARTIFACTS / request.node.name)
    assert [size for size, _text in pages] == [A4_LANDSCAPE]
    # The organiser's and the funder's logos head it.
    assert len(PdfReader(ARTIFACTS / request.node.name / "report.pdf").pages[0].images) == 2
    text = pages[0][1]
    assert LAST_DAY in text and "Completed" in text  # the last day's column and the last column
    assert squeezed(participant.get_full_name()) in squeezed(text)
    assert "Direcția generală asistență socială și protecția familiei Chișinău" in " ".join(text.split())
    # A letter a day, explained on the page; then 4 of 5 days, 80 %, 28 hours, completed.
    assert "P P P P – 4/5 80 28 yes" in " ".join(text.split())
    assert "P: Present · L: Late · E: Excused · A: Absent" in text
    # Totals: 2 present on each of the first four days, none on the last; 8 of 10 days, 56 hours, 2 completed.
    assert "Total 2 2 2 2 0 8/10 80 56 2" in " ".join(text.split())
    assert "Trainer" in text and "Lāsma Stabiņa" in text
    assert "Organiser" in text and "Ministry of Internal Affairs" in text
    for on_screen_only in ("Sign out", "My dashboard", "Sinergia: training"):
        assert on_screen_only not in text, on_screen_only


def test_thirty_people_take_pages_each_headed_by_the_event_and_the_columns(browser, live_server, request):
    people = [UserFactory(given_name=GIVEN, family_name=f"{FAMILY[:40]} {n:02d}") for n in range(30)]
    pages = printed(browser, live_server, five_days(people), ARTIFACTS / request.node.name)
    assert len(pages) >= 2
    for number, (size, text) in enumerate(pages, start=1):
        assert size == A4_LANDSCAPE
        assert TITLE in text and "P: Present" in text, f"page {number} does not name the event"
        assert "Participant" in text and LAST_DAY in text and "Completed" in text, f"page {number} has no columns"
    everything = squeezed(" ".join(text for _size, text in pages))
    assert all(squeezed(person.get_full_name()) in everything for person in people)
    assert "Total" in pages[-1][1] and "Organiser" in pages[-1][1]
