"""The reaction questionnaire: opened once, sent to those who attended, answered anonymously through a personal
link, reminded once; every misuse of a link refused with a message, saving nothing."""

from datetime import date, time, timedelta

import pytest
from django import forms
from django.contrib import admin
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance, Event
from courses.services import event_close
from evaluation import demo
from evaluation.models import Answer, Invitation, Questionnaire, Response, Survey
from evaluation.services import invitation_token, survey_open, surveys_open_due, surveys_remind
from lms.models import OutgoingEmail, User
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire():
    return demo.seed_reaction_questionnaire()


def attended(event, statuses, **user):
    enrollment = EnrollmentFactory(event=event, user=UserFactory(**user))
    for day, status in zip(event.days, statuses, strict=False):
        Attendance.objects.create(enrollment=enrollment, date=day, status=status)
    return enrollment.user


@pytest.fixture
def ended():
    """A two-day training that ended yesterday, with two sessions (one of two facilitators) and a break."""
    first = timezone.localdate() - timedelta(days=2)
    event = EventFactory(start_date=first, end_date=first + timedelta(days=1),
                         enrollment_closes_at=timezone.now() - timedelta(days=5))  # fmt: skip
    AgendaItemFactory(
        event=event,
        title_en="Victim identification",
        starts_at=time(9),
        ends_at=time(10),
        facilitators=[FacilitatorFactory(name="Lāsma Stabiņa"), FacilitatorFactory(name="Ian Sweet")],
    )
    AgendaItemFactory(event=event, title_en="Coffee", kind="break", starts_at=time(10), ends_at=time(10, 30))
    AgendaItemFactory(event=event, title_en="Referral", starts_at=time(10, 30), ends_at=time(12),
                      facilitators=[FacilitatorFactory(name="Jorn van Rij")])  # fmt: skip
    return event


@pytest.fixture
def people(ended):
    """Who came on one day or both, who was only excused, who never came."""
    return {
        "both days": attended(ended, ["present", "present"], preferred_language="ro", given_name="Ion"),
        "late once": attended(ended, ["late", "absent"], preferred_language="ru", given_name="Ольга"),
        "excused": attended(ended, ["excused", "excused"]),
        "no-show": attended(ended, ["absent", "absent"]),
    }


def invitations_sent(subject_start):
    return sorted(OutgoingEmail.objects.filter(subject__startswith=subject_start).values_list("to", flat=True))


def test_closing_the_event_invites_those_who_attended_in_their_language(questionnaire, ended, people):
    event_close(event=ended, actor=UserFactory(role=Role.ADMINISTRATOR))
    survey = Survey.objects.get(event=ended)
    assert survey.questionnaire == questionnaire
    assert sorted(Invitation.objects.values_list("user__given_name", flat=True)) == ["Ion", "Ольга"]
    ion, olga = people["both days"], people["late once"]
    assert OutgoingEmail.objects.get(to=ion.email).subject.startswith("Cum a fost instruirea?")
    assert OutgoingEmail.objects.get(to=olga.email).subject.startswith("Как прошло обучение?")
    # The link is in the email only; the invitation keeps no copy of it.
    token = invitation_token(Invitation.objects.get(user=ion))
    assert token in OutgoingEmail.objects.get(to=ion.email).body_text
    # Opening again (the hourly task after closing) invites nobody twice.
    survey_open(event=ended)
    assert surveys_open_due() == []
    assert OutgoingEmail.objects.count() == 2


def test_the_hourly_task_opens_events_whose_last_day_ended_lately_and_no_other(questionnaire, ended, people):
    running = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate())
    long_ago = EventFactory(start_date=date(2018, 6, 4), end_date=date(2018, 6, 5))
    attended(long_ago, ["present", "present"])
    opened = surveys_open_due()
    assert [survey.event for survey in opened] == [ended]
    assert not Survey.objects.filter(event__in=[running, long_ago]).exists()


def test_without_a_default_questionnaire_nothing_opens(ended, people):
    assert survey_open(event=ended) is None
    assert not Survey.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.fixture
def link(questionnaire, ended, people):
    survey_open(event=ended)
    return reverse("evaluation:answer", args=[invitation_token(Invitation.objects.get(user=people["both days"]))])


def filled(client, link):
    """Every field of the form answered: 4 on each scale, a word of free text."""
    form = client.get(link).context["form"]
    data = {}
    for name, field in form.fields.items():
        data[name] = "Mai multe studii de caz <b>reale</b>" if isinstance(field.widget, forms.Textarea) else "4"
    return data


def test_the_questionnaire_asks_about_each_session_and_each_facilitator_in_the_persons_language(client, link):
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cum a fost instruirea?" in text
    headings = [heading for heading, _fields in page.context["form"].sections()]
    assert headings == ["Instruirea", "Fiecare sesiune: Victim identification", "Fiecare sesiune: Referral",
                        "Sugestiile dumneavoastră"]  # fmt: skip
    labels = [field.label for _h, fields in page.context["form"].sections() for field in fields]
    assert "Facilitatorul: Lāsma Stabiņa" in labels and "Facilitatorul: Ian Sweet" in labels
    assert "Facilitatorul: Jorn van Rij" in labels and not any("Coffee" in label for label in labels)


def test_an_answer_is_stored_without_the_person_and_a_second_one_is_refused(client, link, ended):
    data = filled(client, link)
    response = client.post(link, data)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.submitted_on == timezone.localdate()
    assert Answer.objects.filter(response=stored, facilitator__name="Ian Sweet", rating=4).count() == 1
    # Free text as typed.
    assert Answer.objects.get(response=stored, text__startswith="Mai").text == "Mai multe studii de caz <b>reale</b>"
    assert Invitation.objects.get(answered=True).user.given_name == "Ion"
    # Used again, the link says so and saves nothing.
    again = client.post(link, data)
    assert again.status_code == 410 and "Ați răspuns deja" in again.content.decode()
    assert Response.objects.count() == 1


def test_nothing_in_an_answer_names_or_dates_its_person():
    """A response holds no relation to a person and no time finer than the day."""
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in (User, Invitation), (model, field)
            assert field.get_internal_type() != "DateTimeField", (model, field)


def test_a_missing_required_answer_is_asked_for_and_nothing_is_saved(client, link):
    data = filled(client, link)
    required = next(name for name, field in client.get(link).context["form"].fields.items() if field.required)
    del data[required]
    page = client.post(link, data)
    assert page.status_code == 200 and "Vă rugăm să răspundeți la această întrebare." in page.content.decode()
    assert not Response.objects.exists() and not Invitation.objects.filter(answered=True).exists()


def test_a_forged_or_altered_link_is_refused(client, link, people):
    other = signing.Signer(salt="another purpose").sign_object(Invitation.objects.get(user=people["late once"]).pk)
    for token in ["made-up", link.rstrip("/").rsplit("/", 1)[1][:-2] + "xx", other]:
        page = client.get(reverse("evaluation:answer", args=[token]))
        assert page.status_code == 404 and "This link is not valid" in page.content.decode()
    assert client.post(reverse("evaluation:answer", args=["made-up"]), {}).status_code == 404
    assert not Response.objects.exists()


def test_a_link_used_after_the_questionnaire_closed_is_refused(client, link):
    data = filled(client, link)
    Survey.objects.update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.post(link, data)
    assert page.status_code == 410 and "Chestionarul s-a închis" in page.content.decode()
    assert not Response.objects.exists()


def test_someone_whose_attendance_was_corrected_to_absent_is_refused(client, link, people):
    Attendance.objects.filter(enrollment__user=people["both days"]).update(status=Attendance.Status.ABSENT)
    page = client.get(link)
    assert page.status_code == 410
    assert not Response.objects.exists()


def test_one_reminder_goes_to_those_who_have_not_answered_once_it_is_due(client, link, people):
    client.post(link, filled(client, link))  # Ion answers; Ольга does not
    assert surveys_remind() == 0  # not due yet
    Survey.objects.update(remind_at=timezone.now() - timedelta(minutes=1))
    assert surveys_remind() == 1
    assert invitations_sent("Напоминание") == [people["late once"].email]
    # The reminder carries the same link as the invitation.
    token = invitation_token(Invitation.objects.get(user=people["late once"]))
    assert token in OutgoingEmail.objects.get(subject__startswith="Напоминание").body_text
    assert surveys_remind() == 0  # once only


def test_free_text_is_shown_escaped_on_the_form_it_was_refused_on(client, link):
    data = filled(client, link)
    required = next(name for name, field in client.get(link).context["form"].fields.items() if field.required)
    del data[required]
    page = client.post(link, data).content.decode()
    assert "&lt;b&gt;reale&lt;/b&gt;" in page and "<b>reale</b>" not in page


def test_a_closed_event_of_the_demo_has_its_questionnaire_open():
    first = date(2018, 6, 4)
    event = EventFactory(start_date=first, end_date=first, status=Event.Status.COMPLETED)
    attended(event, ["present"])
    demo.seed()
    demo.seed()
    assert sorted(Questionnaire.objects.filter(is_default=True).values_list("kind", flat=True)) == [
        "follow_up", "reaction"
    ]  # fmt: skip
    assert Survey.objects.get().event == event and Invitation.objects.count() == 1


def test_questionnaires_are_written_in_the_admin_and_no_admin_page_sets_an_answer_beside_a_person(
    admin_client, questionnaire
):
    registered = set(admin.site._registry)
    assert {Questionnaire} <= registered
    assert not {Response, Answer, Invitation, Survey} & registered
    for url in [reverse("admin:evaluation_questionnaire_change", args=[questionnaire.pk]),
                reverse("admin:evaluation_section_change", args=[questionnaire.sections.first().pk])]:  # fmt: skip
        assert admin_client.get(url).status_code == 200
