"""What the questionnaire tests share: a training that ended yesterday, the people enrolled in it, and answering
through the personal link an email carries."""

import re
from datetime import time, timedelta

import pytest
from django import forms
from django.utils import timezone

from courses.models import Attendance, Course, Enrollment
from evaluation import demo
from lms.roles import Role
from tests.factories import AgendaItemFactory, EnrollmentFactory, EventFactory, FacilitatorFactory, UserFactory

# The path of a personal link, as written in an email: the site's address, then /questionnaires/<token>/.
LINK = re.compile(r"https?://[^\s\"<>]+?(/questionnaires/[^/\s\"<>]+/)")


@pytest.fixture
def reaction_questionnaire():
    return demo.seed_reaction_questionnaire()


def training(certificate=Course.CertificateKind.COMPLETION):
    """A two-day training of a programme that ended yesterday, its trainer, one session led by two experts and a
    break; `certificate` is what its course gives."""
    first = timezone.localdate() - timedelta(days=2)
    trainer = UserFactory(role=Role.TRAINER, given_name="Rūta", family_name="Šimkūnė", email="ruta@example.test")
    event = EventFactory(start_date=first, end_date=first + timedelta(days=1), trainers=[trainer],
                         course__certificate_kind=certificate, course__title_en="Combating trafficking",
                         enrollment_closes_at=timezone.now() - timedelta(days=5))  # fmt: skip
    experts = [FacilitatorFactory(name="Lāsma Stabiņa"), FacilitatorFactory(name="Ian Sweet")]
    AgendaItemFactory(event=event, title_en="Victim identification", starts_at=time(9), ends_at=time(11),
                      facilitators=experts)  # fmt: skip
    AgendaItemFactory(event=event, title_en="Coffee", kind="break", starts_at=time(11), ends_at=time(11, 30))
    return event, trainer


def enrolled(event, marks, status=Enrollment.Status.CONFIRMED, **user):
    """Someone enrolled in `event` with `status`, marked on its days in order (`marks`: attendance statuses)."""
    enrollment = EnrollmentFactory(event=event, user=UserFactory(**user), status=status)
    for day, mark in zip(event.days, marks, strict=False):
        Attendance.objects.create(enrollment=enrollment, date=day, status=mark)
    return enrollment.user


def link_in(text):
    """The path of the personal link in an email's text."""
    found = LINK.search(text)
    assert found, f"no questionnaire link in {text!r}"
    return found.group(1)


def answers_filled(client, link, text):
    """The answer form behind `link` filled as a person would: 4 on every scale, `text` in every free-text box."""
    form = client.get(link).context["form"]
    data = {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Textarea):
            data[name] = text
        elif isinstance(field, forms.TypedChoiceField):
            data[name] = "4"
    return data


def answer_through(client, link, text):
    """Answer through the personal link, as its owner would; the page it leads to."""
    response = client.post(link, answers_filled(client, link, text))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
