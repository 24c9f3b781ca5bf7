"""Malformed input to every form and view: never a server error, never a change by someone not allowed.

Hypothesis makes the input: wrong types, huge and odd Unicode strings (NUL and
right-to-left marks included), missing fields, other people's ids.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import AgendaItem, Attendance, CheckInCode
from lms.models import Audience, ProfileChangeRequest
from lms.roles import Role
from tests.factories import (
    AgendaItemFactory,
    EnrollmentFactory,
    EventFactory,
    FacilitatorFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIELDS = [
    "note",
    "reason",
    "emails",
    "code",
    "direction",
    "source",
    "source_day",
    "target_day",
    "date",
    "starts_at",
    "ends_at",
    "kind",
    "title_en",
    "title_ro",
    "room",
    "facilitators",
    "moderator",
    "name",
    "country",
    "given_name",
    "family_name",
    "profession",
    "institution",
    "region",
    "sex",
    "preferred_language",
    "enrollment",
    "certificate",
    "next",
    "all_present",
    "language",
    "page",
    "q",
    "audience",
    "month",
    "by",
    "date_from",
]
ODD_VALUES = [
    "",
    "0",
    "-1",
    "999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "2026-02-30",
    "25:61",
    "\u202e\u0000",
    "Ș" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "//evil.test",
]
ODD_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
VALUES = st.one_of(
    ODD_TEXT,
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(ODD_VALUES),
)
FORMS = st.dictionaries(st.one_of(st.sampled_from(FIELDS), ODD_TEXT), VALUES, max_size=8)
ALLOWED = {200, 301, 302, 400, 403, 404, 405, 429}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    trainer, other_trainer = UserFactory(role=Role.TRAINER), UserFactory(role=Role.TRAINER)
    # The stranger's profession is not one the courses are for: enrolling is refused them like the rest.
    participant, stranger = UserFactory(), UserFactory(profession=Audience.OTHER)
    event = EventFactory(
        start_date=today,
        end_date=today + timedelta(days=1),
        trainers=[trainer],
        enrollment_closes_at=timezone.now() - timedelta(days=1),
    )
    other_event = EventFactory(trainers=[other_trainer])
    enrollment = EnrollmentFactory(event=event, user=participant)
    others = EnrollmentFactory(event=other_event)
    item = AgendaItemFactory(event=event, facilitators=[FacilitatorFactory()])
    CheckInCode.objects.create(event=event, date=today, valid_until=timezone.now() + timedelta(minutes=5))
    return {
        "trainer": trainer,
        "participant": participant,
        "stranger": stranger,
        "event": event,
        "other_event": other_event,
        "enrollment": enrollment,
        "others": others,
        "item": item,
        "programme": ProgrammeFactory(),
        "change": ProfileChangeRequest.objects.create(user=participant, profession=Audience.PROSECUTOR),
    }


def targets(w):
    """Every POST endpoint, with its own objects and with other people's."""
    e, o, item = w["event"].pk, w["other_event"].pk, w["item"].pk
    urls = [
        reverse("profile"),
        reverse("set_language"),
        reverse("account_signup"),
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("courses:check_in"),
        reverse("profile_change_request"),
    ]
    urls += [reverse("profile_change_decide", args=[w["change"].pk, d]) for d in ("approve", "refuse", "nonsense")]
    for event in (e, o):
        urls += [
            reverse(f"courses:{name}", args=[event])
            for name in [
                "enroll",
                "nominate",
                "agenda_item_new",
                "agenda_day_duplicate",
                "agenda_copy",
                "agenda_facilitator_new",
                "attendance",
                "check_in_code",
                "event_close",
            ]
        ]
        urls += [
            reverse("certificates:action", args=[event, action]) for action in ["issue", "resend", "reissue", "revoke"]
        ]
        urls.append(reverse("certificates:zip_start", args=[event]))
    urls += [
        reverse(f"courses:{name}", args=[e, item])
        for name in ["agenda_item_edit", "agenda_item_delete", "agenda_item_move"]
    ]
    for enrollment in (w["enrollment"], w["others"]):
        urls += [
            reverse("courses:decide", args=[enrollment.pk, action])
            for action in ["approve", "decline", "promote", "endorse", "endorse-decline", "cancel", "nonsense"]
        ]
    return urls


def counts(acting):
    found = {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("lms", "courses", "certificates") and model.__name__ not in ("OutgoingEmail",)
    }
    # Asking to change one's own institution or profession is everyone's right.
    found["ProfileChangeRequest"] = ProfileChangeRequest.objects.exclude(user=acting).count()
    found["pending changes"] = list(ProfileChangeRequest.objects.exclude(user=acting).values_list("status", flat=True))
    return found


def post_everything(client, urls, data):
    for url in urls:
        response = client.post(url, data)
        assert response.status_code in ALLOWED, (url, data, response.status_code)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FORMS)
def test_a_stranger_posting_anything_anywhere_changes_nothing(client, world, data):
    client.force_login(world["stranger"])
    before = counts(world["stranger"])
    marks = list(Attendance.objects.values_list("pk", "status"))
    post_everything(client, targets(world), data)
    assert counts(world["stranger"]) == before
    assert list(Attendance.objects.values_list("pk", "status")) == marks


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FORMS)
def test_the_entitled_posting_malformed_input_never_breaks_the_site(client, world, data):
    for user in (world["trainer"], world["participant"], None):  # None: signed out
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        post_everything(client, targets(world), data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=FORMS)
def test_pages_with_odd_query_strings_never_break(client, world, params):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    for url in [
        reverse("courses:catalog"),
        reverse("courses:calendar"),
        reverse("courses:calendar_feed"),
        reverse("stats:index"),
        reverse("stats:export", args=["sex", "csv"]),
        reverse("courses:check_in"),
        reverse("courses:participants", args=[world["event"].pk]),
        reverse("courses:facilitators"),
    ]:
        response = client.get(url, params)
        assert response.status_code in ALLOWED, (url, params, response.status_code)


def test_attendance_notes_with_nul_characters_are_saved_without_them(client, world):
    client.force_login(world["trainer"])
    day = world["event"].start_date.isoformat()
    client.post(
        reverse("courses:attendance", args=[world["event"].pk]),
        {f"a-{world['enrollment'].pk}-{day}": "present", f"n-{world['enrollment'].pk}-{day}": "late\x00bus"},
    )
    assert Attendance.objects.get().note == "latebus"


@pytest.mark.parametrize("chosen", [str(2**63), str(-(2**63) - 1), "99999999999999999999"])
def test_a_choice_of_an_id_no_column_can_hold_is_refused_as_unknown(client, world, chosen):
    client.force_login(world["trainer"])
    sessions = AgendaItem.objects.count()
    response = client.post(
        reverse("courses:agenda_item_new", args=[world["event"].pk]),
        {"date": world["event"].start_date.isoformat(), "starts_at": "09:00", "ends_at": "10:00",
         "title_en": "Opening", "kind": "opening", "facilitators": [chosen]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert AgendaItem.objects.count() == sessions
