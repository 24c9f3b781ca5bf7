"""axe-core (4.14.1, vendored from the npm registry) run in the browser on the main pages of each role."""

from pathlib import Path

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By

from courses.models import Event
from tests.conftest import worker_db
from tests.e2e.conftest import load_after, sign_in

pytestmark = [pytest.mark.services, worker_db]
AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
SERIOUS = {"serious", "critical"}


def violations(driver):
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));"
    )
    assert isinstance(result, list), result
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result if v["impact"] in SERIOUS]


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        (None, ["/", "/courses/", "/courses/?audience=judge&open_now=on", "/calendar/", "/facilitators/",
                "/events/{chisinau}/", "/accounts/login/", "/accounts/signup/", "/verify/AAAA-BBBB-CCCC/",
                "/verify/"]),
        ("judge@sinergia.test", ["/dashboard/", "/profile/", "/my/trainings/", "/my/record/?year=2018",
                                 "/my/certificates/", "/check-in/", "/my-data/", "/profile/privacy/", "/privacy/"]),
        ("trainer@sinergia.test", ["/dashboard/", "/events/{upcoming}/agenda/", "/events/{upcoming}/participants/",
                                   "/events/{upcoming}/attendance/", "/events/{upcoming}/",
                                   "/events/{upcoming}/agenda/sessions/new/",
                                   "/events/{chisinau}/evaluation/trainer-report/"]),
        ("focal@sinergia.test", ["/dashboard/", "/colleagues/", "/endorsements/"]),
        ("admin@sinergia.test", ["/stats/", "/events/{chisinau}/certificates/", "/events/{chisinau}/attendance/",
                                 "/stats/events/{chisinau}/attendance/", "/events/new/", "/events/{upcoming}/edit/",
                                 "/events/{upcoming}/clone/", "/events/{upcoming}/cancel/", "/dashboard/",
                                 "/events/{upcoming}/close/", "/people/profile-changes/", "/certificates/designs/",
                                 "/certificates/designs/default/", "/events/{chisinau}/evaluation/",
                                 "/facilitators/scorecards/", "/privacy/records/", "/people/erasure-requests/"]),
    ],
)  # fmt: skip
def test_main_pages_have_no_serious_accessibility_violation(browser, live_server, who, pages):
    call_command("seed_demo", verbosity=0)
    ids = {
        "chisinau": Event.objects.get(start_date="2018-06-04").pk,
        "upcoming": Event.objects.filter(status="published", trainers__email="trainer@sinergia.test")
        .order_by("start_date").first().pk,
    }  # fmt: skip
    if who:
        sign_in(browser, live_server.url, who)
    found = {}
    for page in pages:
        browser.get(live_server.url + page.format(**ids))
        problems = violations(browser)
        if problems:
            found[page] = problems
    assert found == {}


@pytest.mark.parametrize(
    ("who", "page", "action"),
    [
        ("judge@sinergia.test", "/my/trainings/", "/cancel/"),
        ("admin@sinergia.test", "/events/{chisinau}/certificates/", "/certificates/revoke/"),
    ],
)
def test_confirmation_pages_reached_by_a_post_have_no_serious_violation(browser, live_server, who, page, action):
    """Cancelling an enrollment and revoking a certificate first show a page that asks: it is checked too."""
    call_command("seed_demo", verbosity=0)
    sign_in(browser, live_server.url, who)
    browser.get(live_server.url + page.format(chisinau=Event.objects.get(start_date="2018-06-04").pk))
    form = browser.find_element(By.XPATH, f"//main//form[contains(@action, '{action}')]")
    # The first POST, without the confirmation.
    load_after(browser, lambda: browser.execute_script("arguments[0].submit();", form))
    browser.find_element(By.NAME, "confirm")
    assert violations(browser) == []
