"""The people and events the whole-site tests meet: every role, and events before, during and after their days.

Shared by the permission matrix (tests/test_permissions.py) and the language leak test (tests/test_language_leaks.py).
"""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from certificates.services import certificate_issue
from courses.models import Attendance, CheckInCode, Event
from lms.models import Audience, ProfileChangeRequest
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    InstitutionFactory,
    ProgrammeFactory,
    UserFactory,
)

ANONYMOUS, PARTICIPANT, OTHER_PARTICIPANT = "anonymous", "participant", "other participant"
TRAINER, OTHER_TRAINER = "trainer", "other trainer"
FOCAL_POINT, OTHER_FOCAL_POINT, ADMINISTRATOR = "focal point", "other focal point", "administrator"
ACTORS = (ANONYMOUS, PARTICIPANT, OTHER_PARTICIPANT, TRAINER, OTHER_TRAINER, FOCAL_POINT, OTHER_FOCAL_POINT,
          ADMINISTRATOR)  # fmt: skip


def scenario_build():
    """An event that ended yesterday, with a participant who holds a certificate, and one held today.

    Certificates are stored: the caller points MEDIA_ROOT somewhere of its own first.
    """
    today, now = timezone.localdate(), timezone.now()
    institution, other_institution = InstitutionFactory(), InstitutionFactory()
    users = {
        PARTICIPANT: UserFactory(institution=institution),
        OTHER_PARTICIPANT: UserFactory(institution=other_institution),
        TRAINER: UserFactory(role=Role.TRAINER),
        OTHER_TRAINER: UserFactory(role=Role.TRAINER),
        FOCAL_POINT: UserFactory(role=Role.FOCAL_POINT, institution=institution),
        OTHER_FOCAL_POINT: UserFactory(role=Role.FOCAL_POINT, institution=other_institution),
        ADMINISTRATOR: UserFactory(role=Role.ADMINISTRATOR),
    }
    facilitator = FacilitatorFactory()
    ended = EventFactory(
        programme=ProgrammeFactory(),
        start_date=today - timedelta(days=2),
        end_date=today - timedelta(days=1),
        enrollment_closes_at=now - timedelta(days=3),
        trainers=[users[TRAINER]],
    )
    item = AgendaItemFactory(event=ended, facilitators=[facilitator])
    AgendaItemFactory(event=ended, starts_at=item.ends_at, ends_at=item.ends_at.replace(hour=12))
    enrollment = EnrollmentFactory(event=ended, user=users[PARTICIPANT])
    for day in ended.days:
        Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
    certificate, _created = certificate_issue(
        enrollment=enrollment, actor=users[ADMINISTRATOR], reason="Attended every day."
    )
    held_today = EventFactory(
        course=ended.course,
        programme=ended.programme,
        start_date=today,
        end_date=today + timedelta(days=1),
        enrollment_closes_at=now + timedelta(hours=1),
        trainers=[users[TRAINER]],
    )
    EnrollmentFactory(event=held_today, user=users[PARTICIPANT])
    code = CheckInCode.objects.create(
        event=held_today, date=today, created_by=users[TRAINER], valid_until=now + timedelta(minutes=10)
    )
    draft = EventFactory(status=Event.Status.DRAFT, trainers=[users[TRAINER]])
    closed = EventFactory(
        programme=ended.programme,
        start_date=today - timedelta(days=9),
        end_date=today - timedelta(days=8),
        status=Event.Status.COMPLETED,
        trainers=[users[TRAINER]],
    )
    closed_enrollment = EnrollmentFactory(event=closed, user=users[PARTICIPANT])
    change = ProfileChangeRequest.objects.create(
        user=users[OTHER_PARTICIPANT], institution=institution, profession=Audience.PROSECUTOR
    )
    return SimpleNamespace(users=users, institution=institution, facilitator=facilitator, event=ended, item=item,
                           enrollment=enrollment, certificate=certificate, current=held_today, code=code,
                           change=change,
                           draft=draft, closed=closed, closed_enrollment=closed_enrollment)  # fmt: skip
