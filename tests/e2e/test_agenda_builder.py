"""A trainer builds a two-day agenda in place: few page loads, few typed fields.

Screenshots at 1366 and 390 px under test-artifacts/test_agenda_builder/.
"""

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from courses.models import AgendaItem
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS
from tests.factories import EventFactory, FacilitatorFactory, UserFactory

# Committed rows the live server sees, and the roles (rows of a data migration) put back afterwards.
pytestmark = [pytest.mark.services, worker_db]

# A session of the agenda as the trainer types it: title, then what differs from the previous session.
DAY_ONE = [
    {"title": "Opening and introductions", "room": "Hall A", "facilitator": ("lasma", "Lāsma Stabiņa")},
    {"title": "Indicators of trafficking", "facilitator": ("jorn", "Jorn van Rij")},
    {"title": "Coffee break", "kind": "Break", "ends_at": "12:15"},
    {
        "title": "Case study: a joint investigation",
        "kind": "Workshop",
        "ends_at": "13:45",
        "facilitator": ("натал", "Наталья Кожухарь"),
    },
]


class Builder:
    """The agenda page in the browser, counting documents loaded and fields typed."""

    def __init__(self, driver, url):
        self.driver, self.loads, self.typed = driver, 0, 0
        driver.get(url)
        self._mark()

    def _mark(self):
        # A full page load starts a new document, which has lost this marker.
        self.loads += 1
        self.driver.execute_script("window.agendaDocument = true;")

    def check_loads(self):
        if not self.driver.execute_script("return window.agendaDocument === true;"):
            self._mark()

    def day(self, day):
        return self.driver.find_element(By.ID, f"day-{day.isoformat()}")

    def type(self, element, text):
        self.typed += 1
        element.clear()
        element.send_keys(text)

    def choose(self, element, text):
        self.typed += 1
        Select(element).select_by_visible_text(text)

    def wait_for(self, condition):
        WebDriverWait(self.driver, 10).until(lambda driver: condition())
        self.check_loads()

    def titles(self, day):
        # Read in one go: the list is replaced while htmx swaps the page.
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]), element => element.textContent.trim());",
            f"#day-{day.isoformat()} .sessions strong",
        )

    def add_session(self, day, session, button):
        form = self.day(day).find_element(By.CSS_SELECTOR, ".add-session form")
        title = form.find_element(By.NAME, "title_en")
        assert self.driver.switch_to.active_element == title or not self.titles(day)
        self.type(title, session["title"])
        if "kind" in session:
            self.choose(form.find_element(By.NAME, "kind"), session["kind"])
        if "room" in session:
            self.type(form.find_element(By.NAME, "room"), session["room"])
        if "ends_at" in session:
            # Set as typed: what keys a time field takes depends on the browser's locale (12 or 24 hours).
            self.typed += 1
            self.driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.NAME, "ends_at"),
                                       session["ends_at"])  # fmt: skip
        if "facilitator" in session:
            search, name = session["facilitator"]
            self.type(form.find_element(By.CSS_SELECTOR, ".picker-filter"), search)
            visible = [label for label in form.find_elements(By.CSS_SELECTOR, ".picker label") if label.is_displayed()]
            assert [label.text for label in visible] == [name]
            visible[0].click()
        count = len(self.titles(day))
        form.find_element(By.XPATH, f".//button[normalize-space()='{button}']").click()
        self.wait_for(lambda: len(self.titles(day)) == count + 1)

    def screenshots(self, step):
        folder = ARTIFACTS / "test_agenda_builder"
        folder.mkdir(parents=True, exist_ok=True)
        for width in (1366, 390):
            self.driver.set_window_size(width, 900)
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(height, 800), 6000))
            self.driver.save_screenshot(str(folder / f"{step}-{width}.png"))
        self.driver.set_window_size(1366, 1000)


def test_a_trainer_builds_a_two_day_eight_session_agenda_in_place(browser, live_server):
    trainer = UserFactory(role=Role.TRAINER, email="trainer@example.test")
    event = EventFactory(trainers=[trainer])
    for name in ["Lāsma Stabiņa", "Jorn van Rij", "Наталья Кожухарь", "Ana Albu", "Ion Lungu", "Lars Berg"]:
        FacilitatorFactory(name=name)
    client = Client()
    client.force_login(trainer)
    browser.get(live_server.url + "/static/css/site.css")  # the session cookie needs a page of the site first
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    first, second = event.days
    site = Builder(browser, f"{live_server.url}/events/{event.pk}/agenda/")
    site.screenshots("01-empty-agenda")

    for n, session in enumerate(DAY_ONE):
        site.add_session(first, session, "Save" if n == len(DAY_ONE) - 1 else "Save and add another")
    assert site.titles(first) == [session["title"] for session in DAY_ONE]
    # Each session started when the previous one ended.
    times = [element.text for element in site.day(first).find_elements(By.CSS_SELECTOR, ".session-time")]
    assert times == ["09:00–10:30", "10:30–12:00", "12:00–12:15", "12:15–13:45"]
    site.screenshots("02-first-day-built")

    # The second day: the first one duplicated, which the form offers by default.
    browser.find_element(By.XPATH, "//button[normalize-space()='Copy the day']").click()
    site.wait_for(lambda: len(site.titles(second)) == 4)

    # By drag and drop the workshop opens the second day; by keyboard the break goes back after the indicators.
    rows = site.day(second).find_elements(By.CSS_SELECTOR, ".sessions > li")
    browser.execute_script(
        "const [source, target] = arguments, data = new DataTransfer();"
        "source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));"
        "for (const type of ['dragover', 'drop']) {"
        "  target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data})); }"
        "source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));",
        rows[3],
        rows[0],
    )
    site.wait_for(lambda: site.titles(second)[0] == DAY_ONE[3]["title"])
    assert site.titles(second) == [DAY_ONE[i]["title"] for i in (3, 0, 1, 2)]
    earlier = site.day(second).find_element(By.XPATH, ".//button[@aria-label='Move “Coffee break” earlier']")
    earlier.send_keys(Keys.ENTER)
    site.wait_for(lambda: site.titles(second)[2] == "Coffee break")
    site.screenshots("03-two-days-built")

    items = AgendaItem.objects.filter(event=event)
    assert items.count() == 8
    assert {person.name for item in items for person in item.facilitators.all()} == {
        "Lāsma Stabiņa", "Jorn van Rij", "Наталья Кожухарь"}  # fmt: skip
    assert site.loads <= 2, site.loads
    assert site.typed / items.count() <= 4, site.typed
