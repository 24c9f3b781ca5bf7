"""Who may open what: every URL of the project, tried by eight people, against what the rules say.

The rules are lms/roles.py and courses/transitions.py; the people and events are tests/scenario.py. A URL added
without an entry in EXPECTED fails `test_every_url_has_an_entry`, so nobody adds a page without saying who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certificates import exports
from certificates.models import Certificate, CertificateDesign
from courses.models import AgendaItem, Attendance, CheckInCode, Enrollment, Event, Facilitator
from evaluation import models as evaluation_models
from lms.consents import notice_publish, notice_save
from lms.models import Audience, Consent, NoticeAcceptance, OutgoingEmail, PrivacyNotice, ProfileChangeRequest, User
from tests.scenario import (
    ACTORS,
    ADMINISTRATOR,
    ANONYMOUS,
    FOCAL_POINT,
    OTHER_FOCAL_POINT,
    OTHER_PARTICIPANT,
    PARTICIPANT,
    TRAINER,
    scenario_build,
)

pytestmark = pytest.mark.django_db

# Third-party URLs, tested by their own projects; every other URL is the project's.
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/", "static/", "media/")

# A redirect to the sign-in page.
SIGN_IN = "sign-in"
# Answers that refuse: the request must change nothing.
REFUSALS = {SIGN_IN, 403, 404}


def answers(default, anonymous=SIGN_IN, **actors):
    """Each actor's expected answer: `default`, except those named (actor names with underscores)."""
    named = {name.replace("_", " "): status for name, status in actors.items()}
    return {actor: named.get(actor, default) for actor in ACTORS} | {ANONYMOUS: anonymous}


def only(*actors, yes=200, no=403):
    """Signed-in actors get `no`, except `actors`, who get `yes`; anonymous visitors are sent to sign in."""
    return {actor: yes if actor in actors else no for actor in ACTORS} | {ANONYMOUS: SIGN_IN}


PUBLIC = answers(200, anonymous=200)
# A draft event exists only for those who manage it.
DRAFT = answers(404, anonymous=404, trainer=200, administrator=200)
SIGNED_IN = answers(200)
EVENT_STAFF = (TRAINER, ADMINISTRATOR)


@dataclass(frozen=True)
class Check:
    """One request to a URL: each actor's expected answer; the URL's kwargs and the POSTed data, from the scenario."""

    expect: dict
    method: str
    kwargs: Callable
    data: Callable


def page(expect, kwargs=lambda s: {}):
    return Check(expect, "GET", kwargs, lambda s: {})


def action(expect, kwargs=lambda s: {}, data=lambda s: {}):
    """A POST: an allowed one usually answers with a redirect (302)."""
    return Check(expect, "POST", kwargs, data)


def event(s):
    return {"pk": s.event.pk}


def current(s):
    return {"pk": s.current.pk}


def draft(s):
    return {"pk": s.draft.pk}


def closed(s):
    return {"pk": s.closed.pk}


def item(s):
    return {"pk": s.event.pk, "item_pk": s.item.pk}


def absent(enrollment):
    """The attendance grid's field marking `enrollment` absent on the event's first day."""
    return {f"a-{enrollment.pk}-{enrollment.event.start_date}": Attendance.Status.ABSENT}


EXPECTED = {
    # Signed in, the home is the dashboard.
    "home": page(answers(302, anonymous=200)),
    "dashboard": page(SIGNED_IN),
    # A focal point's colleagues: those who enrolled from their institution.
    "colleagues": page(only(FOCAL_POINT, OTHER_FOCAL_POINT)),
    "profile": page(SIGNED_IN),
    # Anyone signed in may ask to change institution or profession; it waits for an administrator.
    "profile_change_request": action(
        answers(302), data=lambda s: {"institution": s.institution.pk, "profession": Audience.PROSECUTOR}
    ),
    # The privacy notice is public; accepting it and one's own optional consents are for anyone signed in.
    "privacy_notice": page(PUBLIC),
    "privacy_notice_accept": (page(SIGNED_IN), action(answers(302), data=lambda s: {"version": 1})),
    "privacy_settings": (
        page(SIGNED_IN),
        action(answers(302), data=lambda s: {"kind": Consent.Kind.PARTICIPANT_LIST, "decision": "give"}),
    ),
    "profile_changes": page(only(ADMINISTRATOR)),
    "profile_change_decide": action(
        only(ADMINISTRATOR, yes=302), kwargs=lambda s: {"pk": s.change.pk, "decision": "approve"}
    ),
    "courses:catalog": page(PUBLIC),
    "courses:course": page(PUBLIC, kwargs=lambda s: {"slug": s.event.course.slug}),
    "courses:event": (page(PUBLIC, kwargs=event), page(DRAFT, kwargs=draft)),
    # Events are created, changed, cloned, published and cancelled by administrators only.
    "courses:event_new": page(only(ADMINISTRATOR)),
    "courses:event_edit": (page(only(ADMINISTRATOR), kwargs=event), page(only(ADMINISTRATOR), kwargs=draft)),
    "courses:event_clone": (
        page(only(ADMINISTRATOR), kwargs=event),
        action(only(ADMINISTRATOR, yes=302), kwargs=event, data=lambda s: {"start_date": s.event.end_date}),
    ),
    "courses:event_publish": action(only(ADMINISTRATOR, yes=302), kwargs=draft),
    "courses:event_cancel": (
        page(only(ADMINISTRATOR), kwargs=event),
        action(only(ADMINISTRATOR, yes=302), kwargs=draft, data=lambda s: {"confirm": "yes"}),
    ),
    "courses:event_ics": (page(PUBLIC, kwargs=event), page(DRAFT, kwargs=draft)),
    "courses:agenda_pdf": (page(PUBLIC, kwargs=event), page(DRAFT, kwargs=draft)),
    "courses:calendar": page(PUBLIC),
    "courses:calendar_feed": page(PUBLIC),
    "courses:facilitators": page(PUBLIC),
    "courses:facilitator": page(PUBLIC, kwargs=lambda s: {"pk": s.facilitator.pk}),
    # The agenda: the event's trainers and administrators; once the event is closed, administrators only.
    "courses:agenda": (page(only(*EVENT_STAFF), kwargs=event), page(only(ADMINISTRATOR), kwargs=closed)),
    "courses:agenda_item_new": page(only(*EVENT_STAFF), kwargs=event),
    "courses:agenda_item_edit": page(only(*EVENT_STAFF), kwargs=item),
    "courses:agenda_item_delete": (
        page(only(*EVENT_STAFF), kwargs=item),
        action(only(*EVENT_STAFF, yes=302), kwargs=item),
    ),
    "courses:agenda_item_move": action(only(*EVENT_STAFF, yes=302), kwargs=item, data=lambda s: {"direction": "down"}),
    "courses:agenda_day_duplicate": action(
        only(*EVENT_STAFF, yes=302),
        kwargs=event,
        data=lambda s: {"source_day": s.event.start_date, "target_day": s.event.end_date},
    ),
    "courses:agenda_copy": action(only(*EVENT_STAFF, yes=302), kwargs=current, data=lambda s: {"source": s.event.pk}),
    "courses:agenda_facilitator_new": (
        page(only(*EVENT_STAFF), kwargs=event),
        action(only(*EVENT_STAFF, yes=302), kwargs=event, data=lambda s: {"name": "Ian Sweet"}),
    ),
    # Anyone signed in may ask (the service says whether they are eligible); for others a draft does not exist.
    "courses:enroll": (
        action(answers(302), kwargs=current),
        action(only(*EVENT_STAFF, yes=302, no=404), kwargs=draft),
    ),
    "courses:participants": page(only(*EVENT_STAFF), kwargs=event),
    "courses:participants_csv": page(only(*EVENT_STAFF), kwargs=event),
    "courses:nominate": action(
        only(ADMINISTRATOR, yes=302), kwargs=current, data=lambda s: {"emails": s.users[OTHER_PARTICIPANT].email}
    ),
    # Enrollment decisions: whoever the workflow table lets take the action in some state may ask (and is told
    # why not, by a redirect with a message); anyone else is refused.
    "courses:decide": (
        action(
            only(PARTICIPANT, *EVENT_STAFF, yes=302),
            kwargs=lambda s: {"enrollment_pk": s.enrollment.pk, "action": "cancel"},
            data=lambda s: {"confirm": "1"},
        ),
        action(
            only(FOCAL_POINT, ADMINISTRATOR, yes=302),
            kwargs=lambda s: {"enrollment_pk": s.enrollment.pk, "action": "endorse"},
        ),
        action(answers(404), kwargs=lambda s: {"enrollment_pk": s.enrollment.pk, "action": "delete"}),
    ),
    "courses:my_trainings": page(SIGNED_IN),
    "courses:endorsements": page(only(FOCAL_POINT, OTHER_FOCAL_POINT)),
    # Attendance of a closed event is history: its trainers still see it, only administrators correct it.
    "courses:attendance": (
        page(only(*EVENT_STAFF), kwargs=event),
        action(only(*EVENT_STAFF, yes=302), kwargs=event, data=lambda s: absent(s.enrollment)),
        page(only(*EVENT_STAFF), kwargs=closed),
        action(only(ADMINISTRATOR, yes=302), kwargs=closed, data=lambda s: absent(s.closed_enrollment)),
    ),
    "courses:check_in_code": page(only(*EVENT_STAFF), kwargs=current),
    "courses:sign_in_sheet": page(
        only(*EVENT_STAFF), kwargs=lambda s: {"pk": s.event.pk, "day": s.event.start_date.isoformat()}
    ),
    # The event's last day has ended: its trainers may close it, as administrators may; nobody closes it twice.
    "courses:event_close": (
        page(only(*EVENT_STAFF), kwargs=event),
        action(only(*EVENT_STAFF, yes=302), kwargs=event, data=lambda s: {"reason": "All days were held."}),
        page(only(), kwargs=closed),
    ),
    # Only a confirmed participant of today's event is checked in (and sent to it); others are told why not.
    "courses:check_in": (
        page(SIGNED_IN),
        action(answers(200, participant=302), data=lambda s: {"code": s.code.code}),
    ),
    "courses:my_record": page(SIGNED_IN),
    "certificates:mine": page(SIGNED_IN),
    # Someone else's certificate does not exist for them.
    "certificates:download": page(
        only(PARTICIPANT, ADMINISTRATOR, no=404), kwargs=lambda s: {"uuid": s.certificate.uuid}
    ),
    "certificates:verify_form": page(PUBLIC),
    "certificates:verify": page(PUBLIC, kwargs=lambda s: {"code": s.certificate.code}),
    "certificates:verify_uuid": page(PUBLIC, kwargs=lambda s: {"uuid": s.certificate.uuid}),
    "certificates:event": page(only(ADMINISTRATOR), kwargs=event),
    "certificates:zip_start": action(only(ADMINISTRATOR, yes=302), kwargs=event),
    # No ZIP was built: the administrator is sent to build one.
    "certificates:zip_download": page(only(ADMINISTRATOR, yes=302), kwargs=event),
    "certificates:action": action(
        only(ADMINISTRATOR, yes=302),
        kwargs=lambda s: {"pk": s.event.pk, "action": "revoke"},
        data=lambda s: {"certificate": s.certificate.pk, "reason": "Emis altei persoane.", "confirm": "1"},
    ),
    # Statistics: administrators, and focal points for their own institution.
    "certificates:designs": page(only(ADMINISTRATOR)),
    "certificates:design_default": (
        page(only(ADMINISTRATOR)),
        # An empty form is refused with its errors, and saves nothing.
        action(only(ADMINISTRATOR, yes=200)),
    ),
    "certificates:design": (
        page(only(ADMINISTRATOR), kwargs=lambda s: {"pk": s.event.programme_id}),
        action(
            only(ADMINISTRATOR, yes=302),
            kwargs=lambda s: {"pk": s.event.programme_id},
            data=lambda s: {"use_default": "1"},
        ),
    ),
    # Logos are served by their stored names only; no name is served that is not a logo's.
    "institution_logo": page(answers(404, anonymous=404), kwargs=lambda s: {"name": "0" * 32 + ".png"}),
    # A questionnaire's link is its own key, signed: a forged one opens nothing, for anybody.
    "evaluation:answer": (
        page(answers(404, anonymous=404), kwargs=lambda s: {"token": "forged"}),
        action(answers(404, anonymous=404), kwargs=lambda s: {"token": "forged"}),
    ),
    # A knowledge test is the participant's own (the post-test of the ended event is open; the pre-test closed,
    # which the page says); an unanswered question is asked for and saves nothing.
    "evaluation:knowledge_test": (
        page(answers(404, participant=200), kwargs=lambda s: {"pk": s.event.pk, "phase": "post"}),
        page(answers(404, participant=200), kwargs=lambda s: {"pk": s.event.pk, "phase": "pre"}),
        action(answers(404, participant=200), kwargs=lambda s: {"pk": s.event.pk, "phase": "post"}),
    ),
    "evaluation:event_report": page(only(*EVENT_STAFF), kwargs=event),
    # A trainer's report on the ended activity is their own: an administrator who did not train reads it only.
    "evaluation:trainer_report": (
        page(only(TRAINER), kwargs=event),
        action(only(TRAINER, yes=302), kwargs=event, data=lambda s: {"went_well": "Discuții vii pe cazuri."}),
    ),
    "evaluation:scorecards": page(only(ADMINISTRATOR)),
    "stats:index": page(only(FOCAL_POINT, OTHER_FOCAL_POINT, ADMINISTRATOR)),
    "stats:export": page(
        only(FOCAL_POINT, OTHER_FOCAL_POINT, ADMINISTRATOR), kwargs=lambda s: {"table": "summary", "fmt": "csv"}
    ),
    "stats:donor_pack": page(only(ADMINISTRATOR), kwargs=lambda s: {"pk": s.event.programme_id}),
    # The focal point whose institution's people took part sees them; the other one has nobody there.
    "stats:attendance_report": page(only(*EVENT_STAFF, FOCAL_POINT), kwargs=event),
    # The records of processing, with the retention periods and what their last run did.
    "privacy:records": page(only(ADMINISTRATOR)),
    # My data: one's own; an administrator answers for anyone. A copy is downloaded only by who asked for it.
    "privacy:my_data": (page(SIGNED_IN), action(answers(302), data=lambda s: {"export": "1"})),
    "privacy:person_data": page(only(PARTICIPANT, ADMINISTRATOR), kwargs=lambda s: {"pk": s.users[PARTICIPANT].pk}),
    "privacy:download": page(answers(403), kwargs=lambda s: {"uuid": "00000000-0000-4000-8000-000000000000"}),
    "privacy:erasure_requests": page(only(ADMINISTRATOR)),
    # No such request: administrators are told so; the others may not decide any.
    "privacy:erasure_decide": action(only(ADMINISTRATOR, yes=404), kwargs=lambda s: {"pk": 0, "decision": "confirm"}),
}


def project_url_names(patterns=None, namespace="", prefix=""):
    """{name: route} of the project's URL patterns; None as name for one without a name."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= project_url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            found[f"{namespace}{pattern.name}" if pattern.name else None] = route
    return found


def test_every_url_has_an_entry():
    names = project_url_names()
    assert None not in names, f"a URL without a name: {names.get(None)}"
    assert len(names) > 40
    assert {name.rpartition(":")[0] for name in names} >= {"", "courses", "certificates", "stats"}
    assert sorted(set(names) - set(EXPECTED)) == [], "say in EXPECTED who may open these URLs"
    assert sorted(set(EXPECTED) - set(names)) == [], "these URLs are gone: drop them from EXPECTED"


@pytest.fixture
def scenario(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    built = scenario_build()
    notice_publish(notice=notice_save(notice=PrivacyNotice(text_en="Notice", text_ro="Notă", text_ru="Уведомление")))
    test = evaluation_models.KnowledgeTest.objects.create(course=built.event.course, title_en="Knowledge test")
    question = evaluation_models.TestQuestion.objects.create(test=test, position=1, text_en="Question")
    evaluation_models.TestOption.objects.create(question=question, position=1, text_en="Right", correct=True)
    return built


def state(scenario):
    """What a refused request must leave as it was."""
    return {
        "enrollments": sorted(Enrollment.objects.values_list("pk", "status", "awaits_endorsement")),
        "attendance": sorted(Attendance.objects.values_list("pk", "status")),
        "agenda": sorted(AgendaItem.objects.values_list("pk", "date", "position", "starts_at")),
        "events": sorted(Event.objects.values_list("pk", "status")),
        "facilitators": Facilitator.objects.count(),
        "certificates": sorted(Certificate.objects.values_list("pk", "revoked_at")),
        "certificate designs": sorted(CertificateDesign.objects.values_list("pk", "programme", "layout")),
        "check-in codes": sorted(CheckInCode.objects.values_list("pk", "valid_until")),
        "profile changes": sorted(
            ProfileChangeRequest.objects.values_list("pk", "status", "institution", "profession")
        ),
        "users": sorted(User.objects.values_list("pk", "institution", "profession")),
        "emails": OutgoingEmail.objects.count(),
        "zip": exports.zip_progress(scenario.event),
        "knowledge test attempts": evaluation_models.TestAttempt.objects.count(),
        "trainer reports": sorted(evaluation_models.TrainerReport.objects.values_list("pk", "went_well")),
        "privacy notice acceptances": NoticeAcceptance.objects.count(),
        "consents": sorted(Consent.objects.values_list("pk", "withdrawn_at")),
    }


def answer(response):
    if response.status_code == 302 and response.url.startswith(reverse("account_login")):
        return SIGN_IN
    return response.status_code


def checks(name):
    spec = EXPECTED[name]
    return spec if isinstance(spec, tuple) else (spec,)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_may_open_what(name, scenario, client):
    for check in checks(name):
        url = reverse(name, kwargs=check.kwargs(scenario))
        found = {}
        for actor in ACTORS:
            # Each actor meets the scenario as it was: what an earlier one did is rolled back.
            savepoint = transaction.savepoint()
            cache.clear()
            client.logout()
            if actor != ANONYMOUS:
                client.force_login(scenario.users[actor])
            refused = check.expect[actor] in REFUSALS
            before = state(scenario) if refused else None
            response = client.post(url, check.data(scenario)) if check.method == "POST" else client.get(url)
            found[actor] = answer(response)
            if refused and (after := state(scenario)) != before:
                changed = sorted(key for key in before if before[key] != after[key])
                found[actor] = f"{found[actor]}, but changed {', '.join(changed)}"
            transaction.savepoint_rollback(savepoint)
        assert found == check.expect, f"{check.method} {url}"
