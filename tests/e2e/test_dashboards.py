"""A focal point follows their colleagues' trainings from the dashboard, on a desktop and on a phone."""

from datetime import timedelta

from django.utils import timezone
from selenium.webdriver.common.by import By

from certificates.services import certificate_issue
from courses.models import Enrollment, Event
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import ARTIFACTS, click_and_load, emulate, sign_in
from tests.factories import PASSWORD, CourseFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = [worker_db]

WIDTHS = {"desktop": 1366, "phone": 390}


def colleagues_of(focal_point):
    """A closed two-day training with one colleague who completed it and one who did not, and a waiting request."""
    today = timezone.localdate()
    institution = focal_point.institution
    closed = EventFactory(course=CourseFactory(title_en="Protecting victims of trafficking"),
                          start_date=today - timedelta(days=9), end_date=today - timedelta(days=8),
                          enrollment_closes_at=timezone.now() - timedelta(days=10),
                          status=Event.Status.COMPLETED)  # fmt: skip
    completed = EnrollmentFactory(event=closed, user=UserFactory(institution=institution, family_name="Căpățînă"),
                                  attended_days=2, scheduled_days=2, completed=True)  # fmt: skip
    certificate_issue(enrollment=completed, actor=UserFactory(role=Role.ADMINISTRATOR), reason="Attended every day.")
    EnrollmentFactory(event=closed, user=UserFactory(institution=institution, family_name="Кожухарь"),
                      attended_days=1, scheduled_days=2, completed=False)  # fmt: skip
    EnrollmentFactory(event=EventFactory(course=CourseFactory(title_en="Domestic violence: first response")),
                      user=UserFactory(institution=institution, family_name="Rotari"),
                      status=Enrollment.Status.REQUESTED, awaits_endorsement=True)  # fmt: skip


def screenshot(driver, folder, name, width):
    """The whole page (up to 4000 px tall) at `width`."""
    folder.mkdir(parents=True, exist_ok=True)
    emulate(driver, width, min(max(driver.execute_script("return document.body.scrollHeight"), 800), 4000))
    driver.save_screenshot(str(folder / f"{name}.png"))


def test_a_focal_point_sees_their_colleagues_completion(browser, live_server, request):
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=InstitutionFactory(name="Inspectoratul General"))
    colleagues_of(focal_point)
    sign_in(browser, live_server.url, focal_point.email, PASSWORD)
    # Signed in, the home is the dashboard: it says what waits, in the header too.
    assert "1 request waits for your endorsement." in browser.find_element(By.TAG_NAME, "main").text
    assert "(1 waiting)" in browser.find_element(By.TAG_NAME, "header").text
    folder = ARTIFACTS / request.node.name
    for device, width in WIDTHS.items():
        emulate(browser, width)
        browser.get(live_server.url + "/dashboard/")
        screenshot(browser, folder, f"{device}-1-dashboard", width)
        click_and_load(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "My colleagues"))
        rows = {row.text for row in browser.find_elements(By.CSS_SELECTOR, "table.colleagues tbody tr")}
        page = browser.find_element(By.TAG_NAME, "main").text
        assert "Protecting victims of trafficking" in page and "Domestic violence: first response" in page
        completed = next(row for row in rows if "Căpățînă" in row)
        assert "2 of 2" in completed and "Yes" in completed and "issued on" in completed
        assert "No" in next(row for row in rows if "Кожухарь" in row)
        assert "Requested" in next(row for row in rows if "Rotari" in row)
        # Nothing wider than the screen: the table becomes labelled rows on a phone.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        screenshot(browser, folder, f"{device}-2-colleagues", width)
