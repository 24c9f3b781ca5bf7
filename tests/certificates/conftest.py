from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Attendance
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, FacilitatorFactory, UserFactory

NAMES = [("Ștefan", "Bîrsan"), ("Lāsma", "Stabiņa"), ("Наталья", "Кожухарь"), ("Aistė", "Žemaitytė"), ("Ion", "Rusu")]


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def closing(settings_media):
    """A two-day event that ended yesterday (its trainer may close it), of five participants; the last
    one missed both days."""
    today = timezone.localdate()
    trainer = UserFactory(role=Role.TRAINER, given_name="Rūta", family_name="Šimkūnė")
    event = EventFactory(
        start_date=today - timedelta(days=2),
        end_date=today - timedelta(days=1),
        trainers=[trainer],
        enrollment_closes_at=timezone.now() - timedelta(days=3),
        venue_name="Inspectoratul General",
    )
    AgendaItemFactory(event=event, date=event.start_date, facilitators=[FacilitatorFactory(name="Ian Sweet")])
    enrollments = []
    for number, ((given, family), language) in enumerate(zip(NAMES, ["ro", "en", "ru", "en", "ro"], strict=True)):
        user = UserFactory(
            given_name=given, family_name=family, preferred_language=language, email=f"p{number}@example.test"
        )
        enrollment = EnrollmentFactory(event=event, user=user)
        if number < 4:
            for day in event.days:
                Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
        enrollments.append(enrollment)
    return {"event": event, "trainer": trainer, "enrollments": enrollments}
