"""An event's evaluation report and the facilitators' scorecards: figures only from enough answers, exact, and
never a person's name beside an answer."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evaluation import demo
from evaluation.models import Invitation, Survey
from evaluation.services import Link, response_submit, survey_open
from lms.roles import Role
from tests.evaluation.test_reaction import attended
from tests.factories import AgendaItemFactory, EventFactory, FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def training(facilitator, people=5):
    """A training that ended yesterday, one session led by `facilitator`, `people` who attended, its survey open."""
    day = timezone.localdate() - timedelta(days=1)
    event = EventFactory(start_date=day, end_date=day, enrollment_closes_at=timezone.now() - timedelta(days=3))
    AgendaItemFactory(event=event, title_en="Victim identification", starts_at=time(9), ends_at=time(11),
                      facilitators=[facilitator])  # fmt: skip
    for n in range(people):
        attended(event, ["present"], given_name=f"Respondent{n}")
    return event, survey_open(event=event)


def answer(survey, invitation, overall, facilitator_rating, text=""):
    """One person's answers: `overall` to every question about the training and its sessions,
    `facilitator_rating` to each session's facilitators."""
    response_submit(link=Link(invitation), answers=demo.every_answer(survey, overall, facilitator_rating, text))


@pytest.fixture
def expert():
    demo.seed_reaction_questionnaire()
    return FacilitatorFactory(name="Lāsma Stabiņa")


def report(client, event):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client.get(reverse("evaluation:event_report", args=[event.pk])).content.decode()


def test_results_stay_hidden_until_five_have_answered_then_show_exact_figures(client, expert):
    event, survey = training(expert, people=6)
    invitations = list(Invitation.objects.filter(survey=survey).order_by("pk"))
    for invitation, overall in zip(invitations[:4], [5, 4, 3, 4], strict=True):
        answer(survey, invitation, overall, 5, text="Mai multe <b>studii de caz</b>")
    page = report(client, event)
    assert "4 of 6 invited have answered" in page and "at least 5 people" in page
    assert "Mai multe" not in page and "Overall, the training was" not in page

    answer(survey, invitations[4], 2, 5)
    page = report(client, event)
    # Overall 5, 4, 3, 4, 2: mean 3.60, two in five satisfied... three: 5, 4, 4.
    row = page.split("Overall, the training was", 1)[1].split("</tr>", 1)[0]
    assert "3.60" in row and "60.0 %" in row and ">5<" in row
    # Free text as typed, shown escaped; no respondent is named anywhere.
    assert "Mai multe &lt;b&gt;studii de caz&lt;/b&gt;" in page and "<b>studii" not in page
    assert "Respondent" not in page


def test_free_texts_show_in_their_own_order_not_the_order_they_came_in(client, expert):
    event, survey = training(expert, people=5)
    for invitation, text in zip(Invitation.objects.filter(survey=survey).order_by("pk"),
                                ["Zile mai scurte", "Cazuri reale", "Mai multe exerciții", "Agenda trimisă", "Bine"],
                                strict=True):  # fmt: skip
        answer(survey, invitation, 4, 4, text=text)
    page = report(client, event)
    shown = sorted(["Zile mai scurte", "Cazuri reale", "Mai multe exerciții", "Agenda trimisă", "Bine"], key=page.index)
    assert shown == ["Agenda trimisă", "Bine", "Cazuri reale", "Mai multe exerciții", "Zile mai scurte"]


def test_the_minimum_of_answers_is_set_by_the_site_and_never_below_three(expert, settings):
    settings.EVALUATION_MIN_ANSWERS = 7
    _event, survey = training(expert, people=1)
    assert survey.min_answers == 7
    with transaction.atomic(), pytest.raises(IntegrityError):
        Survey.objects.filter(pk=survey.pk).update(min_answers=2)


@pytest.mark.parametrize(("ratings", "shown", "flagged"), [
    ([5, 5, 4, 4, 2], "80.0 %", False),  # at the threshold: not below it
    ([5, 4, 3, 2, 2], "40.0 %", True),
    ([5, 5, 1, 1], "Not enough answers.", False),  # four ratings: no figure
])  # fmt: skip
def test_a_facilitator_is_flagged_below_80_percent_on_enough_ratings(client, expert, ratings, shown, flagged):
    _event, survey = training(expert, people=len(ratings))
    for invitation, rating in zip(Invitation.objects.filter(survey=survey).order_by("pk"), ratings, strict=True):
        answer(survey, invitation, 4, rating)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("evaluation:scorecards")).content.decode()
    card = page.split("Lāsma Stabiņa", 1)[1].split("</section>", 1)[0]
    assert shown in card
    assert ("below 80 %" in card) is flagged


def test_scorecards_are_for_administrators_only(client, expert):
    training(expert)
    for role in (Role.TRAINER, Role.FOCAL_POINT, Role.PARTICIPANT):
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("evaluation:scorecards")).status_code == 403
