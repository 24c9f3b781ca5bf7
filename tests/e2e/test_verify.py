"""Anyone verifies a certificate by typing its code as read from paper, on a desktop and on a phone.

Every step is left as a PNG under test-artifacts/<test name>/.
"""

import shutil
from datetime import date
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from certificates.models import Certificate
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, emulate, load_after
from tests.e2e.test_accessibility import violations
from tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.services, worker_db]


def test_a_code_typed_carelessly_is_found_and_a_misread_one_is_explained(browser, live_server, request):
    enrollment = EnrollmentFactory(user__given_name="Lāsma", user__family_name="Stabiņa")
    certificate = Certificate.objects.create(
        enrollment=enrollment, kind=Certificate.Kind.COMPLETION, language="en", printed_name="Lāsma Stabiņa",
        course_title="Combating trafficking in human beings", event_title="Combating trafficking in human beings",
        start_date=date(2018, 6, 4), end_date=date(2018, 6, 5), credit_hours=Decimal("12"),
        attendance_rate=Decimal("100"), issuer="Sinergia",
    )  # fmt: skip
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # Small letters, a space for each dash; then a 0 read where the code has none.
    carelessly = certificate.code.lower().replace("-", " ")
    misread = "0" + certificate.code[1:]
    for width in (1366, 390):
        emulate(browser, width, 900)
        browser.get(live_server.url + "/verify/")
        browser.save_screenshot(str(folder / f"{width}-1-form.png"))
        for step, typed, expected in [(2, carelessly, "Valid certificate."), (3, misread, "Codes never contain")]:
            field = browser.find_element(By.ID, "verify-code")
            field.clear()
            field.send_keys(typed)
            load_after(browser, field.submit)
            text = browser.find_element(By.TAG_NAME, "main").text
            assert expected in text
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width
            assert violations(browser) == []
            browser.save_screenshot(str(folder / f"{width}-{step}-{'found' if step == 2 else 'not-found'}.png"))
