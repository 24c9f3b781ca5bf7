"""The printable attendance report: a row per person, a totals row, signature lines, A4 in the right orientation."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from courses.models import Attendance, Event
from lms import demo_images
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def held_event(days, **fields):
    """A completed event of `days` days from 4 June 2018, six scheduled hours a day."""
    event = EventFactory(start_date=date(2018, 6, 4), end_date=date(2018, 6, 4) + timedelta(days=days - 1),
                         status=Event.Status.COMPLETED, **fields)  # fmt: skip
    for day in event.days:
        AgendaItemFactory(event=event, date=day, starts_at=time(9), ends_at=time(15))
    return event


def attended(event, user, statuses):
    enrollment = EnrollmentFactory(event=event, user=user)
    for day, status in zip(event.days, statuses, strict=False):
        Attendance.objects.create(enrollment=enrollment, date=day, status=status)
    return enrollment


def report(client, event, user=None):
    client.force_login(user or UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("stats:attendance_report", args=[event.pk]))
    assert response.status_code == 200
    return response


def cells(html):
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)]


def test_the_totals_row_counts_those_present_each_day_and_adds_up_days_hours_and_completions(client):
    event = held_event(3)
    # Ana: there every day (late on the last) 18 h, completed; Ion: one day 6 h (excused days do not count);
    # Eva: never marked.
    attended(event, UserFactory(given_name="Ana"), ["present", "present", "late"])
    attended(event, UserFactory(given_name="Ion"), ["present", "absent", "excused"])
    attended(event, UserFactory(given_name="Eva"), [])
    page = report(client, event).content.decode()
    footer = page[page.index("<tfoot>") : page.index('class="report-signatures"')]
    assert cells(footer) == ["Total", "2", "1", "1", "4/9", "44", "24", "1"]
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert cells(rows).count("yes") == 1 and cells(rows).count("no") == 2


def test_an_event_without_participants_has_no_totals_but_its_signature_lines(client):
    page = report(client, held_event(2)).content.decode()
    assert "No participant." in page and "report-totals" not in page
    assert page.count('class="signature-line"') == 2


def test_the_trainers_and_the_organiser_sign_under_their_names(client):
    trainers = [UserFactory(role=Role.TRAINER, given_name="Lāsma", family_name="Stabiņa"),
                UserFactory(role=Role.TRAINER, given_name="Ian", family_name="Sweet")]  # fmt: skip
    event = held_event(2, trainers=trainers)
    event.organisers.set([InstitutionFactory(name="General Police Inspectorate")])
    signatures = re.findall(r'class="signature-role">(.*?)</p>.*?class="signature-name">(.*?)</p>',
                            report(client, event).content.decode())  # fmt: skip
    assert signatures == [("Trainer", "Lāsma Stabiņa"), ("Trainer", "Ian Sweet"),
                          ("Organiser", "General Police Inspectorate")]  # fmt: skip
    # Not known yet: lines to sign all the same.
    signatures = re.findall(r'class="signature-role">(.*?)</p>.*?class="signature-name">(.*?)</p>',
                            report(client, held_event(2)).content.decode())  # fmt: skip
    assert signatures == [("Trainer", ""), ("Organiser", "")]


def test_many_days_print_on_a_landscape_page(client):
    assert "attendance-report is-landscape" not in report(client, held_event(2)).content.decode()
    assert "attendance-report is-landscape" in report(client, held_event(3)).content.decode()


def test_long_names_are_printed_whole_and_the_days_read_day_month_year(client):
    long_name = "Alexandru-Constantin Țurcanu-Ștefănescu"
    event = held_event(5, venue_name="General Police Inspectorate", city="Chișinău")
    attended(event, UserFactory(given_name="Александра-Мария", family_name=long_name), ["present"] * 5)
    client.cookies["django_language"] = "ro"
    page = report(client, event).content.decode()
    assert f"Александра-Мария {long_name}" in page
    assert "08.06.2018" in page and "2018-06-08" not in page
    assert "General Police Inspectorate, Chișinău" in page
    assert Decimal(report(client, event).context["totals"].hours) == 30


def test_the_programmes_logos_head_the_report(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    event = held_event(2)
    assert "report-logos" not in report(client, event).content.decode()
    funder = event.programme.funder
    funder.logo.save("icmpd.png", ContentFile(demo_images.emblem("ICMPD", "#1d4f91")))
    event.organisers.set([InstitutionFactory(name="General Police Inspectorate")])  # without a logo: left out
    html = report(client, event).content.decode()
    assert re.findall(r'<img src="([^"]+)" alt="([^"]+)">', html) == [(funder.logo_url, funder.name)]
    assert client.get(funder.logo_url)["Content-Type"] == "image/png"
