"""A participant answers the end-of-activity questionnaire on a phone, in Romanian, from the link in their email."""

import shutil
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from evaluation import demo
from evaluation.models import Answer, Invitation, Response
from evaluation.services import invitation_token, survey_open
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, click_and_load, emulate
from tests.e2e.test_accessibility import violations
from tests.evaluation.test_reaction import attended
from tests.factories import AgendaItemFactory, EventFactory, FacilitatorFactory

pytestmark = [pytest.mark.services, worker_db]
PHONE = 390


def test_a_participant_answers_on_a_phone_in_romanian(browser, live_server, request):
    demo.seed_reaction_questionnaire()
    day = timezone.localdate() - timedelta(days=1)
    event = EventFactory(start_date=day, end_date=day, title_ro="Combaterea traficului de ființe umane",
                         enrollment_closes_at=timezone.now() - timedelta(days=3))  # fmt: skip
    AgendaItemFactory(event=event, title_ro="Identificarea victimelor", starts_at=time(9), ends_at=time(11),
                      facilitators=[FacilitatorFactory(name="Lāsma Stabiņa")])  # fmt: skip
    person = attended(event, ["present"], preferred_language="ro", given_name="Ion")
    survey_open(event=event)
    link = reverse("evaluation:answer", args=[invitation_token(Invitation.objects.get(user=person))])
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    emulate(browser, PHONE, 800)
    browser.get(live_server.url + link)
    assert "Cum a fost instruirea?" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Facilitatorul: Lāsma Stabiņa" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE
    assert violations(browser) == []
    height = browser.execute_script("return document.documentElement.scrollHeight")
    emulate(browser, PHONE, min(height, 4000))
    browser.save_screenshot(str(folder / "1-questionnaire.png"))

    # Sent with nothing chosen: the required questions are asked for, in Romanian.
    click_and_load(browser, browser.find_element(By.XPATH, "//button[@type='submit' and contains(., 'Trimiteți')]"))
    assert "Vă rugăm să răspundeți la întrebările marcate mai jos." in browser.find_element(By.TAG_NAME, "main").text
    assert not Response.objects.exists()

    # A 4 on every scale (tapping its label), a suggestion typed.
    for group in browser.find_elements(By.CSS_SELECTOR, ".survey-question"):
        labels = group.find_elements(By.XPATH, ".//label[starts-with(normalize-space(), '4')]")
        if labels:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", labels[0])
            labels[0].click()
    browser.find_element(By.TAG_NAME, "textarea").send_keys("Mai multe studii de caz din Moldova.")
    browser.save_screenshot(str(folder / "2-filled.png"))
    click_and_load(browser, browser.find_element(By.XPATH, "//button[@type='submit' and contains(., 'Trimiteți')]"))
    assert "Ați răspuns deja la acest chestionar. Vă mulțumim!" in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(folder / "3-thanks.png"))
    response = Response.objects.get()
    assert Answer.objects.filter(response=response, rating=4).count() == 8  # 6 about the training, 2 the session
    assert Answer.objects.get(response=response, rating__isnull=True).text == "Mai multe studii de caz din Moldova."
