"""A participant finds the knowledge test on their dashboard, takes it after the training and sees their gain."""

import shutil
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from evaluation import models as evaluation
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, click_and_load, sign_in
from tests.e2e.test_accessibility import violations
from tests.evaluation.test_knowledge import answers, quiz_create
from tests.factories import PASSWORD, EnrollmentFactory, EventFactory, UserFactory

pytestmark = [pytest.mark.services, worker_db]


def test_a_participant_takes_the_post_test_from_the_dashboard(browser, live_server, request):
    quiz = quiz_create()
    first = timezone.localdate() - timedelta(days=2)
    event = EventFactory(course=quiz.course, start_date=first, end_date=first + timedelta(days=1),
                         title_en="Combating trafficking in human beings",
                         enrollment_closes_at=timezone.now() - timedelta(days=5))  # fmt: skip
    enrollment = EnrollmentFactory(event=event, user=UserFactory(given_name="Elena"))
    evaluation.TestAttempt.objects.create(enrollment=enrollment, phase="pre", score=Decimal("33.3"),
                                          submitted_at=timezone.now() - timedelta(days=4))  # fmt: skip
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    sign_in(browser, live_server.url, enrollment.user.email, PASSWORD)
    browser.get(live_server.url + "/dashboard/")
    panel = browser.find_element(By.ID, "knowledge-tests-heading").find_element(By.XPATH, "..")
    browser.save_screenshot(str(folder / "1-dashboard.png"))
    click_and_load(browser, panel.find_element(By.LINK_TEXT, "Take the test after the training"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "What do you know?"
    assert violations(browser) == []

    # Two questions answered right and one left out: asked for, nothing saved.
    right = answers(quiz, 3)
    for question, option in list(right.items())[:2]:
        browser.find_element(By.CSS_SELECTOR, f"label[for='q{question}-{option}']").click()
    click_and_load(browser, browser.find_element(By.XPATH, "//button[@type='submit' and contains(., 'Send')]"))
    assert "Please answer this question." in browser.find_element(By.TAG_NAME, "main").text
    assert evaluation.TestAttempt.objects.count() == 1
    browser.save_screenshot(str(folder / "2-missing.png"))
    question, option = list(answers(quiz, 2).items())[2]  # the third one wrong
    browser.find_element(By.CSS_SELECTOR, f"label[for='q{question}-{option}']").click()
    click_and_load(browser, browser.find_element(By.XPATH, "//button[@type='submit' and contains(., 'Send')]"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "66.7%" in main and "33.3%" in main and "33.4 points" in main
    assert violations(browser) == []
    browser.save_screenshot(str(folder / "3-scores.png"))
