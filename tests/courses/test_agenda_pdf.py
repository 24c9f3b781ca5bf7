"""The printable agenda: whatever was typed is drawn in full inside the page, each page says whose agenda it is."""

import io
import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.pdfbase.pdfmetrics import stringWidth

from lms import demo_images
from lms.pdf import BOTTOM_MARGIN, FONT, FONT_BOLD, FONT_ITALIC, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, register_fonts
from tests.conftest import service_unavailable
from tests.factories import AgendaItemFactory, EventFactory, FacilitatorFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FONTS = {"FiraSans-Regular": FONT, "FiraSans-Bold": FONT_BOLD, "FiraSans-Italic": FONT_ITALIC}
# 90 characters: Latin-Extended and Cyrillic in one name, as typed.
LONG_NAME = "Lāsma Ștefănescu-Țîrdea Stabiņa-Kožuharj Наталья Кожухарь-Жмеринская Ярослава Świętochowsk"


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def page_lines(page):
    """[(x, y, width, text, after_a_line)] of every line of text the page draws, in drawing order.

    y is from the page's foot; after_a_line says whether a line (a rule, a table's grid) was drawn before it.
    """
    register_fonts()
    lines, ruled = [], []

    def visit_operator(operator, operands, cm, tm):
        if operator == b"m":
            ruled.append(True)

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        piece = (text, FONTS[font_dict["/BaseFont"].split("+")[-1]], font_size * tm[0] * cm[0])
        # Pieces of one line in other fonts (a bold title, then its note) start from the line's position.
        if lines and lines[-1][:2] == (x, y) and not lines[-1][2][-1][0].endswith("\n"):
            lines[-1][2].append(piece)
        else:
            lines.append((x, y, [piece], bool(ruled)))

    page.extract_text(visitor_text=visit, visitor_operand_before=visit_operator)
    result = []
    for x, y, pieces, after_a_line in lines:
        # The extraction adds a space at the end of some lines, where nothing is drawn.
        *first, (text, font, size) = pieces
        pieces = [*first, (text.rstrip(), font, size)]
        # ReportLab narrows a line's spaces by up to rl_config.spaceShrinkage to make it fit: the least it draws.
        width = sum(
            stringWidth(text, font, size) - text.count(" ") * stringWidth(" ", font, size) * rl_config.spaceShrinkage
            for text, font, size in pieces
        )
        result.append((x, y, width, "".join(text for text, _font, _size in pieces).strip(), after_a_line))
    return result


def pdf_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content)).pages


def page_texts(response):
    return [page.extract_text() for page in pdf_pages(response)]


def pdf_text(response):
    """What the story says once: without the pages' headers, footers and a table's repeated heading row.

    So a row cut by a page break reads on.
    """
    lines = []
    for number, page in enumerate(pdf_pages(response)):
        drawn = page_lines(page)
        if number:  # the running header: what is drawn above its rule, before anything else on the page
            drawn = [line for line in drawn if line[4]]
        body = [text for x, y, width, text, _ruled in drawn if y > BOTTOM_MARGIN]
        repeated = 0
        while repeated < len(body) and body[repeated] in lines:
            repeated += 1
        lines += body[repeated:]
    return "\n".join(lines)


def flat(text):
    """Text with its line breaks (and the spaces around them) removed, as wrapping puts them anywhere."""
    return "".join(text.split())


def lines_outside_the_margins(response):
    return [
        (number + 1, text)
        for number, page in enumerate(pdf_pages(response))
        for x, y, width, text, _ruled in page_lines(page)
        if x < MARGIN - 0.5 or x + width > PAGE_WIDTH - MARGIN + 0.5 or not 0 < y < PAGE_HEIGHT
    ]


def save_pngs(response, request, name):
    """Every page as test-artifacts/<test>/<name>-<page>.png, 60 dpi, to look at."""
    if not shutil.which("pdftoppm"):
        service_unavailable("pdftoppm is not installed (Debian package poppler-utils)")
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-", folder / name], input=response.content, check=True)


@pytest.fixture
def training():
    """The June 2018 training in Chișinău: fifteen sessions a day, three pages."""
    event = EventFactory(
        start_date=date(2018, 6, 4),
        end_date=date(2018, 6, 5),
        title="Combating trafficking in human beings",
        venue_name="General Police Inspectorate",
        city="Chișinău",
    )
    experts = [FacilitatorFactory(name="Lāsma Stabiņa"), FacilitatorFactory(name="Ian Sweet")]
    for day in event.days:
        for hour in range(7, 22):
            title = f"Victim identification and referral, part {hour}"
            AgendaItemFactory(event=event, date=day, starts_at=time(hour), ends_at=time(hour, 50), title_en=title,
                              facilitators=experts)  # fmt: skip
    return event


@pytest.mark.parametrize(
    ("code", "first_day", "page_label"),
    [("ro", "Luni, 4 iunie 2018", "Pagina {} din {}"), ("ru", "Понедельник, 4 июня 2018 г.", "Страница {} из {}")],
    ids=["ro", "ru"],
)
def test_every_page_of_a_long_agenda_names_the_event_its_dates_and_its_day(
    client, training, request, code, first_day, page_label
):
    response = in_language(client, code).get(reverse("courses:agenda_pdf", args=[training.pk]))

    pages = page_texts(response)
    assert len(pages) >= 3
    assert first_day in pages[0]
    for number, text in enumerate(pages, start=1):
        assert training.title in text
        assert page_label.format(number, len(pages)) in text
        if number > 1:
            # Day.month.year in the header; the sessions under the heading of their day, repeated if it runs on.
            assert "04.06.2018 – 05.06.2018 · General Police Inspectorate, Chișinău" in text
            assert re.search(r"(Luni|Marți|Понедельник|Вторник), [45] (iunie|июня) 2018", text)
    assert "06/04/2018" not in "".join(pages) and "2018-06-04" not in "".join(pages)
    save_pngs(response, request, code)


def test_an_agenda_draws_long_names_and_titles_in_full_inside_the_margins(client, request):
    event = EventFactory(
        title="Protecția victimelor traficului de ființe umane: " + "cooperare interinstituțională " * 6
    )
    people = [FacilitatorFactory(name=LONG_NAME, title="Dr"), FacilitatorFactory(name="Jorn van Rij")]
    # A word longer than the column (an address typed without spaces) wraps too.
    title = "Синергия: ă â î ș ț ė ų " + "https://sinergia.example/" + "x" * 120
    AgendaItemFactory(event=event, title_en=title, facilitators=people, moderator=people[1], room="Sala 1")

    response = client.get(reverse("courses:agenda_pdf", args=[event.pk]))

    text = flat(pdf_text(response))
    assert len(LONG_NAME) == 90 and flat(f"Dr {LONG_NAME}") in text
    assert flat(title) in text and flat(event.title) in text
    assert "09:00–10:30" in [line[3] for line in page_lines(pdf_pages(response)[0])]  # the time on one line
    assert lines_outside_the_margins(response) == []
    save_pngs(response, request, "en")


def test_agenda_pdf_of_a_session_with_many_long_facilitator_names(client, request):
    event = EventFactory()
    people = [
        FacilitatorFactory(name=f"Facilitator {n:02d} " + "Stabiņa-Kožuharj " * 4, title=f"Prof{n:02d} " + "x" * 43)
        for n in range(40)
    ]
    session_title = "Synergy " * 37 + "end"
    AgendaItemFactory(event=event, title_en=session_title, facilitators=people)
    AgendaItemFactory(event=event, title_en="Closing", starts_at="11:00", ends_at="12:00")

    response = client.get(reverse("courses:agenda_pdf", args=[event.pk]))

    # The session is taller than a page: its row goes on over the next one, nothing lost.
    text = flat(pdf_text(response))
    assert all(flat(person.display_name) in text for person in people)
    assert flat(session_title) in text and "Closing" in text
    assert len(pdf_pages(response)) > 1 and lines_outside_the_margins(response) == []
    save_pngs(response, request, "en")


def test_a_day_that_fits_on_a_page_is_not_split_over_two(client, training):
    # Ten sessions on the first day leave too little room for the second day's twelve under them.
    training.agenda_items.filter(date=training.start_date, starts_at__gte=time(17)).delete()
    training.agenda_items.filter(date=training.end_date, starts_at__gte=time(19)).delete()

    pages = page_texts(client.get(reverse("courses:agenda_pdf", args=[training.pk])))

    assert "Monday, 4 June 2018" in pages[0] and "Tuesday" not in pages[0]
    second_day = [text for text in pages if "Tuesday, 5 June 2018" in text]
    assert len(second_day) == 1 and all(f"part {hour}" in second_day[0] for hour in range(7, 19))


def test_the_agenda_names_the_events_zone_on_every_page_when_it_is_not_the_sites(client, training):
    training.time_zone = "Asia/Tbilisi"
    training.save()
    pages = page_texts(client.get(reverse("courses:agenda_pdf", args=[training.pk])))
    assert all("times in Asia/Tbilisi" in text for text in pages)


def test_the_programmes_logos_head_the_agenda_once(client, training, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert not any(page.images for page in pdf_pages(client.get(reverse("courses:agenda_pdf", args=[training.pk]))))
    training.programme.funder.logo.save("icmpd.png", ContentFile(demo_images.emblem("ICMPD", "#1d4f91")))
    partner = InstitutionFactory(name="Ministry of the Interior of Lithuania")
    partner.logo.save("vrm.png", ContentFile(demo_images.emblem("VRM", "#7a5c00")))
    training.programme.partners.add(partner)
    pages = pdf_pages(client.get(reverse("courses:agenda_pdf", args=[training.pk])))
    assert [len(page.images) for page in pages] == [2] + [0] * (len(pages) - 1)
