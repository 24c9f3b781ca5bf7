"""The statistics page as administrators show it to donors: on a desktop, on a phone and printed on A4.

Screenshots at 1366 and 390 px, the printed PDF and a PNG of each of its pages are left under
test-artifacts/<test name>/.
"""

import base64
import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from courses.models import Event
from lms.models import Audience, User
from lms.roles import Role
from tests.conftest import service_unavailable, worker_db
from tests.e2e.conftest import ARTIFACTS, emulate, sign_in
from tests.factories import (
    PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.services, worker_db]
A4 = (595, 842)  # points
# Font size and drawn height of every chart label and of the body text, as the browser lays them out.
LABEL_SIZES = """
const body = parseFloat(getComputedStyle(document.body).fontSize);
const labels = [...document.querySelectorAll('.chart > svg text')].filter(t => t.getBBox().width > 0);
return [body, labels.length, labels.map(t => [parseFloat(getComputedStyle(t).fontSize), t.getBBox().height])];
"""


# The width the A4 page leaves between its margins (210 mm less 2 × 12 mm), in CSS pixels (96 an inch).
A4_PRINTABLE = round((210 - 24) / 25.4 * 96)


def a_year_of_trainings():
    """Trainings from September 2025 to April 2026 with no event in December and February, for people of
    both sexes and neither, from institutions whose names are long or in Cyrillic."""
    regions = [RegionFactory(name="Bălți"), RegionFactory(name="Cahul"), RegionFactory(name="Comrat")]
    institutions = [InstitutionFactory(name="Inspectoratul General al Poliției"),
                    InstitutionFactory(name="Procuratura Generală a Republicii Moldova"),
                    InstitutionFactory(name="Управление социальной защиты Комрат")]  # fmt: skip
    themes = [ThemeFactory(name_en="Trafficking prevention"), ThemeFactory(name_en="Victim protection")]
    people = [(User.Sex.FEMALE, Audience.POLICE_OFFICER), (User.Sex.MALE, Audience.PROSECUTOR),
              (User.Sex.FEMALE, Audience.SOCIAL_WORKER), (User.Sex.OTHER, Audience.JUDGE),
              (User.Sex.NOT_STATED, Audience.POLICE_OFFICER), (User.Sex.MALE, Audience.POLICE_OFFICER)]  # fmt: skip
    for n, month in enumerate([9, 10, 11, 1, 3, 4]):
        year = 2025 if month > 6 else 2026
        event = EventFactory(course=CourseFactory(themes=themes[: 1 + n % 2]), region=regions[n % 3],
                             start_date=date(year, month, 10), end_date=date(year, month, 11),
                             status=Event.Status.COMPLETED)  # fmt: skip
        for k in range(2 + n):
            sex, profession = people[(n + k) % len(people)]
            user = UserFactory(sex=sex, profession=profession, institution=institutions[(n + k) % 3])
            EnrollmentFactory(event=event, user=user, attended_days=2, scheduled_days=2, completed=True)
    return regions


def screenshot(driver, folder, name, width):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    emulate(driver, width, min(height, 8000))
    driver.save_screenshot(str(folder / f"{name}.png"))


def test_the_statistics_read_on_a_desktop_and_a_phone_and_print_as_an_a4_report(browser, live_server, request):
    if not shutil.which("pdftoppm"):
        service_unavailable("pdftoppm is not installed (Debian package poppler-utils)")
    regions = a_year_of_trainings()
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sign_in(browser, live_server.url, administrator.email, PASSWORD)
    for width in (1366, 390):
        emulate(browser, width)
        browser.get(live_server.url + "/stats/")
        main = browser.find_element(By.TAG_NAME, "main").text
        assert "January 2026" in main and "December 2025" in main  # an empty month is on the time axis
        # Nothing wider than the screen: a table too wide scrolls inside its own box.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        body, count, labels = browser.execute_script(LABEL_SIZES)
        assert count > 20
        # Every label at the body text's size, drawn at it (nothing scales the charts down).
        assert all(size == body and height >= body for size, height in labels), (body, labels)
        screenshot(browser, folder, f"{width}-stats", width)

    # Printed: one region, from September; the filters said in words, no navigation, no form.
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get(f"{live_server.url}/stats/?region={regions[0].pk}&date_from=2025-09-01")
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    pdf = base64.b64decode(printed["data"])
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", folder / "report.pdf", folder / "report-page"], check=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(list(folder.glob("report-page-*.png"))) == len(pages) >= 2
    assert all((round(page.mediabox.width), round(page.mediabox.height)) == A4 for page in pages)
    text = "\n".join(page.extract_text() for page in pages)
    for heading in ("Statistics", "Summary", "By sex", "By profession", "By institution", "By region", "By theme",
                    "By month", "Women", "Men", "Other or not stated", "Participations"):  # fmt: skip
        assert heading in text, heading
    assert "Filtered by: From: 1 September 2025; Region: Bălți. Over time by month." in " ".join(text.split())
    assert "A participation counts once in each theme" in text
    assert "Procuratura Generală a Republicii Moldova" in text
    for on_screen_only in ("Sign out", "My dashboard", "Apply", "Activity type", "XLSX"):
        assert on_screen_only not in text, on_screen_only

    # In Russian, whose headings are the longest, nothing is wider than the A4 page either.
    browser.add_cookie({"name": "django_language", "value": "ru", "path": "/"})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    emulate(browser, A4_PRINTABLE)
    browser.get(live_server.url + "/stats/")
    assert "Статистика" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= A4_PRINTABLE
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    (folder / "report-ru.pdf").write_bytes(base64.b64decode(printed["data"]))
    subprocess.run(["pdftoppm", "-png", "-r", "80", folder / "report-ru.pdf", folder / "report-ru-page"], check=True)
