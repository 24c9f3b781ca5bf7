import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Certificate
from courses.models import Event
from lms.models import Audience, User
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STATS = reverse("stats:index")
SVG = "{http://www.w3.org/2000/svg}"


def closed_enrollment(event, user, attended, scheduled, hours, completed):
    return EnrollmentFactory(event=event, user=user, attended_days=attended, scheduled_days=scheduled,
                             credit_hours=Decimal(hours), completed=completed,
                             attendance_rate=Decimal(attended * 100 / scheduled))  # fmt: skip


@pytest.fixture
def fixture():
    """A small world whose figures were computed by hand (see each test)."""
    police, court = InstitutionFactory(name="Police"), InstitutionFactory(name="Court")
    balti, cahul = RegionFactory(name="Bălți"), RegionFactory(name="Cahul")
    trafficking = ThemeFactory(slug="trafficking", name_en="Trafficking")
    programme = ProgrammeFactory(code="ICMPD/2018/MPF-240-003")
    course = CourseFactory(themes=[trafficking], audiences=[Audience.POLICE_OFFICER, Audience.JUDGE])
    trainer = UserFactory(role=Role.TRAINER)
    held = EventFactory(course=course, programme=programme, region=balti, start_date=date(2026, 3, 2),
                        end_date=date(2026, 3, 3), status=Event.Status.COMPLETED, trainers=[trainer])  # fmt: skip
    planned = EventFactory(course=course, programme=programme, region=cahul, start_date=date(2026, 5, 4))
    EventFactory(course=course, region=cahul, start_date=date(2026, 5, 11), status=Event.Status.CANCELLED)
    EventFactory(course=course, start_date=date(2026, 5, 18), status=Event.Status.DRAFT)
    AgendaItemFactory(event=held, facilitators=[FacilitatorFactory(), FacilitatorFactory()])
    ana = UserFactory(sex=User.Sex.FEMALE, profession=Audience.POLICE_OFFICER, institution=police)
    ion = UserFactory(sex=User.Sex.MALE, profession=Audience.JUDGE, institution=court)
    eva = UserFactory(sex=User.Sex.FEMALE, profession=Audience.POLICE_OFFICER, institution=police)
    # Held event: ana 2/2 days 12 h completed; ion 1/2 days 6 h not completed; eva 2/2 days 12 h completed.
    e1 = closed_enrollment(held, ana, 2, 2, "12", True)
    closed_enrollment(held, ion, 1, 2, "6", False)
    closed_enrollment(held, eva, 2, 2, "12", True)
    Certificate.objects.create(enrollment=e1, kind="completion", language="en", printed_name="Ana", course_title="C",
                               event_title="C", start_date=held.start_date, end_date=held.end_date,
                               credit_hours=12, attendance_rate=100, issuer="Sinergia")  # fmt: skip
    # Planned event: ana again, and a waitlisted person who is not a participation.
    EnrollmentFactory(event=planned, user=ana)
    EnrollmentFactory(event=planned, status="waitlisted", user=UserFactory(institution=police))
    return {"police": police, "court": court, "programme": programme, "held": held, "balti": balti,
            "ana": ana, "ion": ion, "eva": eva}  # fmt: skip


def figures(client, **params):
    response = client.get(STATS, params)
    assert response.status_code == 200
    return response.context["summary"], {table.name: table for table, _chart in response.context["tables"]}


def test_summary_figures_match_the_hand_count(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    summary, _tables = figures(client)
    totals = summary["totals"]
    assert (totals.planned, totals.held, totals.cancelled) == (1, 1, 1)  # the draft is not counted
    assert (totals.participations, totals.persons) == (4, 3)
    assert totals.attendance_rate == Decimal("83.3")  # 5 attended days of 6 scheduled
    assert totals.completion_rate == Decimal("66.7")  # 2 of the 3 in the held event
    assert (totals.certificates, totals.hours) == (1, Decimal(30))
    assert (summary["trainers"], summary["facilitators"]) == (1, 2)


def test_breakdowns_by_sex_profession_institution_region_theme_and_time(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    _summary, tables = figures(client)
    by_sex = {row.label: (row.participations, row.persons, row.hours) for row in tables["sex"].rows}
    assert by_sex == {"Female": (3, 2, Decimal(24)), "Male": (1, 1, Decimal(6))}
    assert {row.label: row.participations for row in tables["profession"].rows} == {"Police officer": 3, "Judge": 1}
    institutions = {row.label: (row.participations, row.persons, row.completion_rate)
                    for row in tables["institution"].rows}  # fmt: skip
    assert institutions == {"Police": (3, 2, Decimal("100.0")), "Court": (1, 1, Decimal("0.0"))}
    assert {row.label: row.persons for row in tables["profession"].rows} == {"Police officer": 2, "Judge": 1}
    regions = {row.label: (row.participations, row.planned, row.held, row.cancelled) for row in tables["region"].rows}
    assert regions == {"Bălți": (3, 0, 1, 0), "Cahul": (1, 1, 0, 1)}
    assert {row.label: row.participations for row in tables["theme"].rows} == {"Trafficking": 4}
    by_month = [(row.label, row.participations, row.held) for row in tables["time"].rows]
    assert by_month == [("March 2026", 3, 1), ("April 2026", 0, 0), ("May 2026", 1, 0)]
    _summary, tables = figures(client, by="quarter")
    assert {row.label for row in tables["time"].rows} == {"2026 Q1", "2026 Q2"}


def test_sex_is_counted_inside_profession_region_institution_and_theme(client, fixture):
    # Two more police officers from the police in the planned event in Cahul: one other, one not stated.
    planned = Event.objects.get(programme=fixture["programme"], status=Event.Status.PUBLISHED)
    for sex in (User.Sex.OTHER, User.Sex.NOT_STATED):
        EnrollmentFactory(event=planned, user=UserFactory(sex=sex, institution=fixture["police"],
                                                          profession=Audience.POLICE_OFFICER))  # fmt: skip
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    _summary, tables = figures(client)

    def split(name):
        return {row.label: (row.women, row.men, row.sex_other) for row in tables[name].rows}

    # ana and eva (women) in the held event, ana again in the planned one; ion (man) in the held one.
    assert split("profession") == {"Police officer": (3, 0, 2), "Judge": (0, 1, 0)}
    assert split("institution") == {"Police": (3, 0, 2), "Court": (0, 1, 0)}
    assert split("region") == {"Bălți": (2, 1, 0), "Cahul": (1, 0, 2)}
    assert split("theme") == {"Trafficking": (3, 1, 2)}
    for table in tables.values():
        for row in table.rows:
            assert row.women + row.men + row.sex_other == row.participations


def test_the_time_axis_has_every_period_from_the_first_to_the_last_the_empty_ones_at_zero(client, fixture):
    autumn = EventFactory(start_date=date(2025, 11, 10), status=Event.Status.COMPLETED)
    closed_enrollment(autumn, fixture["ion"], 1, 1, "6", True)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    _summary, tables = figures(client)
    by_month = [(row.label, row.participations, row.held) for row in tables["time"].rows]
    assert by_month == [("November 2025", 1, 1), ("December 2025", 0, 0), ("January 2026", 0, 0),
                        ("February 2026", 0, 0), ("March 2026", 3, 1), ("April 2026", 0, 0),
                        ("May 2026", 1, 0)]  # fmt: skip
    _summary, tables = figures(client, by="quarter")
    assert [(row.label, row.participations) for row in tables["time"].rows] == [
        ("2025 Q4", 1), ("2026 Q1", 3), ("2026 Q2", 1)]  # fmt: skip
    # The range is that of the figures the filters leave.
    _summary, tables = figures(client, date_from="2026-01-01")
    assert [row.label for row in tables["time"].rows] == ["March 2026", "April 2026", "May 2026"]
    reader = Client()  # the language cookie of the pages above would keep them in English
    reader.force_login(UserFactory(role=Role.ADMINISTRATOR, preferred_language="ro"))
    page = reader.get(STATS).content.decode()
    assert "decembrie 2025" in page and "2025-12" not in page


def test_filters_narrow_every_figure(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    summary, _tables = figures(client, region=fixture["balti"].pk)
    assert (summary["totals"].participations, summary["totals"].planned) == (3, 0)
    summary, _tables = figures(client, date_from="2026-04-01")
    assert summary["totals"].participations == 1
    summary, _tables = figures(client, institution=fixture["court"].pk)
    assert (summary["totals"].participations, summary["totals"].held) == (1, 1)
    summary, _tables = figures(client, audience="prosecutor", region="bad")
    assert summary["totals"].participations == 0


def test_a_focal_point_sees_only_their_institution_and_others_are_refused(client, fixture):
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["court"]))
    summary, tables = figures(client, institution=fixture["police"].pk)  # the form cannot widen it
    assert (summary["totals"].participations, summary["totals"].persons) == (1, 1)
    assert [row.label for row in tables["institution"].rows] == ["Court"]
    for user in [UserFactory(), UserFactory(role=Role.TRAINER), UserFactory(role=Role.FOCAL_POINT, institution=None)]:
        client.force_login(user)
        assert client.get(STATS).status_code == 403
        assert client.get(reverse("stats:export", args=["sex", "csv"])).status_code == 403


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_same_number_of_queries_whatever_the_amount_of_data(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    filtered = f"{STATS}?by=quarter&region={fixture['balti'].pk}"
    count(client, STATS), count(client, filtered)  # the filter forms drawn, then read from the cache
    before = count(client, STATS), count(client, filtered)
    for n in range(20):
        event = EventFactory(
            region=RegionFactory(name=f"District {n}"),
            start_date=date(2026, 1, 5) + timedelta(days=30 * n),
            status=Event.Status.COMPLETED,
            course=CourseFactory(themes=[ThemeFactory()]),
        )
        for _ in range(3):
            closed_enrollment(event, UserFactory(institution=InstitutionFactory()), 1, 1, "6", True)
    after = count(client, STATS), count(client, filtered)
    assert before == after
    assert max(after) <= 20


def test_csv_and_xlsx_exports_neutralise_formulas(client, fixture):
    InstitutionFactory(name='=HYPERLINK("http://evil")')
    evil = User.objects.create(email="evil@example.test", given_name="x", family_name="y",
                               institution=InstitutionFactory(name="+cmd|' /C calc'!A0"))  # fmt: skip
    closed_enrollment(fixture["held"], evil, 2, 2, "12", True)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    text = client.get(reverse("stats:export", args=["institution", "csv"])).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "By institution"
    assert rows[[r[0] for r in rows].index("'+cmd|' /C calc'!A0")][:2] == ["'+cmd|' /C calc'!A0", "1"]
    content = b"".join([client.get(reverse("stats:export", args=["institution", "xlsx"])).content])
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'+cmd|' /C calc'!A0" in [cell.value for cell in cells]
    assert client.get(reverse("stats:export", args=["institution", "exe"])).status_code == 404
    assert client.get(reverse("stats:export", args=["nothing", "csv"])).status_code == 404


def moves_to_the_court(fixture):
    """Ana, a police officer who enrolled from the police, becomes a judge at the court."""
    ana = fixture["ana"]
    ana.institution, ana.profession = fixture["court"], Audience.JUDGE
    ana.save()
    return ana


def test_participations_stay_with_the_institution_and_profession_of_the_request(client, fixture):
    ana = moves_to_the_court(fixture)
    # From the court, as a judge, she joins another event: one person, two institutions.
    EnrollmentFactory(event=EventFactory(start_date=date(2026, 6, 1)), user=ana)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    summary, tables = figures(client)
    institutions = {row.label: (row.participations, row.persons) for row in tables["institution"].rows}
    assert institutions == {"Police": (3, 2), "Court": (2, 2)}
    professions = {row.label: (row.participations, row.persons) for row in tables["profession"].rows}
    assert professions == {"Police officer": (3, 2), "Judge": (2, 2)}
    assert (summary["totals"].participations, summary["totals"].persons) == (5, 3)  # ana counted once
    assert {row.label: row.persons for row in tables["sex"].rows} == {"Female": 2, "Male": 1}
    summary, _tables = figures(client, institution=fixture["police"].pk)
    assert (summary["totals"].participations, summary["totals"].held, summary["totals"].planned) == (3, 1, 1)
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["police"]))
    summary, tables = figures(client)
    assert (summary["totals"].participations, summary["totals"].persons) == (3, 2)
    assert [row.label for row in tables["institution"].rows] == ["Police"]
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["court"]))
    summary, _tables = figures(client)
    assert (summary["totals"].participations, summary["totals"].persons) == (2, 2)


def report(client, event):
    return client.get(reverse("stats:attendance_report", args=[event.pk]))


def test_the_attendance_report_prints_participants_by_days(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = report(client, fixture["held"]).content.decode()
    assert "Attendance report" in page and "Police" in page and "Court" in page
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["court"]))
    response = report(client, fixture["held"])
    assert [e.institution.name for e, _result, _cells in response.context["rows"]] == ["Court"]
    client.force_login(UserFactory())
    assert report(client, fixture["held"]).status_code == 403


def test_a_focal_point_reads_the_report_of_their_institutions_people_as_they_enrolled(client, fixture):
    moves_to_the_court(fixture)
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["police"]))
    response = report(client, fixture["held"])
    assert {e.user for e, _result, _cells in response.context["rows"]} == {fixture["ana"], fixture["eva"]}
    assert "Court" not in response.content.decode()
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["court"]))
    assert [e.user for e, _result, _cells in report(client, fixture["held"]).context["rows"]] == [fixture["ion"]]


def test_a_focal_point_may_not_open_the_report_of_a_draft_or_of_an_event_without_their_people(client, fixture):
    draft = EventFactory(status=Event.Status.DRAFT)
    EnrollmentFactory(event=draft, user=UserFactory(institution=fixture["police"]))
    elsewhere = EventFactory(status=Event.Status.COMPLETED)
    EnrollmentFactory(event=elsewhere, user=UserFactory(institution=InstitutionFactory()))
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=fixture["police"]))
    assert report(client, draft).status_code == 403
    assert report(client, elsewhere).status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert report(client, draft).status_code == 200
    assert report(client, elsewhere).status_code == 200


def test_quarters_are_named_in_the_readers_language(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, preferred_language="ro"))
    page = client.get(STATS, {"by": "quarter"}).content.decode()
    assert "2026 T1" in page and "2026 Q1" not in page


def chart_of(response, name):
    """The chart of table `name`, parsed (the server writes it as well-formed XML)."""
    chart = next(chart for table, chart in response.context["tables"] if table.name == name)
    return ElementTree.fromstring(str(chart))


def test_charts_split_by_sex_in_several_colours_with_labels_at_body_size_and_in_words(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(STATS)
    for name in ("sex", "profession", "institution", "region", "theme", "time"):
        chart = chart_of(response, name)
        svg = chart.find(f"{SVG}svg")
        # Nothing makes a label smaller than the page's text: no font size, no view box scaling the drawing.
        assert svg.get("viewBox") is None and svg.get("width") == "100%"
        assert all(element.get("font-size") is None for element in chart.iter())
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    profession = chart_of(response, "profession")
    colours = {rect.get("fill") for rect in profession.iter(f"{SVG}rect") if rect.get("fill", "").startswith("#")}
    assert len(colours) == 3  # women, men, other: each with its own pattern too
    legend = ["".join(item.itertext()).strip() for item in profession.iter("li")]
    assert legend == ["Women", "Men", "Other or not stated"]
    assert profession.find(f"{SVG}svg/{SVG}desc").text == (
        "Judge: 1 (women 0, men 1, other or not stated 0); Police officer: 3 (women 3, men 0, other or not stated 0)"
    )
    theme = chart_of(response, "theme")
    assert len({rect.get("fill") for rect in theme.iter(f"{SVG}rect") if rect.get("fill", "").startswith("#")}) == 1
    assert theme.find(f"{SVG}svg/{SVG}desc").text == "Trafficking: 4"


def test_the_tables_split_by_sex_and_the_theme_table_says_why_it_adds_up_to_more(client, fixture):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(STATS).content.decode()
    sections = {name: page.split(f'id="heading-{name}"')[1].split("</section>")[0]
                for name in ("sex", "profession", "institution", "region", "theme", "time")}  # fmt: skip
    split = '<th scope="col">Women</th><th scope="col">Men</th><th scope="col">Other or not stated</th>'
    assert all(split in sections[name] for name in ("profession", "institution", "region"))
    assert all("Women</th>" not in sections[name] for name in ("sex", "theme", "time"))
    assert "A participation counts once in each theme of its course" in sections["theme"]
    assert "counts once in each theme" not in page.replace(sections["theme"], "")


def test_a_long_chart_shows_its_largest_rows_and_says_so(client, fixture):
    for n in range(21):
        EnrollmentFactory(event=fixture["held"], user=UserFactory(institution=InstitutionFactory(name=f"Office {n}")))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(STATS)
    chart = chart_of(response, "institution")
    labels = [text.text for text in chart.iter(f"{SVG}text") if text.get("x") == "0"]
    assert labels[0] == "Police" and len(labels) == 20  # the largest first
    assert chart.find("figcaption").text == "The 20 largest of 23; the table lists them all."
    assert len(response.context["tables"][2][0].rows) == 23


@pytest.mark.parametrize("by", ["month", "quarter"])
def test_events_nobody_has_joined_yet_chart_as_empty_columns(client, by):
    EventFactory(start_date=date(2026, 9, 14), end_date=date(2026, 9, 15))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("stats:index"), {"by": by})
    assert page.status_code == 200 and "Events planned" in page.content.decode()
