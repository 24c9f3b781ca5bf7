"""Knowledge tests: scored automatically, open in their windows, paired per participant into a gain; every bad
attempt refused with a message, saving nothing; each person sees their own scores only."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import demo as courses_demo
from courses.models import Enrollment, Event
from evaluation import demo, knowledge
from evaluation import models as evaluation
from lms import demo as lms_demo
from lms.models import Audience, User
from lms.roles import Role
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

PRE, POST = evaluation.TestAttempt.Phase.PRE, evaluation.TestAttempt.Phase.POST


@pytest.fixture
def quiz():
    return quiz_create()


def quiz_create():
    """A knowledge test of three questions, in two languages; the first option of each is the right one."""
    course = CourseFactory()
    quiz = evaluation.KnowledgeTest.objects.create(course=course, title_en="What do you know?",
                                                   title_ro="Ce știți?", title_ru="Что вы знаете?")  # fmt: skip
    for position in range(1, 4):
        question = evaluation.TestQuestion.objects.create(
            test=quiz, position=position, text_en=f"Question {position}", text_ro=f"Întrebarea {position}"
        )
        for number in range(1, 4):
            evaluation.TestOption.objects.create(question=question, position=number, correct=number == 1,
                                                 text_en=f"Option {position}.{number}")  # fmt: skip
    return quiz


@pytest.fixture
def event(quiz):
    """A two-day training of the test's course, starting in three days."""
    start = timezone.localdate() + timedelta(days=3)
    return EventFactory(course=quiz.course, start_date=start, end_date=start + timedelta(days=1))


def answers(quiz, right):
    """{question id: option id}: the first `right` questions answered right, the others wrong."""
    found = {}
    for index, question in enumerate(quiz.questions.order_by("position")):
        options = list(question.options.order_by("position"))
        found[question.pk] = options[0 if index < right else 1].pk
    return found


def during(event, phase):
    """A moment inside the phase's window: just after confirmation, or the evening of the last day."""
    if phase == PRE:
        return timezone.now() + timedelta(minutes=1)
    return datetime.combine(event.end_date, time(18), tzinfo=event.tz)


def take(enrollment, phase, right, quiz):
    return knowledge.attempt_submit(enrollment=enrollment, phase=phase, answers=answers(quiz, right),
                                    now=during(enrollment.event, phase))  # fmt: skip


def participant(event, profession, sex):
    return EnrollmentFactory(event=event, user=UserFactory(profession=profession, sex=sex))


def test_scoring_and_the_gain_of_those_who_took_both_on_a_hand_checked_case(quiz, event):
    ana = participant(event, Audience.JUDGE, User.Sex.FEMALE)
    bogdan = participant(event, Audience.POLICE_OFFICER, User.Sex.MALE)
    cezar = participant(event, Audience.JUDGE, User.Sex.MALE)
    # Ana: 1 of 3 then 3 of 3; Bogdan: 2 of 3 twice; Cezar: only the pre-test (left out of the gain).
    assert take(ana, PRE, 1, quiz).score == Decimal("33.3")
    assert take(ana, POST, 3, quiz).score == Decimal("100.0")
    assert take(bogdan, PRE, 2, quiz).score == Decimal("66.7")
    assert take(bogdan, POST, 2, quiz).score == Decimal("66.7")
    assert take(cezar, PRE, 0, quiz).score == Decimal("0.0")
    assert evaluation.AttemptAnswer.objects.filter(attempt__enrollment=ana).count() == 6

    gains = knowledge.knowledge_gains(event)
    # Pre (33.3 + 66.7) / 2 = 50.0; post (100.0 + 66.7) / 2 = 83.35; gain (66.7 + 0.0) / 2 = 33.35.
    assert gains["all"] == knowledge.Gain("All participants", 2, Decimal("50.0"), Decimal("83.4"), Decimal("33.4"))
    assert gains["by_profession"] == [
        knowledge.Gain("Judge", 1, Decimal("33.3"), Decimal("100.0"), Decimal("66.7")),
        knowledge.Gain("Police officer", 1, Decimal("66.7"), Decimal("66.7"), Decimal("0.0")),
    ]
    assert [(g.label, g.count, g.gain) for g in gains["by_sex"]] == [("Female", 1, Decimal("66.7")),
                                                                     ("Male", 1, Decimal("0.0"))]  # fmt: skip


def test_an_event_nobody_took_both_tests_of_has_no_gain(quiz, event):
    take(participant(event, Audience.JUDGE, User.Sex.MALE), PRE, 2, quiz)
    assert knowledge.knowledge_gains(event) == {"all": None, "by_profession": [], "by_sex": []}


def test_the_pre_test_runs_from_confirmation_to_the_start_and_the_post_test_past_the_last_day(event, settings):
    settings.EVALUATION_POST_TEST_DAYS = 3
    confirmed = timezone.now() - timedelta(days=1)
    enrollment = EnrollmentFactory(event=event, confirmed_at=confirmed)
    start = datetime.combine(event.start_date, time(9), tzinfo=event.tz)
    assert knowledge.test_window(enrollment, PRE, confirmed)[:2] == (confirmed, start)
    assert knowledge.test_window(enrollment, PRE, start - timedelta(seconds=1)).is_open
    assert not knowledge.test_window(enrollment, PRE, start).is_open
    assert not knowledge.test_window(enrollment, PRE, confirmed - timedelta(seconds=1)).is_open
    last_day = datetime.combine(event.end_date, time(9), tzinfo=event.tz)
    closes = datetime.combine(event.end_date + timedelta(days=3), time(17), tzinfo=event.tz)
    assert knowledge.test_window(enrollment, POST, last_day)[:2] == (last_day, closes)
    assert not knowledge.test_window(enrollment, POST, last_day - timedelta(seconds=1)).is_open
    assert knowledge.test_window(enrollment, POST, closes - timedelta(seconds=1)).is_open
    assert not knowledge.test_window(enrollment, POST, closes).is_open


def refused(enrollment, phase, answers, now, message):
    before = evaluation.TestAttempt.objects.count(), evaluation.AttemptAnswer.objects.count()
    with pytest.raises(ValidationError) as error:
        knowledge.attempt_submit(enrollment=enrollment, phase=phase, answers=answers, now=now)
    assert message in " ".join(error.value.messages)
    assert (evaluation.TestAttempt.objects.count(), evaluation.AttemptAnswer.objects.count()) == before
    return error.value


def test_a_second_attempt_is_refused(quiz, event):
    enrollment = EnrollmentFactory(event=event)
    take(enrollment, PRE, 1, quiz)
    refused(enrollment, PRE, answers(quiz, 3), during(event, PRE), "You have already taken this test.")
    assert evaluation.TestAttempt.objects.get().score == Decimal("33.3")


def test_an_attempt_outside_its_window_is_refused(quiz, event):
    enrollment = EnrollmentFactory(event=event)
    after_start = datetime.combine(event.start_date, time(9, 30), tzinfo=event.tz)
    refused(enrollment, PRE, answers(quiz, 3), after_start, "This test closed on")
    refused(enrollment, POST, answers(quiz, 3), after_start, "This test opens on")
    too_late = datetime.combine(event.end_date + timedelta(days=15), time(9), tzinfo=event.tz)
    refused(enrollment, POST, answers(quiz, 3), too_late, "This test closed on")


@pytest.mark.parametrize("status", [Enrollment.Status.REQUESTED, Enrollment.Status.WAITLISTED,
                                    Enrollment.Status.CANCELLED, Enrollment.Status.DECLINED])  # fmt: skip
def test_someone_not_a_confirmed_participant_is_refused(quiz, event, status):
    enrollment = EnrollmentFactory(event=event, status=status)
    refused(enrollment, PRE, answers(quiz, 3), during(event, PRE), "for the confirmed participants")


def test_a_cancelled_events_test_is_refused(quiz, event):
    enrollment = EnrollmentFactory(event=event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    refused(enrollment, PRE, answers(quiz, 3), during(event, PRE), "for the confirmed participants")


def test_a_missing_answer_is_asked_for(quiz, event):
    given = answers(quiz, 3)
    missing = next(iter(given))
    error = refused(EnrollmentFactory(event=event), PRE, given | {missing: ""}, during(event, PRE),
                    "Please answer this question.")  # fmt: skip
    assert list(error.message_dict) == [f"q{missing}"]


@pytest.mark.parametrize("forged", ["another question's", "unknown", "not a number"])
def test_a_forged_option_is_refused(quiz, event, forged):
    given = answers(quiz, 3)
    first, second, _third = list(given)
    value = {"another question's": given[second], "unknown": 999999, "not a number": "1 OR 1=1"}[forged]
    error = refused(EnrollmentFactory(event=event), PRE, given | {first: value}, during(event, PRE),
                    "This is not one of the question's options.")  # fmt: skip
    assert list(error.message_dict) == [f"q{first}"]


def test_a_question_without_a_single_correct_option_cannot_be_scored(quiz, event):
    evaluation.TestOption.objects.filter(question__position=2).update(correct=True)
    refused(EnrollmentFactory(event=event), PRE, answers(quiz, 3), during(event, PRE), "exactly one correct answer")


def test_the_gain_is_read_in_one_query_however_many_took_part(quiz, event, django_assert_num_queries):
    for count in (1, 12):
        event = EventFactory(course=quiz.course, start_date=event.start_date, end_date=event.end_date)
        for number in range(count):
            enrollment = participant(event, Audience.values[number % 3], User.Sex.values[number % 2])
            take(enrollment, PRE, number % 3, quiz)
            take(enrollment, POST, 3, quiz)
        with django_assert_num_queries(1):
            assert knowledge.knowledge_gains(event)["all"].count == count


# The pages


@pytest.fixture
def ended(quiz):
    """A training of the test's course that ended yesterday: its post-test is open."""
    first = timezone.localdate() - timedelta(days=2)
    return EventFactory(course=quiz.course, start_date=first, end_date=first + timedelta(days=1),
                        enrollment_closes_at=timezone.now() - timedelta(days=5))  # fmt: skip


def page(event, phase):
    return reverse("evaluation:knowledge_test", args=[event.pk, phase])


def test_a_participant_takes_the_test_once_and_sees_their_score_and_gain(client, quiz, ended):
    enrollment = EnrollmentFactory(event=ended, user=UserFactory(preferred_language="ro"))
    evaluation.TestAttempt.objects.create(enrollment=enrollment, phase=PRE, score=Decimal("33.3"),
                                          submitted_at=timezone.now() - timedelta(days=3))  # fmt: skip
    client.force_login(enrollment.user)
    form = client.get(page(ended, POST))
    assert form.status_code == 200 and "Întrebarea 3" in form.content.decode()  # in their language
    done = client.post(page(ended, POST), {f"q{k}": v for k, v in answers(quiz, 2).items()}, follow=True)
    text = done.content.decode()
    # Figures as Romanian writes them.
    assert "66,7%" in text and "33,3%" in text and "33,4" in text
    again = client.post(page(ended, POST), {f"q{k}": v for k, v in answers(quiz, 3).items()}).content.decode()
    assert "Ați susținut deja acest test." in again
    assert evaluation.TestAttempt.objects.get(phase=POST).score == Decimal("66.7")


def test_a_missing_answer_shows_the_form_again_with_what_was_chosen(client, quiz, ended):
    enrollment = EnrollmentFactory(event=ended)
    client.force_login(enrollment.user)
    given = answers(quiz, 3)
    first, *_rest, last = list(given)
    response = client.post(page(ended, POST), {f"q{first}": given[first]})
    text = response.content.decode()
    assert response.status_code == 200 and text.count("Please answer this question.") == 2
    assert f'value="{given[first]}" checked' in text and f'name="q{last}"' in text
    assert not evaluation.TestAttempt.objects.exists()


def test_a_closed_phase_says_so_and_offers_no_form(client, quiz, ended):
    enrollment = EnrollmentFactory(event=ended)
    client.force_login(enrollment.user)
    text = client.get(page(ended, PRE)).content.decode()
    assert "This test closed on" in text and "survey-form" not in text


def test_each_person_sees_only_their_own_scores(client, quiz, ended):
    mine, theirs = EnrollmentFactory(event=ended), EnrollmentFactory(event=ended)
    for enrollment, score in ((mine, "40.0"), (theirs, "90.0")):
        evaluation.TestAttempt.objects.create(enrollment=enrollment, phase=POST, score=Decimal(score),
                                              submitted_at=timezone.now())  # fmt: skip
    client.force_login(mine.user)
    text = client.get(page(ended, POST)).content.decode()
    assert "40.0%" in text and "90.0%" not in text


def test_nobody_but_a_confirmed_participant_opens_the_test(client, quiz, ended):
    outsider = UserFactory()
    waiting = EnrollmentFactory(event=ended, status=Enrollment.Status.WAITLISTED)
    no_test = EnrollmentFactory(event=EventFactory(start_date=ended.start_date, end_date=ended.end_date))
    for user, url in ((outsider, page(ended, POST)), (waiting.user, page(ended, POST)),
                      (no_test.user, page(no_test.event, POST))):  # fmt: skip
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {f"q{k}": v for k, v in answers(quiz, 3).items()}).status_code == 404
    confirmed = EnrollmentFactory(event=ended)
    client.force_login(confirmed.user)
    assert client.get(page(ended, "later")).status_code == 404
    assert not evaluation.TestAttempt.objects.exists()


def test_the_dashboard_lists_the_tests_open_to_the_participant(client, quiz, ended, event):
    user = UserFactory()
    EnrollmentFactory(event=ended, user=user)
    EnrollmentFactory(event=event, user=user)
    EnrollmentFactory(event=EventFactory(course=quiz.course), user=user, status=Enrollment.Status.REQUESTED)
    client.force_login(user)
    text = client.get(reverse("dashboard")).content.decode()
    assert "Knowledge tests open to you" in text
    assert page(ended, POST) in text and page(event, PRE) in text
    assert page(ended, PRE) not in text and page(event, POST) not in text and text.count("knowledge-test/") == 2
    take(Enrollment.objects.get(event=event, user=user), PRE, 2, quiz)
    assert page(event, PRE) not in client.get(reverse("dashboard")).content.decode()


def test_the_demo_training_shows_a_gain_at_once_and_seeds_once(client):
    lms_demo.seed()
    courses_demo.seed()
    demo.seed()
    demo.seed()
    quiz = evaluation.KnowledgeTest.objects.get()
    assert quiz.questions.count() == 5 and evaluation.TestOption.objects.filter(correct=True).count() == 5
    assert all(3 <= question.options.count() <= 4 for question in quiz.questions.all())
    event = Event.objects.get(course=quiz.course)
    gains = knowledge.knowledge_gains(event)
    assert gains["all"].gain > 0 and gains["all"].count < event.enrollments.count()
    assert len(gains["by_profession"]) > 1 and len(gains["by_sex"]) == 2


def test_the_events_evaluation_report_shows_the_gain_of_those_who_took_both(client, quiz, event):
    paired = participant(event, Audience.JUDGE, User.Sex.FEMALE)
    take(paired, PRE, 1, quiz)
    take(paired, POST, 3, quiz)
    take(participant(event, Audience.JUDGE, User.Sex.MALE), PRE, 0, quiz)  # no post-test: left out
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("evaluation:event_report", args=[event.pk])).content.decode()
    section = page.split("Knowledge, before and after", 1)[1]
    first_row = section.split("</tr>", 2)[1]
    assert "All participants" in first_row and ">1<" in first_row
    assert "33.3" in first_row and "100.0" in first_row and "66.7" in first_row
