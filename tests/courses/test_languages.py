"""Enrollment messages and emails in the language of the person they are for."""

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from courses import notifications, transitions
from courses.models import Enrollment
from courses.views.enrollment import STATUS_MESSAGES
from lms.models import Audience
from lms.roles import Role
from tests.factories import CourseFactory, EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status

TABLES = [
    *(action.label for action in transitions.ACTIONS.values()),
    *(action.done for action in transitions.ACTIONS.values()),
    *notifications.SUBJECTS.values(),
    *notifications.MESSAGES.values(),
    *STATUS_MESSAGES.values(),
]


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_texts_defined_when_modules_load_are_shown_in_the_language_of_the_moment(language):
    english = [str(text) for text in TABLES]
    with translation.override(language):
        shown = [str(text) for text in TABLES]
    assert [text for text, original in zip(shown, english, strict=True) if text == original] == []


@pytest.fixture
def people():
    """An event needing approval, its trainer, a police officer and the focal point of their institution."""
    police = InstitutionFactory(name="General Police Inspectorate")
    trainer = UserFactory(role=Role.TRAINER)
    course = CourseFactory(
        title_en="Victim protection", title_ro="Protecția victimelor", title_ru="Защита жертв",
        summary_en="Who helps whom", summary_ro="Cine pe cine ajută",
    )  # fmt: skip
    return {
        "event": EventFactory(requires_approval=True, trainers=[trainer], course=course),
        "trainer": trainer,
        "focal": UserFactory(role=Role.FOCAL_POINT, institution=police, profession=Audience.POLICE_OFFICER),
        "officer": UserFactory(institution=police, profession=Audience.POLICE_OFFICER),
    }


# action: who decides, the enrollment's status and whether it awaits an endorsement, what they are told.
DECISIONS = {
    "endorse": ("focal", Status.REQUESTED, True, {"ro": "Avizat.", "ru": "Согласовано."}),
    "endorse-decline": ("focal", Status.REQUESTED, True, {"ro": "Respins.", "ru": "Отклонено."}),
    "approve": ("trainer", Status.REQUESTED, False, {"ro": "Aprobat.", "ru": "Утверждено."}),
    "decline": ("trainer", Status.REQUESTED, False, {"ro": "Respins.", "ru": "Отклонено."}),
    "promote": ("trainer", Status.WAITLISTED, False,
                {"ro": "Trecut de pe lista de așteptare.", "ru": "Переведено из листа ожидания."}),
    "cancel": ("officer", Status.CONFIRMED, False, {"ro": "Înscrierea a fost anulată.", "ru": "Запись отменена."}),
}  # fmt: skip


@pytest.mark.parametrize("language", ["ro", "ru"])
@pytest.mark.parametrize("action", DECISIONS)
def test_each_decision_is_confirmed_in_the_language_of_who_took_it(client, people, action, language):
    who, status, awaits_endorsement, told = DECISIONS[action]
    enrollment = EnrollmentFactory(
        event=people["event"], user=people["officer"], status=status, awaits_endorsement=awaits_endorsement
    )
    decider = people[who]
    decider.preferred_language = language
    decider.save()
    client.force_login(decider)
    response = client.post(reverse("courses:decide", args=[enrollment.pk, action]), {"confirm": "1"}, follow=True)
    assert f"{told[language]}</li>" in response.content.decode()
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.awaits_endorsement) != (status, awaits_endorsement)


def test_a_romanian_participant_approved_by_an_english_speaking_trainer_gets_everything_in_romanian(
    client, people, django_capture_on_commit_callbacks
):
    officer = people["officer"]
    officer.preferred_language = "ro"
    officer.save()
    enrollment = EnrollmentFactory(event=people["event"], user=officer, status=Status.REQUESTED)
    client.force_login(people["trainer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:decide", args=[enrollment.pk, "approve"]), headers={"accept-language": "en"})
    [email] = mail.outbox
    assert email.subject.startswith("Locul dumneavoastră este confirmat: Protecția victimelor")
    [(filename, content, _mimetype)] = email.attachments
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["x-wr-calname"]) == "Protecția victimelor"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Protecția victimelor"
    assert str(vevent["description"]).startswith("Cine pe cine ajută")
