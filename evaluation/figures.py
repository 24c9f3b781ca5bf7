"""Evaluation figures over many events or participations at once (the statistics, a donor pack), added up in
SQL in a fixed number of queries whatever the amount of data.

A reaction questionnaire counts only once it has its own minimum of answers: as in its event's report, fewer
could tell who said what, and so could a choice of filters narrowed to a few people's answers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Answer, Invitation, Questionnaire, Respondent, Response, Survey
from .results import SATISFIED, Rating

ENOUGH = Q(answered__gte=F("min_answers"))


@dataclass(frozen=True)
class Satisfaction:
    """What the participants said of the events at the end of them, over the questionnaires that count."""

    counted: int  # reaction questionnaires with their minimum of answers
    left_out: int  # those without it: nothing of theirs is counted
    responses: int
    invited: int
    ratings: Rating  # every 1-5 answer of the questionnaires counted: their mean and share of 4s and 5s

    @property
    def response_rate(self):
        """Responses over invitations, in percent."""
        return (Decimal(self.responses) * 100 / self.invited).quantize(Decimal("0.1")) if self.invited else None


def _per_survey(queryset, path, aggregate):
    """`aggregate` of the rows of `queryset` whose `path` is the outer survey, as a subquery (0 for none): each
    added up apart, the responses, invitations and answers of a survey do not multiply each other."""
    rows = queryset.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(value=aggregate)
    return Coalesce(Subquery(rows.values("value"), output_field=IntegerField()), 0)


def satisfaction(events):
    """The Satisfaction of the reaction questionnaires of `events`, in one query."""
    # The participants' answers, as the event's report counts them.
    ratings = Answer.objects.filter(rating__isnull=False, response__respondent=Respondent.PARTICIPANT)
    surveys = Survey.objects.filter(event__in=events, kind=Questionnaire.Kind.REACTION).annotate(
        answered=_per_survey(Response.objects.filter(respondent=Respondent.PARTICIPANT), "survey", Count("pk")),
        asked=_per_survey(Invitation.objects.all(), "survey", Count("pk")),
        rated=_per_survey(ratings, "response__survey", Count("pk")),
        rating_total=_per_survey(ratings, "response__survey", Sum("rating")),
        rated_4_or_5=_per_survey(ratings, "response__survey", Count("pk", filter=SATISFIED)),
    )
    # Named apart from the annotations: an aggregate named like one would take its place in the query.
    totals = surveys.aggregate(
        counted=Count("pk", filter=ENOUGH),
        left_out=Count("pk", filter=~ENOUGH),
        responses=Coalesce(Sum("answered", filter=ENOUGH), 0),
        invited=Coalesce(Sum("asked", filter=ENOUGH), 0),
        ratings=Coalesce(Sum("rated", filter=ENOUGH), 0),
        total=Coalesce(Sum("rating_total", filter=ENOUGH), 0),
        satisfied=Coalesce(Sum("rated_4_or_5", filter=ENOUGH), 0),
    )
    count, total, satisfied = totals.pop("ratings"), totals.pop("total"), totals.pop("satisfied")
    # The mean from the exact sum: a database's average may come back as a float.
    mean = (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None
    return Satisfaction(**totals, ratings=Rating("", count, mean, satisfied))
