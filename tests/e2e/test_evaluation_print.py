"""An event's evaluation report as organisers file it: printed on A4 from the browser, the questionnaire's results
and the trainers' reports in it, nothing of the screen's navigation. The PDF and a PNG of each of its pages are left
under test-artifacts/<test name>/."""

import base64
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from evaluation import demo
from evaluation.models import Invitation, TrainerReport
from lms.roles import Role
from tests.conftest import service_unavailable, worker_db
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.evaluation.test_results import answer, training
from tests.factories import PASSWORD, FacilitatorFactory, UserFactory

pytestmark = [pytest.mark.services, worker_db]
A4 = (595, 842)  # points


def test_the_evaluation_report_prints_on_a4(browser, live_server, request):
    if not shutil.which("pdftoppm"):
        service_unavailable("pdftoppm is not installed (Debian package poppler-utils)")
    demo.seed_reaction_questionnaire()
    event, survey = training(FacilitatorFactory(name="Lāsma Stabiņa"), people=6)
    for n, invitation in enumerate(Invitation.objects.filter(survey=survey)):
        answer(survey, invitation, 4 + n % 2, 5, text=f"Mai multe studii de caz, nr. {n}")
    trainer = UserFactory(role=Role.TRAINER, given_name="Elena", family_name="Ciobanu")
    event.trainers.add(trainer)
    TrainerReport.objects.create(event=event, author=trainer, went_well="Discuțiile pe cazuri au fost vii.",
                                 recommendations="Un modul despre copiii victime.")  # fmt: skip
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    sign_in(browser, live_server.url, UserFactory(role=Role.ADMINISTRATOR).email, PASSWORD)
    browser.get(f"{live_server.url}/events/{event.pk}/evaluation/")
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    pdf = base64.b64decode(printed["data"])
    (folder / "evaluation.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", folder / "evaluation.pdf", folder / "page"], check=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert all((round(page.mediabox.width), round(page.mediabox.height)) == A4 for page in pages)
    text = " ".join("\n".join(page.extract_text() for page in pages).split())
    shown = ["Evaluation report", event.display_title, "6 of 6 invited have answered", "Trainers' reports",
             "The facilitator: Lāsma Stabiņa", "Mai multe studii de caz, nr. 5", "Elena Ciobanu",
             "Discuțiile pe cazuri au fost vii.", "Un modul despre copiii victime.",
             "Printed from Sinergia on"]  # fmt: skip
    for words in shown:
        assert words in text, words
    for on_screen_only in ("Sign out", "My dashboard", "Write your report"):
        assert on_screen_only not in text, on_screen_only
