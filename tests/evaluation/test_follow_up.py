"""The follow-up (level 3): sent some months after the event to those who attended, with a copy for the supervisor
a participant names, who answers through a link of their own, without an account; answers kept apart by who gave
them, and each group shown only from enough answers."""

from datetime import date, timedelta

import pytest
from django import forms
from django.contrib import admin
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from evaluation import demo
from evaluation.models import Invitation, Questionnaire, Respondent, Response, Survey
from evaluation.services import (
    invitation_token,
    months_before,
    questionnaire_for,
    survey_open,
    surveys_open_due,
    surveys_remind,
)
from lms.models import OutgoingEmail
from lms.roles import Role
from tests.evaluation.test_reaction import attended
from tests.factories import EventFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
FOLLOW_UP = Questionnaire.Kind.FOLLOW_UP


@pytest.fixture
def follow_up():
    demo.seed_reaction_questionnaire()
    return demo.seed_follow_up_questionnaire()


def event_ended_on(day, **fields):
    return EventFactory(start_date=day, end_date=day, enrollment_closes_at=timezone.now() - timedelta(days=200),
                        **fields)  # fmt: skip


def test_a_month_back_is_the_same_day_or_the_last_of_a_shorter_month():
    assert months_before(date(2026, 11, 30), 3) == date(2026, 8, 30)
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert months_before(date(2026, 2, 15), 3) == date(2025, 11, 15)


def test_the_follow_up_goes_out_three_months_after_the_last_day_to_those_who_attended(follow_up, settings):
    today = timezone.localdate()
    due = event_ended_on(months_before(today, 3))
    early = event_ended_on(months_before(today, 3) + timedelta(days=1))
    long_ago = event_ended_on(date(2018, 6, 5))
    ana = attended(due, ["present"], preferred_language="ro", given_name="Ana")
    attended(due, ["absent"])
    for event in (early, long_ago):
        attended(event, ["present"])
    Survey.objects.all().delete()  # the reaction surveys are not what this is about
    opened = surveys_open_due()
    follow_ups = [survey for survey in opened if survey.kind == FOLLOW_UP]
    assert [survey.event for survey in follow_ups] == [due]
    assert follow_ups[0].questionnaire == follow_up
    assert list(Invitation.objects.filter(survey__kind=FOLLOW_UP).values_list("user", flat=True)) == [ana.pk]
    email = OutgoingEmail.objects.get(to=ana.email, subject__startswith="După câteva luni")
    assert "Ați folosit" in email.subject or "ați învățat" in email.body_text
    # Run again: nobody is asked twice.
    assert [s for s in surveys_open_due() if s.kind == FOLLOW_UP] == []
    assert OutgoingEmail.objects.filter(to=ana.email).count() == 1


@pytest.fixture
def asked(follow_up):
    """A follow-up open for a training of three months ago that five people attended."""
    event = event_ended_on(months_before(timezone.localdate(), 3))
    people = [attended(event, ["present"], preferred_language="ro", given_name=f"Participant{n}") for n in range(5)]
    survey = survey_open(event=event, kind=FOLLOW_UP)
    return survey, people


def link_of(person, respondent=Respondent.PARTICIPANT):
    invitation = Invitation.objects.get(user=person, survey__kind=FOLLOW_UP)
    return reverse("evaluation:answer", args=[invitation_token(invitation, respondent)])


def filled(form):
    """The first choice of each question of choices, 4 on each scale, words in the free text."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # one choice, or several
            data[name] = [str(field.queryset.first().pk)]
        elif isinstance(field, forms.TypedChoiceField):  # a scale
            data[name] = "4"
        elif name != "supervisor_email":
            data[name] = "Am aplicat lista de indicatori."
    return data


def test_a_participant_answers_and_names_a_supervisor_who_is_sent_a_copy(client, asked):
    survey, people = asked
    person = people[0]
    page = client.get(link_of(person))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ați folosit ceea ce ați învățat?" in text and "Activitatea participantului" not in text
    data = filled(page.context["form"]) | {"supervisor_email": "sefa.directiei@procuratura.md"}
    assert client.post(link_of(person), data).status_code == 302
    assert Response.objects.get().respondent == Respondent.PARTICIPANT
    invitation = Invitation.objects.get(user=person, survey=survey)
    assert invitation.answered and invitation.supervisor_email == "sefa.directiei@procuratura.md"
    # The supervisor is written to in the participant's language, with a link of their own.
    email = OutgoingEmail.objects.get(to="sefa.directiei@procuratura.md")
    assert person.get_full_name() in email.subject
    assert link_of(person, Respondent.SUPERVISOR) in email.body_text
    assert link_of(person) not in email.body_text

    # The supervisor's page: the participant named, the supervisors' questions only, no supervisor field.
    page = client.get(link_of(person, Respondent.SUPERVISOR))
    text = page.content.decode()
    assert page.status_code == 200 and person.get_full_name() in text
    assert "Activitatea participantului" in text and "Cât de utilă s-a dovedit instruirea" not in text
    assert "supervisor_email" not in page.context["form"].fields
    assert client.post(link_of(person, Respondent.SUPERVISOR), filled(page.context["form"])).status_code == 302
    assert sorted(Response.objects.values_list("respondent", flat=True)) == ["participant", "supervisor"]
    # Each link answers once.
    again = client.get(link_of(person, Respondent.SUPERVISOR))
    assert again.status_code == 410 and "Ați răspuns deja" in again.content.decode()
    assert client.get(link_of(person)).status_code == 410


def test_naming_oneself_or_a_wrong_address_is_refused_and_saves_nothing(client, asked):
    _survey, people = asked
    person = people[0]
    form = client.get(link_of(person)).context["form"]
    for address, message in [(person.email.upper(), "nu propria adresă"), ("not-an-address", "adresă de e-mail")]:
        page = client.post(link_of(person), filled(form) | {"supervisor_email": address})
        assert page.status_code == 200 and message in page.content.decode(), address
    assert not Response.objects.exists()
    assert (
        not Invitation.objects.filter(answered=True).exists()
        and not OutgoingEmail.objects.filter(to__icontains="supervisor").exists()
    )


def test_a_supervisor_link_no_one_was_given_or_forged_opens_nothing(client, asked):
    _survey, people = asked
    # Signed as a supervisor's link, but the participant named nobody.
    page = client.get(link_of(people[1], Respondent.SUPERVISOR))
    assert page.status_code in (404, 410) and "This link is not valid" in page.content.decode()
    invitation = Invitation.objects.get(user=people[1], survey__kind=FOLLOW_UP)
    forged = signing.Signer(salt="evaluation.supervisors").sign_object(invitation.pk)
    assert client.get(reverse("evaluation:answer", args=[forged])).status_code == 404
    assert not Response.objects.exists()


def test_supervisors_answers_show_apart_and_only_from_enough_of_them(client, asked):
    survey, people = asked
    for n, person in enumerate(people):
        form = client.get(link_of(person)).context["form"]
        client.post(link_of(person), filled(form) | {"supervisor_email": f"sef{n}@politia.md"})
    for person in people[:4]:
        form = client.get(link_of(person, Respondent.SUPERVISOR)).context["form"]
        client.post(link_of(person, Respondent.SUPERVISOR), filled(form))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, preferred_language="en"))
    url = reverse("evaluation:event_report", args=[survey.event.pk])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Answered by: Participants" in text and "Answered by: Supervisors" in text
    assert "5 of 5 invited have answered" in text and "4 of 5 invited have answered" in text
    assert "How useful has the training proven for your work?" in text
    assert "How much has their work improved in this field?" not in text  # 4 supervisors: hidden
    form = client.get(link_of(people[4], Respondent.SUPERVISOR)).context["form"]
    client.post(link_of(people[4], Respondent.SUPERVISOR), filled(form))
    assert "How much has their work improved in this field?" in client.get(url).content.decode()


def test_a_programme_may_have_its_own_questionnaire_of_a_kind(follow_up, rf):
    programme = ProgrammeFactory()
    own = Questionnaire.objects.create(kind=FOLLOW_UP, title_en="Follow-up for the mission's courses")
    own.programmes.add(programme)
    assert questionnaire_for(EventFactory(programme=programme), FOLLOW_UP) == own
    assert questionnaire_for(EventFactory(), FOLLOW_UP) == follow_up
    # A second questionnaire of the same kind cannot claim the programme.
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    form_class = admin.site._registry[Questionnaire].get_form(request)
    data = {"title_en": "Another", "kind": FOLLOW_UP, "programmes": [programme.pk]}
    form = form_class(data)
    assert not form.is_valid() and str(programme) in str(form.errors["programmes"])
    assert form_class({**data, "kind": Questionnaire.Kind.REACTION}).is_valid()


def test_one_reminder_goes_to_participants_who_have_not_answered_never_to_a_supervisor(client, asked):
    survey, people = asked
    form = client.get(link_of(people[0])).context["form"]
    client.post(link_of(people[0]), filled(form) | {"supervisor_email": "sef@politia.md"})
    Survey.objects.update(remind_at=timezone.now() - timedelta(minutes=1))
    assert surveys_remind() == 4
    reminded = OutgoingEmail.objects.filter(subject__startswith="Memento: ați folosit ceea ce ați învățat?")
    assert sorted(reminded.values_list("to", flat=True)) == sorted(person.email for person in people[1:])
    assert OutgoingEmail.objects.filter(to="sef@politia.md").count() == 1  # the invitation only
    assert surveys_remind() == 0
