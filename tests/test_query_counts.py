"""Every list page runs the same, exact number of queries with 1 row as with many.

A page whose count grows with its rows reads them one by one (N+1): it slows down as data grows.
Each page is visited once first (per-process caches, templates), then the cache is emptied, so the
measured visit reads what a first visitor's would (the catalog caches its cards).
"""

from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateDesign
from certificates.services import certificate_issue
from courses.models import Attendance, Enrollment, Event
from evaluation import demo as evaluation_demo
from evaluation import models as evaluation_models
from evaluation.models import Invitation, KnowledgeTest, Survey, TrainerReport
from evaluation.services import survey_open
from lms.consents import consent_give
from lms.models import Audience, Consent, OutgoingEmail, ProfileChangeRequest
from lms.roles import Role
from privacy.models import ErasureRequest
from tests.evaluation.test_results import answer
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

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", [1, 15])]


@pytest.fixture
def visit(client, django_assert_num_queries):
    """visit(user, url, queries): the page's text, after asserting it ran exactly `queries` queries."""

    def visit(user, url, queries):
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == 200
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return visit


def shows_all(page, names):
    missing = [name for name in names if name not in page]
    assert not missing, f"the page does not show {missing}"


def names(rows, prefix):
    return [f"{prefix} {n:02d}" for n in range(rows)]


def people(rows, **fields):
    """`rows` users with family names "Rusu 00", "Rusu 01"..., each of a new institution unless one is given."""
    return [UserFactory(family_name=name, **fields) for name in names(rows, "Rusu")]


def events(rows, **fields):
    """`rows` events of courses titled "Course 00", "Course 01"..."""
    return [EventFactory(course=CourseFactory(title_en=title), **fields) for title in names(rows, "Course")]


def past_event(**fields):
    """A two-day event that ended yesterday."""
    today = timezone.localdate()
    return EventFactory(start_date=today - timedelta(days=2), end_date=today - timedelta(days=1),
                        enrollment_closes_at=timezone.now() - timedelta(days=3), **fields)  # fmt: skip


def with_attendance(event, users):
    enrollments = [EnrollmentFactory(event=event, user=user) for user in users]
    for enrollment in enrollments:
        Attendance.objects.create(enrollment=enrollment, date=event.start_date, status=Attendance.Status.PRESENT)
    return enrollments


def test_catalog(visit, rows):
    theme = ThemeFactory()
    for event in events(rows):
        event.course.themes.set([theme])
        EnrollmentFactory(event=event)
    shows_all(visit(None, reverse("courses:catalog"), 7), names(rows, "Course"))


def test_calendar(visit, rows):
    today = timezone.localdate()
    events(rows, start_date=today, end_date=today, region=RegionFactory())
    shows_all(visit(None, reverse("courses:calendar"), 3), names(rows, "Course"))


def test_facilitators_list(visit, rows):
    theme = ThemeFactory()
    for name in names(rows, "Expert"):
        FacilitatorFactory(name=name).themes.set([theme])
    shows_all(visit(None, reverse("courses:facilitators"), 3), names(rows, "Expert"))


def test_facilitator_page(visit, rows):
    facilitator = FacilitatorFactory()
    for event in events(rows):
        AgendaItemFactory(event=event, facilitators=[facilitator])
    shows_all(visit(None, reverse("courses:facilitator", args=[facilitator.pk]), 3), names(rows, "Course"))


def test_course_page(visit, rows):
    course = CourseFactory()
    cities = names(rows, "Town")
    for n, city in enumerate(cities):
        EventFactory(course=course, city=city, start_date=timezone.localdate() + timedelta(days=10 + n))
    shows_all(visit(None, reverse("courses:course", args=[course.slug]), 4), cities)


def test_event_page(visit, rows):
    participant = UserFactory()
    event = EventFactory()
    EnrollmentFactory(event=event, user=participant)
    for n, name in enumerate(names(rows, "Expert")):
        AgendaItemFactory(event=event, starts_at=time(8, n * 3), ends_at=time(8, n * 3 + 2),
                          facilitators=[FacilitatorFactory(name=name)], moderator=FacilitatorFactory())  # fmt: skip
    # "Who else takes part": the others, each of an institution of their own, agreed to appear on it.
    for person in people(rows):
        EnrollmentFactory(event=event, user=person)
        consent_give(person=person, kind=Consent.Kind.PARTICIPANT_LIST)
    page = visit(participant, reverse("courses:event", args=[event.pk]), 15)
    shows_all(page, [*names(rows, "Expert"), *names(rows, "Rusu")])


def test_agenda_builder(visit, rows):
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer])
    for n, name in enumerate(names(rows, "Expert")):
        AgendaItemFactory(event=event, starts_at=time(8, n * 3), ends_at=time(8, n * 3 + 2),
                          facilitators=[FacilitatorFactory(name=name)], moderator=FacilitatorFactory())  # fmt: skip
    shows_all(visit(trainer, reverse("courses:agenda", args=[event.pk]), 10), names(rows, "Expert"))


def test_endorsements(visit, rows):
    institution = InstitutionFactory()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    for user, event in zip(people(rows, institution=institution), events(rows, requires_approval=True), strict=True):
        EnrollmentFactory(user=user, event=event, status=Enrollment.Status.REQUESTED, awaits_endorsement=True)
    shows_all(visit(focal_point, reverse("courses:endorsements"), 6), names(rows, "Rusu"))


def test_participants(visit, rows):
    trainer = UserFactory(role=Role.TRAINER)
    event = EventFactory(trainers=[trainer], capacity=100)
    for user in people(rows):
        EnrollmentFactory(event=event, user=user)
    shows_all(visit(trainer, reverse("courses:participants", args=[event.pk]), 9), names(rows, "Rusu"))


def test_my_trainings(visit, rows):
    participant, administrator = UserFactory(), UserFactory(role=Role.ADMINISTRATOR)
    past = names(rows - rows // 2, "Past")
    for event in events(rows // 2):
        AgendaItemFactory(event=event)
        EnrollmentFactory(event=event, user=participant)
    for title in past:
        enrollment = EnrollmentFactory(event=past_event(course=CourseFactory(title_en=title)), user=participant)
        certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
    shows_all(visit(participant, reverse("courses:my_trainings"), 4), names(rows // 2, "Course") + past)


def test_my_certificates(visit, rows):
    participant, administrator = UserFactory(), UserFactory(role=Role.ADMINISTRATOR)
    for title in names(rows, "Course"):
        enrollment = EnrollmentFactory(event=past_event(course=CourseFactory(title_en=title)), user=participant)
        certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
    shows_all(visit(participant, reverse("certificates:mine"), 4), names(rows, "Course"))


def upcoming_enrollments(user, rows):
    """The user's enrollments in `rows` events; the dashboard lists the first five."""
    for event in events(rows):
        EnrollmentFactory(event=event, user=user)
    return names(min(rows, 5), "Course")


def test_dashboard_of_a_participant(visit, rows):
    participant, administrator = UserFactory(), UserFactory(role=Role.ADMINISTRATOR)
    shown = upcoming_enrollments(participant, rows)
    for title in names(rows, "Past"):
        enrollment = EnrollmentFactory(event=past_event(course=CourseFactory(title_en=title)), user=participant)
        certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
        # Ended yesterday: the post-test is open.
        KnowledgeTest.objects.create(course=enrollment.event.course, title_en=f"Test of {title}")
    page = visit(participant, reverse("dashboard"), 9)
    shows_all(page, shown + names(rows, "Past"))
    assert page.count("knowledge-test/post/") == min(rows, 10)  # the dashboard shows ten


def test_dashboard_of_a_trainer(visit, rows):
    trainer = UserFactory(role=Role.TRAINER)
    for event in events(rows):
        event.trainers.set([trainer])
    # Ended, published, with a confirmed participant and no mark: a day to mark, an event to close, a report to write.
    for title in names(rows, "Past"):
        event = past_event(course=CourseFactory(title_en=title), status=Event.Status.PUBLISHED)
        event.trainers.set([trainer])
        EnrollmentFactory(event=event)
    # Each block lists up to ten.
    shows_all(visit(trainer, reverse("dashboard"), 12), names(min(rows, 10), "Course") + names(min(rows, 10), "Past"))


def test_dashboard_of_a_focal_point(visit, rows):
    institution = InstitutionFactory()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    shown = upcoming_enrollments(focal_point, rows)
    for user in people(rows, institution=institution):
        EnrollmentFactory(user=user, status=Enrollment.Status.REQUESTED, awaits_endorsement=True)
    page = visit(focal_point, reverse("dashboard"), 10)
    shows_all(page, [*shown, f"{rows} requests wait" if rows > 1 else "1 request waits"])


def test_dashboard_of_an_administrator(visit, rows):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    shown = upcoming_enrollments(administrator, rows)
    institution = InstitutionFactory()
    for user in people(rows):
        ProfileChangeRequest.objects.create(user=user, institution=institution, profession=Audience.PROSECUTOR)
        OutgoingEmail.objects.create(
            to=user.email, subject="Hello", body_text="Hello", status=OutgoingEmail.Status.FAILED
        )
        ErasureRequest.objects.create(person=user, requested_by=user)
    for event in events(rows, status=Event.Status.PUBLISHED):
        EnrollmentFactory(event=event, status=Enrollment.Status.REQUESTED)
        for _ in range(5):
            EnrollmentFactory(event=event, status=Enrollment.Status.WAITLISTED)
    for title in names(rows, "Past"):
        past_event(course=CourseFactory(title_en=title), status=Event.Status.PUBLISHED)
    page = visit(administrator, reverse("dashboard"), 15)
    shows_all(
        page,
        shown + names(min(rows, 10), "Past") + [f"{rows} profile change", f"{rows} email", f"{rows} erasure request"],
    )


def test_colleagues_of_a_focal_point(visit, rows):
    institution, administrator = InstitutionFactory(), UserFactory(role=Role.ADMINISTRATOR)
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    for event, user in zip(events(rows), people(rows, institution=institution), strict=True):
        enrollment = EnrollmentFactory(event=event, user=user)
        Attendance.objects.create(enrollment=enrollment, date=event.start_date, status=Attendance.Status.PRESENT)
        certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
    page = visit(focal_point, reverse("colleagues"), 7)
    shows_all(page, names(rows, "Course") + names(rows, "Rusu"))


def test_attendance_grid(visit, rows):
    trainer = UserFactory(role=Role.TRAINER)
    event = past_event(trainers=[trainer], capacity=100)
    with_attendance(event, people(rows))
    shows_all(visit(trainer, reverse("courses:attendance", args=[event.pk]), 8), names(rows, "Rusu"))


def test_printable_attendance_report_of_a_trainer(visit, rows):
    trainer = UserFactory(role=Role.TRAINER)
    event = past_event(trainers=[trainer], capacity=100)
    with_attendance(event, people(rows))
    shows_all(visit(trainer, reverse("stats:attendance_report", args=[event.pk]), 11), names(rows, "Rusu"))


def test_printable_attendance_report_of_a_focal_point(visit, rows):
    institution = InstitutionFactory()
    focal_point = UserFactory(role=Role.FOCAL_POINT, institution=institution)
    event = past_event(capacity=100)
    with_attendance(event, people(rows, institution=institution) + people(rows))
    shows_all(visit(focal_point, reverse("stats:attendance_report", args=[event.pk]), 13), names(rows, "Rusu"))


def test_event_certificates(visit, rows):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    event = past_event(capacity=100)
    holders = with_attendance(event, people(rows))
    for enrollment in holders:
        certificate_issue(enrollment=enrollment, actor=administrator, reason="Attended every day.")
    # Confirmed participants without a certificate are listed too.
    with_attendance(event, [UserFactory(family_name=name) for name in names(rows, "Ciobanu")])
    page = visit(administrator, reverse("certificates:event", args=[event.pk]), 6)
    shows_all(page, names(rows, "Rusu") + names(rows, "Ciobanu"))


def test_certificate_designs(visit, rows):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    programmes = [ProgrammeFactory(title_en=name) for name in names(rows, "Programme")]
    for programme in programmes[::2]:
        CertificateDesign.objects.create(programme=programme, layout=CertificateDesign.Layout.PORTRAIT)
    shows_all(visit(administrator, reverse("certificates:designs"), 5), names(rows, "Programme"))


def test_profile_changes(visit, rows):
    administrator, institution = UserFactory(role=Role.ADMINISTRATOR), InstitutionFactory()
    for user in people(rows):
        ProfileChangeRequest.objects.create(user=user, institution=institution, profession=Audience.PROSECUTOR)
    shows_all(visit(administrator, reverse("profile_changes"), 4), names(rows, "Rusu"))


def evaluated(event, institution):
    """Three people from `institution` attended `event`, answered its questionnaire (enough to count) and took
    both knowledge tests."""
    enrollments = with_attendance(event, [UserFactory(institution=institution) for _person in range(3)])
    survey = survey_open(event=event)
    Survey.objects.filter(pk=survey.pk).update(min_answers=3)
    for invitation in Invitation.objects.filter(survey=survey):
        answer(survey, invitation, 4, 5)
    for enrollment in enrollments:
        for phase, score in (("pre", 40), ("post", 70)):
            evaluation_models.TestAttempt.objects.create(enrollment=enrollment, phase=phase, score=score,
                                                         submitted_at=timezone.now())  # fmt: skip


def closed_events(rows, institution):
    """`rows` completed events in as many regions and months, each with a participant from `institution` and
    three more who evaluated it."""
    evaluation_demo.seed_reaction_questionnaire()
    for n, title in enumerate(names(rows, "Course")):
        event = EventFactory(course=CourseFactory(title_en=title, themes=[ThemeFactory()]),
                             region=RegionFactory(name=f"District {n:02d}"), status=Event.Status.COMPLETED,
                             start_date=date(2025, 1, 6) + timedelta(days=30 * n))  # fmt: skip
        EnrollmentFactory(event=event, user=UserFactory(institution=institution), attended_days=2, completed=True)
        evaluated(event, institution)
    return names(rows, "District")


def test_statistics_of_an_administrator(visit, rows):
    regions = closed_events(rows, InstitutionFactory())
    page = visit(UserFactory(role=Role.ADMINISTRATOR), reverse("stats:index"), 13)
    shows_all(page, [*regions, "Satisfaction (4 or 5)", "All participants"])


def test_statistics_of_a_focal_point(visit, rows):
    institution = InstitutionFactory()
    regions = closed_events(rows, institution)
    page = visit(UserFactory(role=Role.FOCAL_POINT, institution=institution), reverse("stats:index"), 14)
    shows_all(page, [*regions, "Satisfaction (4 or 5)", "All participants"])


def answered_survey(rows):
    """A past event of `rows` sessions, each led by its own facilitator, and five people who answered all."""
    evaluation_demo.seed_reaction_questionnaire()
    event = past_event(capacity=100)
    for n in range(rows):
        AgendaItemFactory(event=event, date=event.start_date, starts_at=time(8 + n // 2, 30 * (n % 2)),
                          ends_at=time(8 + n // 2, 30 * (n % 2) + 29), title_en=f"Session {n:02d}",
                          facilitators=[FacilitatorFactory(name=f"Expert {n:02d}")])  # fmt: skip
    with_attendance(event, people(5))
    survey = survey_open(event=event)
    for invitation in Invitation.objects.filter(survey=survey):
        answer(survey, invitation, 4, 5, text="More cases")
    return event


def test_evaluation_report(visit, rows):
    event = answered_survey(rows)
    for n in range(rows):
        author = UserFactory(role=Role.TRAINER, given_name=f"Trainer{n:02d}")
        TrainerReport.objects.create(event=event, author=author, went_well=f"Report {n:02d}")
    page = visit(UserFactory(role=Role.ADMINISTRATOR), reverse("evaluation:event_report", args=[event.pk]), 22)
    shows_all(page, names(rows, "Session") + names(rows, "Expert") + names(rows, "Report"))


def test_facilitators_scorecards(visit, rows):
    answered_survey(rows)
    page = visit(UserFactory(role=Role.ADMINISTRATOR), reverse("evaluation:scorecards"), 6)
    shows_all(page, names(rows, "Expert"))
