"""The product as its users use it: a real browser, a live server, a Celery worker over Redis, an SMTP server.

Every step leaves a screenshot in test-artifacts/<test name>/.
"""

import io
import re
import time
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from certificates.models import Certificate
from courses.models import Enrollment, Event
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import click_and_load, code_step
from tests.factories import PASSWORD, InstitutionFactory, ProgrammeFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.services, worker_db]


class Site:
    """The browser on the live server, with the steps people take."""

    def __init__(self, driver, base, shot):
        self.driver, self.base, self.shot = driver, base, shot

    def open(self, path):
        self.driver.get(self.base + path)

    def fill(self, name, value):
        field = self.driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    def choose(self, name, text):
        Select(self.driver.find_element(By.NAME, name)).select_by_visible_text(text)

    def choose_value(self, name, value):
        Select(self.driver.find_element(By.NAME, name)).select_by_value(str(value))

    def click_and_wait(self, element):
        click_and_load(self.driver, element)

    def submit(self, label):
        self.click_and_wait(self.driver.find_element(
            By.XPATH, f"//main//button[normalize-space()='{label}'] | //*[@id='content']//input[@value='{label}']"
        ))  # fmt: skip

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def sign_in(self, email, password=PASSWORD):
        self.open("/accounts/login/")
        self.fill("login", email)
        self.fill("password", password)
        self.submit("Sign In")
        code_step(self.driver, email)

    def sign_out(self):
        self.open("/")
        self.click_and_wait(self.driver.find_element(By.XPATH, "//nav//form[contains(@action, '/logout/')]//button"))

    def download(self, path):
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookies})
        return urllib.request.urlopen(request, timeout=30).read()


def email_to(smtp_server, address, subject_start, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(smtp_server.messages):
            if message["To"] == address and message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.2)
    raise AssertionError(f"no email “{subject_start}…” to {address}")


def test_from_the_catalog_to_the_certificate_and_the_donors_figures(
    browser, screenshots, live_server, celery_worker, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    site = Site(browser, live_server.url, screenshots)
    admin = UserFactory(role=Role.ADMINISTRATOR, email="admin@example.test")
    trainer = UserFactory(role=Role.TRAINER, email="trainer@example.test", given_name="Rūta", family_name="Šimkūnė")
    programme = ProgrammeFactory(code="ICMPD/2018/MPF-240-003", title_en="Enhancing Moldova's capacities")
    RegionFactory(name="Chișinău")
    InstitutionFactory(name="General Police Inspectorate")
    start = timezone.localdate() + timedelta(days=10)

    # 1. An administrator creates a course and an event.
    site.sign_in(admin.email)
    site.open("/admin/courses/course/add/")
    site.fill("title_en", "Combating trafficking in practice")
    site.fill("slug", "combating-trafficking")
    site.choose("activity_type", "Course")
    site.choose("audiences-0-audience", "Police officer")
    screenshots("admin-creates-a-course")
    site.submit("Save")
    assert "was added successfully" in site.text()
    site.open("/admin/courses/event/add/")
    site.choose("course", "Combating trafficking in practice")
    site.choose_value("programme", programme.pk)
    site.fill("start_date", start.isoformat())
    site.fill("end_date", (start + timedelta(days=1)).isoformat())
    site.fill("city_ro", "Chișinău")
    site.choose("working_language", "Romanian")
    site.fill("capacity", "2")
    site.fill("enrollment_closes_at_0", (start - timedelta(days=3)).isoformat())
    site.fill("enrollment_closes_at_1", "18:00:00")
    Select(browser.find_element(By.ID, "id_trainers_from")).select_by_visible_text(str(trainer))
    browser.find_element(By.ID, "id_trainers_add").click()
    screenshots("admin-creates-an-event")
    site.submit("Save")
    assert "was added successfully" in site.text()
    event = Event.objects.get(course__slug="combating-trafficking")
    # A new event is a draft; the admin's action publishes it once it is complete.
    browser.find_element(By.XPATH, f"//input[@name='_selected_action'][@value='{event.pk}']").click()
    site.choose_value("action", "publish")
    site.click_and_wait(browser.find_element(By.XPATH, "//button[@name='index']"))
    assert "1 event(s) published." in site.text()
    site.sign_out()

    # 2. The trainer builds a two-day agenda with three facilitators.
    site.sign_in(trainer.email)
    for name, organisation in [("Lāsma Stabiņa", "Ministry of the Interior of Latvia"),
                               ("Ian Sweet", "UK Independent Anti-Slavery Commissioner"),
                               ("Jorn van Rij", "Inholland University of Applied Sciences")]:  # fmt: skip
        site.open(f"/events/{event.pk}/agenda/facilitators/new/")
        site.fill("name", name)
        site.fill("organisation", organisation)
        site.submit("Add")
        assert f"{name} was added to the facilitators." in site.text()
    sessions = [
        (0, "09:00", "10:30", "Building synergy", "Lāsma Stabiņa"),
        (0, "11:00", "12:30", "Coordination mechanisms", "Ian Sweet"),
        (1, "09:00", "11:00", "Intelligence-led policing", "Jorn van Rij"),
    ]
    for day, starts, ends, title, person in sessions:
        site.open(f"/events/{event.pk}/agenda/sessions/new/?day={(start + timedelta(days=day)).isoformat()}")
        site.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[2].value = arguments[3];",
            browser.find_element(By.NAME, "starts_at"), starts, browser.find_element(By.NAME, "ends_at"), ends,
        )  # fmt: skip
        site.fill("title_en", title)
        chosen = browser.find_element(
            By.XPATH, f"//label[contains(normalize-space(.), '{person}')]/input[@name='facilitators']"
        )
        site.driver.execute_script("arguments[0].click();", chosen)
        site.submit("Save")
        assert "The session was saved." in site.text()
    screenshots("trainer-builds-the-agenda")
    assert event.agenda_items.count() == 3
    site.sign_out()

    # 3. Officials sign up, follow the verification link they receive, and enroll; the third waits.
    officials = [("ion@example.test", "Ion", "Rusu"), ("natalia@example.test", "Наталья", "Кожухарь"),
                 ("mariana@example.test", "Mariana", "Căpățînă")]  # fmt: skip
    for email, given, family in officials:
        site.open("/accounts/signup/")
        site.fill("email", email)
        site.fill("password1", PASSWORD)
        site.fill("password2", PASSWORD)
        site.fill("given_name", given)
        site.fill("family_name", family)
        site.choose("profession", "Police officer")
        site.submit("Sign Up")
        message = email_to(smtp_server, email, "[Sinergia] Please Confirm")
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.get_content()).group(0)
        browser.get(link)
        site.submit("Confirm")
        site.open(f"/events/{event.pk}/")
        site.submit("Enroll" if email != "mariana@example.test" else "Join the waiting list")
        screenshots(f"{given.lower()}-enrolls")
        site.sign_out()
    statuses = dict(Enrollment.objects.filter(event=event).values_list("user__email", "status"))
    assert statuses == {"ion@example.test": "confirmed", "natalia@example.test": "confirmed",
                        "mariana@example.test": "waitlisted"}  # fmt: skip
    email_to(smtp_server, "ion@example.test", "Your seat is confirmed")

    # 4. One cancels; the first waiting is promoted and told.
    site.sign_in("ion@example.test")
    site.open("/my/trainings/")
    site.submit("Cancel my enrollment")
    site.submit("Yes, cancel my enrollment")
    screenshots("ion-cancels")
    site.sign_out()
    email_to(smtp_server, "mariana@example.test", "A seat is now yours")

    # Time passes: the event takes place (its agenda moves with it).
    shift = start - (timezone.localdate() - timedelta(days=2))
    for item in event.agenda_items.all():
        item.date -= shift
        item.save(update_fields=["date"])
    Event.objects.filter(pk=event.pk).update(start_date=start - shift, end_date=start - shift + timedelta(days=1),
                                             enrollment_closes_at=timezone.now() - timedelta(days=3))  # fmt: skip

    # 5. The trainer marks attendance and closes the event.
    site.sign_in(trainer.email)
    site.open(f"/events/{event.pk}/attendance/")
    for day in range(2):
        site.click_and_wait(
            browser.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'All present')]")[day]
        )
    assert "Attendance saved" in site.text()
    screenshots("trainer-marks-attendance")
    site.click_and_wait(browser.find_element(By.LINK_TEXT, "Close the event"))
    site.submit("Close the event")
    assert "The event is closed" in site.text()
    screenshots("trainer-closes-the-event")
    site.sign_out()

    # 6. Certificates arrive by email, and download from "My certificates".
    for email, name in [("natalia@example.test", "Наталья Кожухарь"), ("mariana@example.test", "Mariana Căpățînă")]:
        message = email_to(smtp_server, email, "Your certificate", timeout=60)
        [attachment] = list(message.iter_attachments())
        assert name in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    site.sign_in("mariana@example.test")
    site.open("/my/certificates/")
    screenshots("my-certificates")
    link = browser.find_element(By.XPATH, "//a[starts-with(normalize-space(), 'PDF')]").get_attribute("href")
    pdf = site.download(link.removeprefix(live_server.url))
    assert "Mariana Căpățînă" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    site.sign_out()

    # 7. The verification page opens at the QR code's address.
    certificate = Certificate.objects.get(enrollment__user__email="mariana@example.test")
    browser.get(certificate.verification_url)
    assert "Valid certificate." in site.text() and "Mariana Căpățînă" in site.text()
    assert certificate.credit_hours == 5  # 3 hours on the first day, 2 on the second
    screenshots("verification")

    # 8. The administrator reads the statistics and downloads the XLSX.
    site.sign_in(admin.email)
    site.open("/stats/")
    assert "Participations" in site.text()
    screenshots("statistics")
    workbook = load_workbook(io.BytesIO(site.download("/stats/sex.xlsx")))
    totals = {row[0]: row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert sum(totals.values()) == 2  # the two who took part
