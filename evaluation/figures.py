"""Evaluation figures over many events or participations at once (the statistics, a donor pack), added up in
SQL in a fixed number of queries whatever the amount of data.

A reaction questionnaire counts only once it has its own minimum of answers: as in its event's report, fewer
could tell who said what, and so could a choice of filters narrowed to a few people's answers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F

from .models import Answer, Invitation, Questionnaire, Respondent, Response, Survey
from .results import SATISFIED_FROM, Rating


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


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _per_survey(alias, columns, tables, *conditions):
    """A join to `columns` of the rows of `tables` grouped by their survey, for each survey of `s`: the responses,
    invitations and answers of a survey, each added up apart, do not multiply each other."""
    where = " AND ".join(["survey_id IN (SELECT survey_pk FROM s)", *conditions])
    grouped = f"SELECT survey_id, {columns} FROM {tables} WHERE {where} GROUP BY survey_id"
    return f"LEFT JOIN ({grouped}) {alias} ON {alias}.survey_id = s.survey_pk"


def satisfaction(events):
    """The Satisfaction of the reaction questionnaires of `events`, in one query.

    Written as SQL around the surveys' query (Django writes the events' filters): built from expressions, the
    query took several times longer to build than to run."""
    surveys = Survey.objects.filter(event__in=events, kind=Questionnaire.Kind.REACTION).order_by()
    try:
        surveys_sql, params = surveys.values(survey_pk=F("pk"), needed=F("min_answers")).query.sql_with_params()
    except EmptyResultSet:
        return Satisfaction(0, 0, 0, 0, Rating("", 0, None, 0))
    response, answer, invitation = _table(Response), _table(Answer), _table(Invitation)
    # The participants' answers, as the event's report counts them.
    participants = "respondent = %s"
    satisfied = f"SUM(CASE WHEN rating >= {SATISFIED_FROM:d} THEN 1 ELSE 0 END) AS satisfied"
    rated = f"COUNT(*) AS rated, SUM(rating) AS total, {satisfied}"
    answers = f"{answer} JOIN {response} ON {response}.id = {answer}.response_id"
    enough = "answered >= needed"
    sql = f"""
        WITH s AS ({surveys_sql}),
        per_survey AS (
            SELECT s.needed, COALESCE(r.answered, 0) AS answered, COALESCE(i.asked, 0) AS asked,
                   COALESCE(a.rated, 0) AS rated, COALESCE(a.total, 0) AS total,
                   COALESCE(a.satisfied, 0) AS satisfied
            FROM s
            {_per_survey("r", "COUNT(*) AS answered", response, participants)}
            {_per_survey("i", "COUNT(*) AS asked", invitation)}
            {_per_survey("a", rated, answers, participants, "rating IS NOT NULL")}
        )
        SELECT COUNT(CASE WHEN {enough} THEN 1 END), COUNT(CASE WHEN NOT ({enough}) THEN 1 END),
               {", ".join(f"SUM(CASE WHEN {enough} THEN {name} ELSE 0 END)"
                          for name in ("answered", "asked", "rated", "total", "satisfied"))}
        FROM per_survey"""  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Respondent.PARTICIPANT, Respondent.PARTICIPANT])
        # Sums may come back as decimals (PostgreSQL's of bigints), or None over no survey.
        counted, left_out, responses, invited, count, total, satisfied = (int(n or 0) for n in cursor.fetchone())
    # The mean from the exact sum: a database's average may come back as a float.
    mean = (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None
    return Satisfaction(counted, left_out, responses, invited, Rating("", count, mean, satisfied))
