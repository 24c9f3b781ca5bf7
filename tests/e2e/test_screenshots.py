"""The main pages of each role, and the PDFs people receive, in Romanian and Russian, on a desktop and on a phone.

The demo's data; every page and PDF page is left as a PNG under test-artifacts/<test name>/ for people to look at.
"""

import re
import shutil
import subprocess
import urllib.request

import pytest
from django.core.management import call_command

from certificates.models import Certificate
from courses.models import Event
from tests.conftest import service_unavailable, worker_db
from tests.e2e.conftest import ARTIFACTS, emulate, sign_in

pytestmark = [pytest.mark.services, worker_db]

WIDTHS = {"desktop": 1280, "phone": 390}
TALLEST = 4000  # px: a longer page is cut there
PARTICIPANT = {"ro": "judge@sinergia.test", "ru": "police@sinergia.test"}
PAGES = {
    None: ["/", "/courses/", "/calendar/", "/facilitators/", "/events/{chisinau}/", "/accounts/login/",
           "/accounts/signup/", "/verify/{code}/"],
    "participant": ["/dashboard/", "/my/trainings/", "/my/record/?year=2018", "/my/certificates/", "/profile/",
                    "/my-data/", "/profile/privacy/"],
    # The 2018 training has people in its grid; the next event, an agenda still being built.
    "trainer@sinergia.test": ["/events/{upcoming}/agenda/", "/events/{chisinau}/participants/",
                              "/events/{chisinau}/attendance/", "/events/{chisinau}/evaluation/trainer-report/"],
    "focal@sinergia.test": ["/endorsements/", "/stats/"],
    "admin@sinergia.test": ["/stats/", "/events/{chisinau}/certificates/", "/stats/events/{chisinau}/attendance/",
                            "/people/profile-changes/", "/certificates/designs/default/",
                            "/events/{chisinau}/evaluation/", "/facilitators/scorecards/", "/privacy/records/",
                            "/people/erasure-requests/"],
}  # fmt: skip


def sign_in_as(driver, base, email, language):
    driver.delete_all_cookies()
    driver.add_cookie({"name": "django_language", "value": language, "path": "/"})
    if email:
        sign_in(driver, base, email)


def slug(path):
    return re.sub(r"\W+", "-", path).strip("-") or "home"


def pdf_to_png(driver, base, path, target):
    """Download `path` with the browser's session and draw its first page to `target`.png (pdftoppm)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(base + path, headers={"Cookie": cookies})
    pdf = target.with_suffix(".pdf")
    pdf.write_bytes(urllib.request.urlopen(request, timeout=30).read())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, target], check=True)
    pdf.unlink()


def test_main_pages_and_pdfs_in_romanian_and_russian(browser, live_server, request):
    if not shutil.which("pdftoppm"):
        service_unavailable("pdftoppm is not installed (Debian package poppler-utils)")
    call_command("seed_demo", verbosity=0)
    chisinau = Event.objects.get(start_date="2018-06-04")
    ids = {
        "chisinau": chisinau.pk,
        "upcoming": Event.objects.filter(status="published", trainers__email="trainer@sinergia.test")
        .order_by("start_date").first().pk,
        "code": Certificate.objects.filter(enrollment__event=chisinau).first().code,
    }  # fmt: skip
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    base, overflowing = live_server.url, []
    browser.get(base + "/")  # cookies belong to the site's address
    for language in ["ro", "ru"]:
        for who, pages in PAGES.items():
            email = PARTICIPANT[language] if who == "participant" else who
            sign_in_as(browser, base, email, language)
            role = (email or "anonymous").split("@")[0]
            for page in pages:
                for device, width in WIDTHS.items():
                    emulate(browser, width, 800)
                    browser.get(base + page.format(**ids))
                    height = browser.execute_script("return document.documentElement.scrollHeight")
                    emulate(browser, width, min(max(height, 800), TALLEST))
                    browser.save_screenshot(str(folder / f"{language}-{role}-{slug(page)}-{device}.png"))
                    if browser.execute_script("return document.documentElement.scrollWidth") > width:
                        overflowing.append(f"{language} {page} ({device})")
        # The PDFs, as an administrator may open them all.
        sign_in_as(browser, base, "admin@sinergia.test", language)
        certificate = Certificate.objects.filter(enrollment__event=chisinau, language=language).first()
        pdf_to_png(browser, base, f"/certificates/{certificate.uuid}.pdf", folder / f"{language}-certificate")
        pdf_to_png(browser, base, f"/events/{chisinau.pk}/agenda.pdf", folder / f"{language}-agenda")
        pdf_to_png(browser, base, f"/events/{chisinau.pk}/attendance/2018-06-04/sign-in.pdf",
                   folder / f"{language}-sign-in-sheet")  # fmt: skip
    assert len(list(folder.glob("*.png"))) == 2 * (2 * sum(map(len, PAGES.values())) + 3)
    # Nothing is wider than the screen it is shown on (a phone scrolls down, never sideways).
    assert overflowing == []
