"""Knowledge tests (level 2): when each phase is open, attempts scored automatically, and the gain of those who
took both. Not anonymous, by design: a person sees their own scores; organisers see the group's means."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Enrollment, Event
from lms.models import Audience, User
from lms.roles import can

from .models import AttemptAnswer, KnowledgeTest, TestAttempt

Phase = TestAttempt.Phase
TENTH = Decimal("0.1")


class Window(NamedTuple):
    opens_at: datetime
    closes_at: datetime
    is_open: bool


def test_window(enrollment, phase, now=None):
    """When `enrollment`'s person may take the `phase` test. The pre-test: from the confirmation until the event
    starts; the post-test: from the start of the last day until EVALUATION_POST_TEST_DAYS after it ends."""
    now = now or timezone.now()
    event = enrollment.event
    if phase == Phase.PRE:
        # Enrollments confirmed before the moment of confirmation was recorded: from their request.
        opens_at, closes_at = enrollment.confirmed_at or enrollment.created_at, event.starts_at
    else:
        opens_at = datetime.combine(event.end_date, event.day_starts_at, tzinfo=event.tz)
        ends_at = datetime.combine(event.end_date, event.day_ends_at, tzinfo=event.tz)
        closes_at = ends_at + timedelta(days=settings.EVALUATION_POST_TEST_DAYS)
    return Window(opens_at, closes_at, opens_at <= now < closes_at)


def knowledge_test_for(event):
    """The knowledge test of the event's course, or None."""
    return KnowledgeTest.objects.filter(course=event.course_id).first()


def questions_of(test):
    return list(test.questions.prefetch_related("options"))


def _moment(value, event):
    return date_format(value.astimezone(event.tz), "DATETIME_FORMAT")


def attempt_refusal(*, enrollment, phase, now=None):
    """Why `enrollment`'s person cannot take the `phase` test now, or None."""
    now = now or timezone.now()
    if phase not in Phase.values:
        return _("There is no such test.")
    if not can(enrollment.user, "knowledge_test.take", enrollment):
        return _("This test is for the confirmed participants of the training.")
    if TestAttempt.objects.filter(enrollment=enrollment, phase=phase).exists():
        return _("You have already taken this test.")
    window = test_window(enrollment, phase, now)
    if now < window.opens_at:
        return _("This test opens on %(moment)s.") % {"moment": _moment(window.opens_at, enrollment.event)}
    if now >= window.closes_at:
        return _("This test closed on %(moment)s.") % {"moment": _moment(window.closes_at, enrollment.event)}
    return None


def _chosen(questions, answers):
    """{question: option} from `answers` ({question id: option id, as sent}); every question answered with one of
    its own options, else a ValidationError naming each question ("q<id>") that is not."""
    errors, chosen = {}, {}
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, ""):
            errors[f"q{question.pk}"] = _("Please answer this question.")
            continue
        options = {str(option.pk): option for option in question.options.all()}
        if str(value) not in options:
            errors[f"q{question.pk}"] = _("This is not one of the question's options.")
            continue
        chosen[question] = options[str(value)]
    if errors:
        raise ValidationError(errors)
    return chosen


def attempt_score(chosen):
    """The share of questions answered right, in per cent, to one decimal."""
    right = sum(option.correct for option in chosen.values())
    return (Decimal(100 * right) / len(chosen)).quantize(TENTH, rounding=ROUND_HALF_UP)


def attempt_submit(*, enrollment, phase, answers, now=None):
    """Score and store the `phase` attempt of `enrollment`: `answers` maps each question's id to the chosen
    option's id, as sent. Refused with a clear message, saving nothing: a second attempt, outside its window,
    someone who is not a confirmed participant, a question left unanswered, an option that is not the question's."""
    now = now or timezone.now()
    with transaction.atomic():
        # One attempt at a time per enrollment: a double click waits, then finds the first one stored.
        locked = Enrollment.objects.select_for_update(of=("self",)).select_related("event", "user")
        enrollment = locked.get(pk=enrollment.pk)
        if message := attempt_refusal(enrollment=enrollment, phase=phase, now=now):
            raise ValidationError(message)
        test = knowledge_test_for(enrollment.event)
        if test is None:
            raise ValidationError(_("This training has no knowledge test."))
        questions = questions_of(test)
        if not questions or any(sum(o.correct for o in q.options.all()) != 1 for q in questions):
            raise ValidationError(
                _("This test cannot be scored yet: each question needs exactly one correct answer. "
                  "Please tell the organisers.")
            )  # fmt: skip
        chosen = _chosen(questions, answers)
        attempt = TestAttempt.objects.create(enrollment=enrollment, phase=phase, score=attempt_score(chosen),
                                             submitted_at=now)  # fmt: skip
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(attempt=attempt, question=question, option=option) for question, option in chosen.items()
        )
    return attempt


def own_scores(enrollment):
    """{phase: attempt} of the person's own attempts, and their gain (post - pre, points) once both exist."""
    attempts = {attempt.phase: attempt for attempt in enrollment.test_attempts.all()}
    gain = attempts[Phase.POST].score - attempts[Phase.PRE].score if len(attempts) == 2 else None
    return attempts, gain


def knowledge_tests_open(user, now=None):
    """[(enrollment, phase, window)] of the tests `user` may take now and has not, closing soonest first; one
    query, whatever the number of enrollments."""
    now = now or timezone.now()
    # A post-test closes at most this long after the last day; older events have nothing open.
    oldest = timezone.localdate(now) - timedelta(days=settings.EVALUATION_POST_TEST_DAYS + 1)
    taken = {phase: Exists(TestAttempt.objects.filter(enrollment=OuterRef("pk"), phase=phase)) for phase in Phase}
    enrollments = (
        user.enrollments.filter(status=Enrollment.Status.CONFIRMED, event__end_date__gte=oldest,
                                event__status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
                                event__course__knowledge_test__isnull=False)
        .select_related("event__course")
        .annotate(pre_taken=taken[Phase.PRE], post_taken=taken[Phase.POST])
    )  # fmt: skip
    found = []
    for enrollment in enrollments:
        for phase, done in ((Phase.PRE, enrollment.pre_taken), (Phase.POST, enrollment.post_taken)):
            window = test_window(enrollment, phase, now)
            if window.is_open and not done:
                found.append((enrollment, phase, window))
    return sorted(found, key=lambda row: (row[2].closes_at, row[0].pk))


@dataclass(frozen=True)
class Gain:
    """Means of a group of paired participants: pre- and post-test scores (%) and the gain (points)."""

    label: str
    count: int
    pre: Decimal
    post: Decimal
    gain: Decimal


def _mean(total, count):
    return (total / count).quantize(TENTH, rounding=ROUND_HALF_UP)


def _gain(label, rows):
    """The Gain of the pairs counted in `rows` (grouped rows of a count and the sums of the scores)."""
    count = sum(row["count"] for row in rows)
    pre, post = (sum((row[name] for row in rows), Decimal(0)) for name in ("pre_total", "post_total"))
    # The mean of the gains is that of the post-test less that of the pre-test, to the last digit.
    return Gain(label, count, _mean(pre, count), _mean(post, count), _mean(post - pre, count))


def _groups(rows, key, labels):
    """[Gain] of `rows` grouped by their `key`, in the order of `labels` ({value: label}); a value with no
    label (none recorded) last."""
    groups = {}
    for row in rows:
        groups.setdefault(row[key] if row[key] in labels else None, []).append(row)
    order = [*labels, None]
    return [
        _gain(str(labels[value]) if value is not None else _("Not recorded"), groups[value])
        for value in sorted(groups, key=order.index)
    ]


def gains_of(enrollments):
    """The knowledge gain of those of `enrollments` who took both tests (the others are left out): {"all": Gain
    or None, "by_profession": [Gain], "by_sex": [Gain]}. One query, added up in SQL by profession and sex,
    whatever the number of people."""
    # One join to each phase's attempt (at most one each): those without both are left out by the inner joins.
    attempts = {phase: FilteredRelation("test_attempts", condition=Q(test_attempts__phase=phase)) for phase in Phase}
    rows = list(
        enrollments.annotate(pre=attempts[Phase.PRE], post=attempts[Phase.POST])
        .filter(pre__isnull=False, post__isnull=False)
        .values("profession", sex=F("user__sex"))
        .annotate(count=Count("pk"), pre_total=Sum("pre__score"), post_total=Sum("post__score"))
        .order_by()
    )
    return {
        "all": _gain(_("All participants"), rows) if rows else None,
        "by_profession": _groups(rows, "profession", dict(Audience.choices)),
        "by_sex": _groups(rows, "sex", dict(User.Sex.choices)),
    }


def knowledge_gains(event):
    """The knowledge gain of `event`'s participants who took both tests, as gains_of() gives it."""
    return gains_of(Enrollment.objects.filter(event=event))
