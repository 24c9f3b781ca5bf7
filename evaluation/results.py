"""What a survey's answers say, counted in SQL; nothing is shown of a survey with too few answers to hide who
said what, nor of a facilitator rated too few times."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q

from courses.models import Event, Facilitator

from .forms import survey_items
from .models import Answer, Question, Respondent

SATISFIED_FROM = 4  # the lowest rating that counts as satisfied
SATISFIED = Q(rating__gte=SATISFIED_FROM)


@dataclass
class Listing:
    """The answers to a question of choices ([(choice, how many)]) or of free text ([text])."""

    label: str
    kind: str
    entries: list


@dataclass
class Rating:
    """The 1-5 answers to one question (about the event, a session or a facilitator)."""

    kind = "rating"
    label: str
    count: int = 0
    mean: Decimal | None = None
    satisfied: int = 0

    @property
    def enough(self):
        """Whether there are answers enough to show a figure without telling who gave it."""
        return self.count >= settings.EVALUATION_MIN_RATINGS

    @property
    def satisfaction(self):
        """The share of 4s and 5s, in percent."""
        return (Decimal(self.satisfied) * 100 / self.count).quantize(Decimal("0.1")) if self.count else None


@dataclass
class Results:
    respondent: str
    invited: int
    answered: int
    shown: bool
    groups: list = field(default_factory=list)  # [(heading, [Rating | Listing])]

    @property
    def respondent_label(self):
        return Respondent(self.respondent).label


def survey_results(survey, respondent=Respondent.PARTICIPANT):
    """What `respondent`s answered to the survey, question by question in the questionnaire's order; `shown` is
    False (and nothing else is read) while fewer than `min_answers` of them have answered."""
    invitations = survey.invitations.all()
    if respondent == Respondent.SUPERVISOR:
        invitations = invitations.exclude(supervisor_email="")
    responses = survey.responses.filter(respondent=respondent)
    answered = responses.count()
    results = Results(respondent, invitations.count(), answered, shown=answered >= survey.min_answers)
    if not results.shown:
        return results
    answers = Answer.objects.filter(response__in=responses)
    ratings = {
        (row["question"], row["session"], row["facilitator"]): row
        for row in answers.filter(rating__isnull=False)
        .values("question", "session", "facilitator")
        .annotate(count=Count("pk"), mean=Avg("rating"), satisfied=Count("pk", filter=SATISFIED))
        .order_by()
    }
    chosen = {
        (row["question"], row["session"], row["choices"]): row["count"]
        for row in answers.filter(choices__isnull=False).values("question", "session", "choices")
        .annotate(count=Count("pk")).order_by()
    }  # fmt: skip
    texts = {}
    # In the order of the texts themselves: the order they came in could tell whose is first.
    for answer in answers.exclude(text="").order_by("text", "pk").values("question", "session", "text"):
        texts.setdefault((answer["question"], answer["session"]), []).append(answer["text"])
    for heading, items in survey_items(survey, respondent):
        shown = []
        for item in items:
            session = item.session.pk if item.session else None
            label = item.question.text if item.facilitator is None else f"{item.question.text}: {item.facilitator}"
            if item.question.kind == Question.Kind.SCALE:
                key = (item.question.pk, session, getattr(item.facilitator, "pk", None))
                shown.append(_rating(label, ratings.get(key)))
            elif item.question.kind == Question.Kind.TEXT:
                shown.append(Listing(label, "texts", texts.get((item.question.pk, session), [])))
            else:
                shown.append(Listing(label, "choices", [(choice, chosen.get((item.question.pk, session, choice.pk), 0))
                                                        for choice in item.question.choices.all()]))  # fmt: skip
        results.groups.append((heading, shown))
    return results


def _rating(label, row):
    if row is None:
        return Rating(label)
    return Rating(label, row["count"], Decimal(row["mean"]).quantize(Decimal("0.01")), row["satisfied"])


@dataclass
class Scorecard:
    facilitator: Facilitator
    events: list = field(default_factory=list)  # [(event, Rating)]
    overall: Rating | None = None

    @property
    def flagged(self):
        """Satisfaction below the threshold, on enough answers to say so."""
        rating = self.overall
        return rating is not None and rating.enough and rating.satisfaction < settings.EVALUATION_SATISFACTION_THRESHOLD


def event_results(event):
    """[(survey, [Results])] of the event's surveys: the participants' results, and the supervisors' once a
    follow-up's participant has named one."""
    found = []
    for survey in event.surveys.select_related("questionnaire", "event").order_by("opened_at"):
        results = [survey_results(survey)]
        if survey.invitations.exclude(supervisor_email="").exists():
            results.append(survey_results(survey, Respondent.SUPERVISOR))
        found.append((survey, results))
    return found


def scorecards():
    """Each facilitator rated in a survey: their ratings per event and over all, in two queries."""
    rows = (
        Answer.objects.filter(facilitator__isnull=False, rating__isnull=False)
        .values("facilitator", "response__survey__event")
        .annotate(count=Count("pk"), mean=Avg("rating"), satisfied=Count("pk", filter=SATISFIED))
        .order_by()
    )
    found = {}
    for row in rows:
        found.setdefault(row["facilitator"], []).append(row)
    people = Facilitator.objects.in_bulk(list(found))
    events = Event.objects.select_related("course").in_bulk(
        {row["response__survey__event"] for rows in found.values() for row in rows}
    )
    cards = []
    for pk, rows in found.items():
        card = Scorecard(people[pk])
        for row in sorted(rows, key=lambda row: events[row["response__survey__event"]].start_date):
            card.events.append((events[row["response__survey__event"]], _rating("", row)))
        count = sum(row["count"] for row in rows)
        satisfied = sum(row["satisfied"] for row in rows)
        mean = sum(Decimal(row["mean"]) * row["count"] for row in rows) / count
        card.overall = Rating("", count, mean.quantize(Decimal("0.01")), satisfied)
        cards.append(card)
    return sorted(cards, key=lambda card: str(card.facilitator))
