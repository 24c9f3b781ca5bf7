"""On a phone (390 px): attendance taken on the grid's cards, and the back office's tables read as labelled rows.

Every page is left as a PNG under test-artifacts/<test name>/.
"""

import shutil
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from courses.models import Attendance, Event
from lms.demo import DEMO_PASSWORD
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, click_and_load, emulate
from tests.e2e.test_screenshots import sign_in_as
from tests.factories import EnrollmentFactory, EventFactory, UserFactory

pytestmark = [pytest.mark.services, worker_db]
PHONE = 390

# What a reader of the page would miss: sideways scrolling, a table cell without its column's name, a table header
# shown as a bare row.
PROBLEMS = """
const problems = [];
if (document.documentElement.scrollWidth > window.innerWidth) problems.push('page wider than the screen');
document.querySelectorAll('.table-scroll').forEach(box => {
  if (box.scrollWidth > box.clientWidth + 1) problems.push('table scrolls sideways');
});
document.querySelectorAll('.data-table td').forEach(cell => {
  if (!cell.offsetParent || cell.colSpan > 1) return;
  const label = getComputedStyle(cell, '::before').content;
  if (!cell.dataset.label || label === 'none' || label === '""') problems.push('unlabelled cell: ' + cell.innerText);
});
document.querySelectorAll('.data-table:not(.attendance-grid) thead').forEach(head => {
  if (head.offsetParent) problems.push('table header shown');
});
return problems;
"""


class Phone:
    def __init__(self, driver, base, folder):
        self.driver, self.base, self.folder, self.count = driver, base, folder, 0

    def open(self, path):
        emulate(self.driver, PHONE, 800)
        self.driver.get(self.base + path)

    def shot(self, step):
        self.count += 1
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        emulate(self.driver, PHONE, min(max(height, 800), 4000))
        self.driver.save_screenshot(str(self.folder / f"{self.count:02d}-{step}.png"))
        emulate(self.driver, PHONE, 800)

    def click_and_wait(self, element):
        click_and_load(self.driver, element)

    def visible(self, css):
        return [element for element in self.driver.find_elements(By.CSS_SELECTOR, css) if element.is_displayed()]


@pytest.fixture
def phone(browser, live_server, request):
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    browser.get(live_server.url + "/")  # cookies belong to the site's address
    return Phone(browser, live_server.url, folder)


def test_attendance_is_taken_on_a_phone(phone):
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER, password=DEMO_PASSWORD)  # the password sign_in_as types
    event = EventFactory(start_date=today - timedelta(days=1), end_date=today, trainers=[trainer],
                         enrollment_closes_at=timezone.now() - timedelta(days=3))  # fmt: skip
    people = [
        EnrollmentFactory(event=event, user=UserFactory(given_name="Александра", family_name="Константинопольская")),
        EnrollmentFactory(event=event, user=UserFactory(given_name="Mariana", family_name="Căpățînă-Dumitrașcu")),
    ]
    sign_in_as(phone.driver, phone.base, trainer.email, "en")

    # The header is folded into a menu that opens and closes.
    phone.open(f"/events/{event.pk}/attendance/")
    toggle = phone.driver.find_element(By.CSS_SELECTOR, ".menu-toggle")
    assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    assert not phone.visible(".site-nav a")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and phone.visible(".site-nav a")
    phone.shot("menu-open")
    toggle.click()
    assert not phone.visible(".site-nav a")

    # One card per person, each day's choice named by its day; each day keeps its "All present".
    assert phone.driver.execute_script(PROBLEMS) == []
    cards = phone.visible(".attendance-grid tbody tr")
    assert len(cards) == 2 and all(card.size["width"] <= PHONE for card in cards)
    days = [phone.driver.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
            for cell in cards[0].find_elements(By.CSS_SELECTOR, "td")[:2]]  # fmt: skip
    assert days == [f'"{date_filter(day, "D")} {date_filter(day, "MONTH_DAY_FORMAT")}"' for day in event.days]
    assert len(phone.visible(".attendance-grid thead button[name=all_present]")) == 2
    phone.shot("attendance-grid")

    first, second = people
    Select(phone.driver.find_element(By.NAME, f"a-{first.pk}-{event.start_date}")).select_by_value("present")
    Select(phone.driver.find_element(By.NAME, f"a-{second.pk}-{event.start_date}")).select_by_value("absent")
    phone.click_and_wait(phone.driver.find_element(By.XPATH, "//button[normalize-space()='Save attendance']"))
    assert "Attendance saved" in phone.driver.find_element(By.TAG_NAME, "main").text
    phone.click_and_wait(phone.visible(".attendance-grid thead button[name=all_present]")[1])
    phone.shot("attendance-saved")
    marks = dict(Attendance.objects.filter(date=event.start_date).values_list("enrollment_id", "status"))
    assert marks == {first.pk: "present", second.pk: "absent"}
    assert set(Attendance.objects.filter(date=today).values_list("status", flat=True)) == {"present"}

    # The check-in code can go full screen for a projector.
    phone.open(f"/events/{event.pk}/attendance/code/")
    button = phone.driver.find_element(By.CSS_SELECTOR, "[data-fullscreen]")
    assert button.is_displayed()
    button.click()
    WebDriverWait(phone.driver, 5).until(
        lambda driver: driver.execute_script("return document.fullscreenElement && document.fullscreenElement.id")
        == "check-in-display"
    )
    assert not button.is_displayed()
    phone.driver.execute_script("document.exitFullscreen()")


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_back_office_tables_are_labelled_rows_on_a_phone(phone, language):
    call_command("seed_demo", verbosity=0)
    chisinau = Event.objects.get(start_date="2018-06-04").pk
    pages = {
        "judge@sinergia.test": ["/my/trainings/", "/my/certificates/", "/courses/", "/calendar/"],
        "trainer@sinergia.test": [f"/events/{chisinau}/participants/", f"/events/{chisinau}/attendance/"],
        "admin@sinergia.test": ["/stats/"],
    }
    found = {}
    for email, paths in pages.items():
        sign_in_as(phone.driver, phone.base, email, language)
        for path in paths:
            phone.open(path)
            page = path.strip("/").replace(str(chisinau), "chisinau").replace("/", "-")
            phone.shot(f"{language}-{email.split('@')[0]}-{page}")
            problems = phone.driver.execute_script(PROBLEMS)
            if folded := phone.driver.find_elements(By.CSS_SELECTOR, "details.filter-fold"):
                # Filters wait behind their button, which opens them.
                if folded[0].get_attribute("open") or not phone.visible(".filter-summary"):
                    problems.append("filters not folded")
                phone.visible(".filter-summary")[0].click()
                if not phone.visible(".filter-form button[type=submit]"):
                    problems.append("filters do not open")
            if problems:
                found[path] = problems
    assert found == {}
