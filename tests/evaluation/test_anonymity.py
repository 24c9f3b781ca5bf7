"""No page, export, admin view or log links a questionnaire's answer to a person.

People who attended a training answer with a free text of their own (a marker found nowhere else); then every page
is read, as a superuser and as each respondent, and every log record written while they answer and while the
hourly task reminds the others: none shows a marker beside a respondent's name, email or personal link."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import AgendaItem, Attendance, Course, Facilitator
from courses.services import event_close
from evaluation.models import Answer, Choice, Invitation, Question, Response, Survey
from lms.models import OutgoingEmail, User
from tests.conftest import worker_db
from tests.evaluation.conftest import LINK, answer_through, enrolled, training
from tests.factories import authenticator_app
from tests.waiting import wait_until

PRESENT, LATE, ABSENT = Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.ABSENT
# (given name, family name, language, email): names found nowhere else on the site.
RESPONDENTS = [
    ("Ana", "Țurcanu", "ro", "ana.turcanu@example.test"),
    ("Наталья", "Кожухарь", "ru", "natalia.kojuhari@example.test"),
    ("Aistė", "Žemaitytė", "en", "aiste.zemaityte@example.test"),
    ("Ștefan", "Bîrsan", "ro", "stefan.birsan@example.test"),
    ("Ольга", "Мунтян", "ru", "olga.muntean@example.test"),
]


def scenario(certificate=Course.CertificateKind.COMPLETION):
    """A training that ended yesterday, not yet closed: five who will answer, one who attended and will not, and
    one who never came."""
    event, trainer = training(certificate)
    people = [enrolled(event, [PRESENT, PRESENT], given_name=given, family_name=family, preferred_language=language,
                       email=email) for given, family, language, email in RESPONDENTS]  # fmt: skip
    silent = enrolled(event, [LATE, PRESENT], given_name="Victor", family_name="Ungureanu", email="victor@example.test")
    enrolled(event, [ABSENT, ABSENT], given_name="Pavel", family_name="Plămădeală", email="pavel@example.test")
    return SimpleNamespace(event=event, trainer=trainer, respondents=people, silent=silent, links={})


def links_read(world):
    """Each invited person's personal link, read from the email that carried it."""
    for person in [*world.respondents, world.silent]:
        bodies = OutgoingEmail.objects.filter(to=person.email).values_list("body_text", flat=True)
        world.links[person] = next(LINK.search(body).group(1) for body in bodies if LINK.search(body))
    return world


def marker(number):
    return f"zq{number}-semn-unic"


def answered(client, world, people):
    """`people` (respondents, in order) answer through their links, each with their own marker as free text."""
    for person in people:
        number = world.respondents.index(person)
        answer_through(client, world.links[person], f"Mai multe studii de caz, {marker(number)}.")


def identities(world):
    """{person: what names them}: family name, email and the token of their personal link."""
    invited = [*world.respondents, world.silent]
    return {person: [person.family_name, person.email, token_of(world, person)] for person in invited}


def readable(response):
    """A response's text as a reader sees it: a page, a CSV, a spreadsheet's cells, a PDF's text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    if "pdf" in kind:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def checked(client, url, world, seen):
    """GET `url`: no server error, and no marker shown beside anybody invited. Records in `seen` what it showed."""
    response = client.get(url)
    assert response.status_code < 500, url
    text = readable(response)
    markers = {marker(n) for n in range(len(world.respondents)) if marker(n) in text}
    named = {str(p) for p, marks in identities(world).items() if any(mark in text for mark in marks)}
    assert not (markers and named), f"{url} shows answers {sorted(markers)} beside {sorted(named)}"
    seen[url] = (markers, named)
    return text


def token_of(world, person):
    return world.links[person].strip("/").rsplit("/", 1)[1]


def _arguments(world):
    """What the scenario gives each URL argument; a page taking another (an action, a decision, a key, a logo's
    name) is left aside. An object's pk depends on the route: (route prefix, pk), the longest prefixes first."""
    certificate = Certificate.objects.filter(enrollment__event=world.event).first()
    pks = [("stats/programmes/", world.event.programme_id), ("certificates/designs/programmes/",
           world.event.programme_id), ("stats/events/", world.event.pk), ("events/", world.event.pk),
           ("facilitators/", Facilitator.objects.first().pk)]  # fmt: skip
    values = {
        "item_pk": AgendaItem.objects.filter(event=world.event).first().pk,
        "day": world.event.start_date.isoformat(),
        "slug": world.event.course.slug,
        "uuid": certificate and certificate.uuid,
        "code": certificate and certificate.code,
        "token": token_of(world, world.respondents[0]),
        "phase": "post",
        "table": "summary",
        "fmt": "xlsx",
    }
    return pks, values


def _patterns(patterns, prefix="", namespace=""):
    """(route, name to reverse, pattern) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name, pattern


def site_pages(world):
    """Every page of the site a GET reaches with what the scenario holds (the admin and sign-in pages aside)."""
    pks, values = _arguments(world)
    urls = []
    for route, name, pattern in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/", "i18n/")):
            continue
        arguments = {**values, "pk": next((pk for prefix, pk in pks if route.startswith(prefix)), None)}
        wanted = list(pattern.pattern.regex.groupindex)
        if all(arguments.get(argument) is not None for argument in wanted):
            urls.append(reverse(name, kwargs={argument: arguments[argument] for argument in wanted}))
    return urls


def admin_pages():
    """The changelist of every model in the admin, and the change page of each of its rows."""
    urls = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls += [reverse("admin:{}_{}_change".format(*info), args=[quote(pk)])
                 for pk in model._default_manager.values_list("pk", flat=True)]  # fmt: skip
    return urls


# The data model


ANSWER_SIDE = [Response, Answer, Answer.choices.through]
# What an answer may point at: its survey, the question, the session and facilitator it is about, a choice.
ABOUT = {Survey, Question, AgendaItem, Facilitator, Choice, *ANSWER_SIDE}


def relations(model):
    return [field for field in model._meta.get_fields() if field.is_relation]


def test_an_answer_holds_no_person_and_no_time_finer_than_the_day():
    for model in ANSWER_SIDE:
        for field in relations(model):
            assert field.related_model is not get_user_model(), f"{model.__name__}.{field.name} names a person"
            assert field.related_model in ABOUT, f"{model.__name__}.{field.name} leads to {field.related_model}"
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField | models.TimeField | models.DurationField), (
                f"{model.__name__}.{field.name} dates an answer finer than the day"
            )


def test_an_invitation_records_that_its_person_answered_never_what_nor_when():
    for field in relations(Invitation):
        assert field.related_model not in ANSWER_SIDE, f"Invitation.{field.name} leads to an answer"
    for field in Invitation._meta.get_fields():
        # Stamped when the answered flag is saved, it would line the invitation up with its response.
        assert not getattr(field, "auto_now", False), f"Invitation.{field.name} dates the answering"


# Pages, exports and the admin


@pytest.fixture
def world(reaction_questionnaire, settings, tmp_path, django_capture_on_commit_callbacks):
    """The scenario closed by its trainer: invitations queued, certificates issued and stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = scenario()
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=world.event, actor=world.trainer)
    return links_read(world)


@pytest.mark.django_db
def test_no_page_export_or_admin_view_shows_an_answer_beside_its_person(client, world):
    answered(client, world, world.respondents)
    seen = {}
    # Their own links, which any reader of the outbox could follow: answered, they show nothing of the answers.
    for person in world.respondents:
        checked(Client(), world.links[person], world, seen)
    superuser = User.objects.create_superuser("root@example.test", "a long enough passphrase")
    authenticator_app(superuser)
    client.force_login(superuser)
    for url in [*admin_pages(), *site_pages(world), f"{reverse('stats:index')}?programme={world.event.programme_id}"]:
        checked(client, url, world, seen)
    # The test reads what it should: the report shows every answer, the outbox everybody invited.
    report = reverse("evaluation:event_report", args=[world.event.pk])
    assert len(seen[report][0]) == len(world.respondents)
    outbox = [named for url, (_markers, named) in seen.items() if url.startswith("/admin/lms/outgoingemail/")]
    assert set().union(*outbox) == {str(person) for person in identities(world)}
    assert seen[reverse("stats:donor_pack", args=[world.event.programme_id])][1]  # its cells were read

    # Each respondent, signed in, sees no answer anywhere: not even their own.
    for person in world.respondents:
        client.force_login(person)
        for url in site_pages(world):
            checked(client, url, world, seen)
            assert not seen[url][0], f"{url} shows an answer to {person}"


@pytest.mark.django_db
def test_results_stay_hidden_until_the_surveys_minimum_of_answers(client, world):
    least = Survey.objects.get(event=world.event).min_answers
    assert least <= len(world.respondents)
    report = reverse("evaluation:event_report", args=[world.event.pk])
    answered(client, world, world.respondents[: least - 1])
    client.force_login(world.trainer)
    page = client.get(report).content.decode()
    assert not any(marker(n) in page for n in range(least - 1))

    answered(Client(), world, world.respondents[least - 1 : least])
    page = client.get(report).content.decode()
    assert all(marker(n) in page for n in range(least))


# Logs


class Collector(logging.Handler):
    """Keeps every record it is handed, formatted as a log file would hold it (exception and stack included)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.records = []

    def emit(self, record):
        self.records.append((record.name, self.format(record)))


@pytest.fixture
def every_log_record():
    """Every record of every logger at DEBUG and above, those that do not pass theirs on to the root too; the
    loggers' levels and switches put back afterwards."""
    collector = Collector()
    loggers = [logging.getLogger(), *(logger for logger in logging.root.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]  # fmt: skip
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is logging.root or not logger.propagate:
            logger.addHandler(collector)
    yield collector.records
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        logger.removeHandler(collector)


@pytest.mark.services
@worker_db
def test_no_log_record_links_an_answer_to_its_person(
    reaction_questionnaire, celery_worker, celery_broker, smtp_server, client, every_log_record
):
    world = scenario(certificate=Course.CertificateKind.NONE)
    event_close(event=world.event, actor=world.trainer)
    smtp_server.wait_for(len(world.respondents) + 1)  # the invitations
    links_read(world)
    answered(client, world, world.respondents)
    client.post(world.links[world.respondents[0]], {})  # a second try, refused (and logged as such)
    Survey.objects.filter(event=world.event).update(remind_at=timezone.now() - timedelta(minutes=1))
    celery_broker.send_task("evaluation.surveys_due")
    smtp_server.wait_for(len(world.respondents) + 2)  # the reminder to the one who did not answer
    assert wait_until(lambda: not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists())

    records = list(every_log_record)
    markers = [marker(n) for n in range(len(world.respondents))]
    responses = [str(response) for response in Response.objects.all()]
    people = identities(world)
    naming = 0
    for name, text in records:
        assert not any(mark in text for mark in markers), f"an answer logged by {name}: {text}"
        named = [str(person) for person, marks in people.items() if any(mark in text for mark in marks)]
        naming += bool(named)
        assert not (named and any(response in text for response in responses)), f"{name}: {text}"
    # The records were read: the worker's (its task's count), and some naming the people (the mail server's, the
    # refused request's).
    assert any(name == "evaluation.tasks" and "reminders sent: 1" in text for name, text in records)
    assert naming
