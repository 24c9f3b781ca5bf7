"""An administrator creates an event and clones it on the site's own pages, never opening /admin/."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from courses.models import Event
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, click_and_load, sign_in
from tests.factories import PASSWORD, AgendaItemFactory, CourseFactory, InstitutionFactory, UserFactory

pytestmark = [pytest.mark.services, worker_db]


def shot(driver, name, width):
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(width, min(max(height, 800), 4000))
    folder = ARTIFACTS / "test_event_pages"
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}-{width}.png"))
    # Nothing sticks out sideways, even on a phone.
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width


def submit(driver, label):
    click_and_load(driver, driver.find_element(By.XPATH, f"//main//button[normalize-space()='{label}']"))


def type_value(driver, name, value):
    """Date and time inputs take their value in the form's format whatever the browser's locale."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), value)


def test_an_administrator_creates_and_clones_an_event_without_the_django_admin(browser, live_server):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    UserFactory(role=Role.TRAINER, given_name="Rūta", family_name="Šimkūnė")
    CourseFactory(title_en="Combating trafficking in practice")
    InstitutionFactory(name="General Police Inspectorate")
    start = timezone.localdate() + timedelta(days=20)

    sign_in(browser, live_server.url, admin.email, PASSWORD)

    browser.get(live_server.url + "/events/new/")
    shot(browser, "01-new-event", 390)
    Select(browser.find_element(By.NAME, "course")).select_by_visible_text("Combating trafficking in practice")
    type_value(browser, "start_date", start.isoformat())
    type_value(browser, "end_date", (start + timedelta(days=1)).isoformat())
    assert Select(browser.find_element(By.NAME, "time_zone")).first_selected_option.text == "Europe/Chisinau"
    browser.find_element(By.NAME, "venue_name_en").send_keys("General Police Inspectorate")
    browser.find_element(By.NAME, "city_en").send_keys("Chisinau")
    Select(browser.find_element(By.NAME, "working_language")).select_by_visible_text("Romanian")
    browser.find_element(By.XPATH, "//label[contains(., 'Šimkūnė')]").click()
    browser.find_element(By.XPATH, "//label[contains(., 'General Police Inspectorate')]").click()
    shot(browser, "02-new-event-filled", 1366)
    submit(browser, "Create the draft")

    event = Event.objects.get()
    assert browser.current_url == live_server.url + event.get_absolute_url()
    assert event.status == Event.Status.DRAFT
    assert [str(person) for person in event.trainers.all()] == ["Rūta Šimkūnė"]
    AgendaItemFactory(event=event, date=event.start_date, starts_at=time(9), ends_at=time(10), title_en="Opening")
    browser.refresh()
    shot(browser, "03-draft", 1366)

    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Clone"))
    type_value(browser, "start_date", (start + timedelta(days=35)).isoformat())
    shot(browser, "04-clone", 390)
    submit(browser, "Make the copy")
    clone = Event.objects.exclude(pk=event.pk).get()
    assert browser.current_url == live_server.url + clone.get_absolute_url()
    assert clone.agenda_items.get().date == start + timedelta(days=35)
    assert "Opening" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "05-clone-made", 1366)
    shot(browser, "05-clone-made", 390)
    assert "/admin/" not in browser.current_url
