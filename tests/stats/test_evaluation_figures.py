"""The evaluation's figures on /stats/ and in the donor pack: only questionnaires with their own minimum of answers
count, whatever the filters; the knowledge gain follows every filter of the participations."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Event
from evaluation import demo
from evaluation import models as evaluation
from evaluation.models import Invitation, Survey
from evaluation.services import survey_open
from lms.models import Audience, User
from lms.roles import Role
from tests.evaluation.test_reaction import attended
from tests.evaluation.test_results import answer
from tests.factories import EventFactory, InstitutionFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
STATS = reverse("stats:index")
PRE, POST = evaluation.TestAttempt.Phase.PRE, evaluation.TestAttempt.Phase.POST


def questionnaire_answered(event, overall, invited, min_answers=5, **person):
    """More people attended `event`, up to `invited`; the first of them answer its (session-less) default
    questionnaire, rating its six scales `overall[n]` each."""
    for _number in range(invited - event.enrollments.count()):
        attended(event, ["present"], **person)
    survey = survey_open(event=event)
    Survey.objects.filter(pk=survey.pk).update(min_answers=min_answers)
    for invitation, rating in zip(Invitation.objects.filter(survey=survey).order_by("pk"), overall, strict=False):
        answer(survey, invitation, rating, rating)


def scored(event, pre, post=None, **person):
    """Someone who attended `event` and took its pre-test (and its post-test) with these scores."""
    user = attended(event, ["present"], **person)
    enrollment = user.enrollments.get(event=event)
    for phase, score in ((PRE, pre), (POST, post)):
        if score is not None:
            evaluation.TestAttempt.objects.create(enrollment=enrollment, phase=phase, score=Decimal(score),
                                                  submitted_at=timezone.now())  # fmt: skip
    return user


@pytest.fixture
def world():
    """Counted by hand in each test. Each questionnaire has six 1-5 questions; a response rates them all alike.

    March (programme P1): 6 invited, 5 answered 5, 4, 3, 4, 2: 30 ratings, mean 3.60, 18 satisfied (60.0 %).
      Ana (police, judge, woman) 40 -> 80, Ion (court, police officer, man) 50 -> 60; Eva (police) pre-test only.
    April (P1): 3 invited (from the police), 2 answered 1, 1: below its minimum of 5, never counted.
    September (P2): 3 invited, minimum 3, answered 5, 5, 4: 18 ratings, mean 4.67, all satisfied.
      Maria (court, prosecutor, woman) 20 -> 100.
    """
    demo.seed_reaction_questionnaire()
    police, court = InstitutionFactory(name="Police"), InstitutionFactory(name="Court")
    p1, p2 = ProgrammeFactory(code="P1"), ProgrammeFactory(code="P2")

    def event(programme, start):
        return EventFactory(programme=programme, start_date=start, end_date=start, status=Event.Status.COMPLETED)

    march, april, september = event(p1, date(2025, 3, 3)), event(p1, date(2025, 4, 7)), event(p2, date(2025, 9, 1))
    scored(march, "40.0", "80.0", institution=police, profession=Audience.JUDGE, sex=User.Sex.FEMALE)
    scored(march, "50.0", "60.0", institution=court, profession=Audience.POLICE_OFFICER, sex=User.Sex.MALE)
    scored(march, "30.0", institution=police, profession=Audience.JUDGE, sex=User.Sex.FEMALE)
    questionnaire_answered(march, [5, 4, 3, 4, 2], invited=6)
    questionnaire_answered(april, [1, 1], invited=3, institution=police)
    scored(september, "20.0", "100.0", institution=court, profession=Audience.PROSECUTOR, sex=User.Sex.FEMALE)
    questionnaire_answered(september, [5, 5, 4], invited=3, min_answers=3)
    return {"police": police, "court": court, "p1": p1, "p2": p2}


def page(client, user=None, **params):
    client.force_login(user or UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(STATS, params)
    assert response.status_code == 200
    return response


def satisfaction(response):
    """(questionnaires counted, left out, responses, invited, ratings, mean rating, satisfaction) on the page."""
    found = response.context["satisfaction"]
    return (found.counted, found.left_out, found.responses, found.invited, *(found.ratings.count,
            found.ratings.mean, found.ratings.satisfaction))  # fmt: skip


def gain(response):
    found = response.context["gains"]["all"]
    return found and (found.count, found.pre, found.post, found.gain)


def test_only_the_questionnaires_with_their_minimum_of_answers_count(client, world):
    response = page(client)
    # March and September: 8 responses of 9 invited; 48 ratings summing 108 + 84, 36 of them 4 or 5.
    assert satisfaction(response) == (2, 1, 8, 9, 48, Decimal("4.00"), Decimal("75.0"))
    assert response.context["satisfaction"].response_rate == Decimal("88.9")
    text = response.content.decode()
    section = text.split('id="evaluation-heading"', 1)[1].split("</section>", 1)[0]
    assert "75.0%" in section and "4.00" in section and "88.9%" in section
    assert "1 questionnaire is left out" in section
    assert "not only this institution" not in section


def test_the_knowledge_gain_of_those_who_took_both_tests_overall_by_profession_and_by_sex(client, world):
    response = page(client)
    # Ana 40 -> 80, Ion 50 -> 60, Maria 20 -> 100; Eva took the pre-test only.
    assert gain(response) == (3, Decimal("36.7"), Decimal("80.0"), Decimal("43.3"))
    gains = response.context["gains"]
    by_profession = [(g.label, g.count, g.gain) for g in gains["by_profession"]]
    assert by_profession == [("Judge", 1, Decimal("40.0")), ("Prosecutor", 1, Decimal("80.0")),
                             ("Police officer", 1, Decimal("10.0"))]  # fmt: skip
    assert [(g.label, g.count, g.pre, g.post) for g in gains["by_sex"]] == [
        ("Female", 2, Decimal("30.0"), Decimal("90.0")), ("Male", 1, Decimal("50.0"), Decimal("60.0"))]  # fmt: skip
    section = response.content.decode().split("Knowledge, before and after", 1)[1].split("</section>", 1)[0]
    first_row = section.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "All participants" in first_row and ">3<" in first_row and "36.7" in first_row and "43.3" in first_row
    assert "By profession" in section and "By sex" in section


def test_filters_narrow_both(client, world):
    response = page(client, programme=world["p1"].pk)
    assert satisfaction(response) == (1, 1, 5, 6, 30, Decimal("3.60"), Decimal("60.0"))
    assert gain(response) == (2, Decimal("45.0"), Decimal("70.0"), Decimal("25.0"))
    response = page(client, date_from="2025-06-01")
    assert satisfaction(response) == (1, 0, 3, 3, 18, Decimal("4.67"), Decimal("100.0"))
    assert gain(response) == (1, Decimal("20.0"), Decimal("100.0"), Decimal("80.0"))
    # The knowledge gain follows the institution of each participation; the answers, naming no one, its events.
    response = page(client, institution=world["court"].pk)
    assert gain(response) == (2, Decimal("35.0"), Decimal("80.0"), Decimal("45.0"))
    assert satisfaction(response)[:2] == (2, 0)  # March and September; April had no one from the court
    assert "not only this institution" in response.content.decode()


def test_a_filter_narrowed_to_too_few_answers_shows_no_figure(client, world):
    response = page(client, date_from="2025-04-01", date_to="2025-04-30")  # April alone: 2 answers of 5 needed
    assert satisfaction(response) == (0, 1, 0, 0, 0, None, None)
    assert gain(response) is None
    section = response.content.decode().split('id="evaluation-heading"', 1)[1].split("</section>", 1)[0]
    assert "Not enough answers" in section and "%" not in section.split("Knowledge", 1)[0]
    assert "Nobody in these figures has taken both knowledge tests." in section
    assert "stats/satisfaction.csv" not in section and "stats/knowledge.csv" not in section


def test_a_focal_point_sees_the_satisfaction_of_their_events_and_the_gain_of_their_people(client, world):
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=world["police"])
    response = page(client, focal_point, institution=world["court"].pk)  # the form cannot widen it
    # March (Ana, Eva) and April (three from the police, below its minimum); not September.
    assert satisfaction(response) == (1, 1, 5, 6, 30, Decimal("3.60"), Decimal("60.0"))
    assert gain(response) == (1, Decimal("40.0"), Decimal("80.0"), Decimal("40.0"))  # Ana only
    assert "not only this institution" in response.content.decode()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=world["court"])
    response = page(client, focal_point)
    assert satisfaction(response)[:3] == (2, 0, 8)
    assert gain(response) == (2, Decimal("35.0"), Decimal("80.0"), Decimal("45.0"))


def test_both_download_as_csv_and_typed_xlsx(client, world):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    text = client.get(reverse("stats:export", args=["satisfaction", "csv"]), {"programme": world["p1"].pk})
    rows = list(csv.reader(io.StringIO(text.content.decode().lstrip("\ufeff"))))
    assert rows[1] == ["1", "1", "5", "6", "83.3", "30", "3.6", "60.0"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("stats:export", args=["knowledge", "xlsx"])).content)).active
    header, *lines = sheet.iter_rows(values_only=True)
    assert header == ("Breakdown", "Group", "Participants", "Before (%)", "After (%)", "Gain (points)")
    assert lines[0] == ("All", "All participants", 3, pytest.approx(0.367), 0.8, pytest.approx(43.3))
    assert ("By sex", "Male", 1, 0.5, 0.6, 10) in lines
    assert sheet["D2"].number_format == "0.0%" and sheet["F2"].number_format == "0.00"


def pack_indicators(client, programme, **params):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("stats:donor_pack", args=[programme.pk]), params)
    sheet = load_workbook(io.BytesIO(response.content))["Indicators"]
    header, *rows = sheet.iter_rows(values_only=True)
    cells = {row[1]: sheet.cell(row=number, column=3)
             for number, row in enumerate(rows, start=2) if row[0] == "Evaluation"}  # fmt: skip
    values = {label: cell.value for label, cell in cells.items()}
    return values, {label: cell.number_format for label, cell in cells.items()}


def test_the_donor_pack_has_the_evaluation_of_its_programme_typed(client, world):
    values, formats = pack_indicators(client, world["p1"])
    assert values == {
        "Questionnaires counted": 1, "Questionnaires left out (too few answers)": 1, "Responses": 5, "Invited": 6,
        "Response rate": pytest.approx(0.833), "Ratings": 30, "Mean rating (1–5)": 3.6,
        "Satisfaction (4 or 5)": 0.6, "Participants who took both knowledge tests": 2,
        "Mean score before (%)": 0.45, "Mean score after (%)": 0.7, "Mean knowledge gain (points)": 25,
    }  # fmt: skip
    assert formats["Satisfaction (4 or 5)"] == formats["Mean score before (%)"] == "0.0%"
    assert formats["Mean rating (1–5)"] == formats["Mean knowledge gain (points)"] == "0.00"
    # Narrowed by the filters of /stats/ to April: nothing counts, and no figure is made up.
    values, _formats = pack_indicators(client, world["p1"], date_from="2025-04-01")
    assert (values["Questionnaires counted"], values["Questionnaires left out (too few answers)"]) == (0, 1)
    assert [values[label] for label in ("Satisfaction (4 or 5)", "Mean rating (1–5)", "Mean score before (%)")] == [
        None, None, None]  # fmt: skip
    assert values["Participants who took both knowledge tests"] == 0


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_page_and_the_pack_read_as_many_queries_with_more_questionnaires_and_tests(client, world):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    pack = reverse("stats:donor_pack", args=[world["p1"].pk])

    def counts():
        return queries(client, STATS), queries(client, STATS, institution=world["court"].pk), queries(client, pack)

    counts()  # the filter forms drawn, then read from the cache
    before = counts()
    for month in (5, 6, 7):
        event = EventFactory(programme=world["p1"], start_date=date(2025, month, 5), end_date=date(2025, month, 5),
                             status=Event.Status.COMPLETED)  # fmt: skip
        for number in range(4):
            scored(event, "50.0", "75.0", institution=world["court"], sex=User.Sex.values[number % 3])
        questionnaire_answered(event, [5, 4, 4, 3], invited=4, min_answers=3)
    assert counts() == before
