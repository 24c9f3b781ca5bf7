"""Reaction questionnaires delivered end to end: a real Celery worker over Redis, a real SMTP server on loopback.

Closing an event invites, in their own language and each with a link of their own, those who attended a day and
nobody else; the hourly task then reminds, once, those who have not answered."""

import threading
from datetime import timedelta

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from courses.models import Attendance, Course, Enrollment
from courses.services import event_close
from evaluation.models import Survey
from lms.models import OutgoingEmail
from tests.conftest import worker_db
from tests.evaluation.conftest import answer_through, enrolled, link_in, training
from tests.waiting import wait_until

pytestmark = [pytest.mark.services, worker_db]
PRESENT, LATE, EXCUSED, ABSENT = (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.EXCUSED,
                                  Attendance.Status.ABSENT)  # fmt: skip


@pytest.fixture
def people(reaction_questionnaire):
    """A training without certificates (its only emails are the questionnaire's), and who was there or not."""
    event, trainer = training(certificate=Course.CertificateKind.NONE)
    return {
        "event": event,
        "trainer": trainer,
        "ion": enrolled(event, [PRESENT, PRESENT], given_name="Ion", family_name="Rusu", preferred_language="ro",
                        email="ion.rusu@example.test"),
        "olga": enrolled(event, [ABSENT, LATE], given_name="Ольга", family_name="Мунтян", preferred_language="ru",
                         email="olga.muntean@example.test"),
        # Not asked: never there, though excused; and enrollments not confirmed, even with a day marked present.
        "no-show": enrolled(event, [ABSENT, EXCUSED], email="no.show@example.test"),
        "declined": enrolled(event, [PRESENT], status=Enrollment.Status.DECLINED, email="declined@example.test"),
        "cancelled": enrolled(event, [PRESENT, PRESENT], status=Enrollment.Status.CANCELLED,
                              email="cancelled@example.test"),
    }  # fmt: skip


@pytest.fixture
def tasks_run():
    """The names of the tasks the worker has finished, in order, told by Celery's own signal."""
    finished, lock = [], threading.Lock()

    def record(sender=None, **kwargs):
        with lock:
            finished.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


def all_sent():
    """Every email of the outbox accepted by the SMTP server: nothing more is on its way."""
    return not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


def subject_of(message):
    # A non-ASCII subject is folded onto the next line by Python's email generator; readers drop the fold's space.
    return message["Subject"].strip()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def invitations(smtp_server, people):
    """The invitations the closing sends, once every email is out: {recipient: message}."""
    event_close(event=people["event"], actor=people["trainer"])
    smtp_server.wait_for(2)
    assert wait_until(all_sent)
    return {message["To"]: message for message in smtp_server.messages}


def test_closing_invites_each_attendee_in_their_language_with_a_link_of_their_own(
    people, celery_worker, smtp_server, client
):
    received = invitations(smtp_server, people)
    ion, olga = people["ion"], people["olga"]
    assert sorted(received) == sorted([ion.email, olga.email])  # no no-show, no declined or cancelled enrollment
    assert len(smtp_server.messages) == 2

    romanian, russian = received[ion.email], received[olga.email]
    assert subject_of(romanian).startswith("Cum a fost instruirea?")
    assert "Bună ziua, Ion" in text_of(romanian) and "Completați chestionarul" in text_of(romanian)
    assert subject_of(russian).startswith("Как прошло обучение?")
    assert "Здравствуйте, Ольга" in text_of(russian) and "Заполнить анкету" in text_of(russian)

    links = {ion: link_in(text_of(romanian)), olga: link_in(text_of(russian))}
    assert links[ion] != links[olga]
    # The HTML part carries the same link as the text.
    assert links[ion] in romanian.get_body(preferencelist=("html",)).get_content()
    for person, heading in [(ion, "Cum a fost instruirea?"), (olga, "Как прошло обучение?")]:
        page = client.get(links[person])
        assert page.status_code == 200
        text = page.content.decode()
        assert heading in text and "Combating trafficking" in text
        assert "Victim identification" in text and "Lāsma Stabiņa" in text


def test_the_hourly_task_reminds_once_those_who_have_not_answered(
    people, celery_worker, smtp_server, client, celery_broker, tasks_run
):
    received = invitations(smtp_server, people)
    ion, olga = people["ion"], people["olga"]
    answer_through(client, link_in(text_of(received[ion.email])), "Mai multe studii de caz.")
    Survey.objects.filter(event=people["event"]).update(remind_at=timezone.now() - timedelta(minutes=1))

    celery_broker.send_task("evaluation.surveys_due")  # by name, as the hourly schedule sends it
    smtp_server.wait_for(3)
    assert wait_until(lambda: "evaluation.surveys_due" in tasks_run)
    assert wait_until(all_sent)
    [reminder] = smtp_server.messages[2:]
    assert reminder["To"] == olga.email
    assert subject_of(reminder).startswith("Напоминание: как прошло обучение?")
    # The reminder carries the invitation's own link, still good.
    assert link_in(text_of(reminder)) == link_in(text_of(received[olga.email]))
    assert client.get(link_in(text_of(reminder))).status_code == 200

    celery_broker.send_task("evaluation.surveys_due")
    assert wait_until(lambda: tasks_run.count("evaluation.surveys_due") == 2)
    assert wait_until(all_sent)
    assert OutgoingEmail.objects.count() == 3
    assert len(smtp_server.messages) == 3
