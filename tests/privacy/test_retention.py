"""Retention periods on a frozen clock: each kind of data kept just inside its period and gone just past it; the
report of a run, shown on the records-of-processing page; and account emails whose stored copy loses its links as
soon as the mail server has them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from courses.models import CheckInCode
from evaluation.models import Answer, Question, Questionnaire, Response, Section, Survey
from lms.models import AuditEntry, OutgoingEmail, User
from lms.roles import Role
from lms.services import outgoing_email_deliver, outgoing_email_queue
from privacy.models import InactivityWarning, RetentionRun
from privacy.retention import retention_apply
from tests.factories import PASSWORD, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

# Half past three at night in Chișinău, when the nightly run starts.
NOW = datetime(2031, 6, 16, 3, 30, tzinfo=ZoneInfo("Europe/Chisinau"))
JUST = timedelta(minutes=1)


def ago(**period):
    return NOW - relativedelta(**period)


# Accounts never confirmed


def signed_up(joined, **fields):
    """An account as signup leaves it: its address waiting for confirmation, never signed in."""
    person = UserFactory(verified=False, date_joined=joined, **fields)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    return person


def test_an_unconfirmed_account_is_deleted_just_past_its_period_with_the_emails_sent_to_it():
    kept = signed_up(ago(days=30) + JUST)
    gone = signed_up(ago(days=30) - JUST)
    OutgoingEmail.objects.create(to=gone.email, subject="Confirm your email address", body_text="…")

    assert retention_apply(now=NOW)["unverified_accounts"] == {"removed": 1, "skipped": 0}

    assert list(User.objects.filter(pk__in=[kept.pk, gone.pk])) == [kept]
    assert not OutgoingEmail.objects.filter(to=gone.email).exists()


def test_an_unconfirmed_account_someone_relies_on_is_kept_and_counted_as_skipped():
    enrolled = signed_up(ago(days=31))
    EnrollmentFactory(user=enrolled)
    trainer = signed_up(ago(days=31), role=Role.TRAINER)
    # Signed in once (before the address had to be confirmed), or made by an administrator (no address): kept.
    signed_in = signed_up(ago(days=31), last_login=ago(days=31))
    made_by_an_administrator = UserFactory(verified=False, date_joined=ago(days=31))

    assert retention_apply(now=NOW)["unverified_accounts"] == {"removed": 0, "skipped": 2}

    assert User.objects.filter(pk__in=[enrolled.pk, trainer.pk, signed_in.pk, made_by_an_administrator.pk]).count() == 4


# Inactive accounts


def inactive(**fields):
    """A participant whose last sign-in was just over five years before NOW."""
    return UserFactory(last_login=ago(years=5) - JUST, preferred_language="ro", **fields)


def apply_and_deliver(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        return retention_apply(now=now)["inactive_accounts"]


def test_an_inactive_account_is_warned_in_its_language_then_anonymised_once_the_warning_period_is_over(
    django_capture_on_commit_callbacks,
):
    person = inactive(given_name="Lāsma")

    assert apply_and_deliver(django_capture_on_commit_callbacks, NOW) == {"warned": 1, "anonymised": 0, "waiting": 0}

    [warning] = mail.outbox
    assert warning.to == [person.email]
    assert "Lāsma" in warning.body
    # In Romanian (the person's language): the day of the anonymisation, thirty days on, and the footer.
    assert "16 iulie 2031" in warning.body
    assert "Primiți acest e-mail deoarece aveți un cont în Sinergia." in warning.body
    assert "/accounts/login/" in warning.body
    assert InactivityWarning.objects.get(person=person).warned_at == NOW

    # The day before the one the email named: warned already, nothing sent again, nobody anonymised.
    day_before = NOW + timedelta(days=29)
    assert apply_and_deliver(django_capture_on_commit_callbacks, day_before) == {
        "warned": 0,
        "anonymised": 0,
        "waiting": 1,
    }
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.is_active and person.given_name == "Lāsma"

    assert apply_and_deliver(django_capture_on_commit_callbacks, NOW + timedelta(days=30)) == {
        "warned": 0,
        "anonymised": 1,
        "waiting": 0,
    }
    person.refresh_from_db()
    assert not person.is_active
    assert "Lāsma" not in str(person) and not person.email.endswith("@example.test")
    assert not InactivityWarning.objects.exists()


def test_an_account_signed_in_to_just_inside_the_period_is_left_alone(django_capture_on_commit_callbacks):
    UserFactory(last_login=ago(years=5) + JUST)
    assert apply_and_deliver(django_capture_on_commit_callbacks, NOW) == {"warned": 0, "anonymised": 0, "waiting": 0}
    assert mail.outbox == []


def test_a_person_who_signs_in_after_the_warning_is_not_anonymised(django_capture_on_commit_callbacks):
    person = inactive()
    apply_and_deliver(django_capture_on_commit_callbacks, NOW)
    User.objects.filter(pk=person.pk).update(last_login=NOW + timedelta(days=3))

    later = NOW + timedelta(days=30)
    assert apply_and_deliver(django_capture_on_commit_callbacks, later) == {"warned": 0, "anonymised": 0, "waiting": 0}
    person.refresh_from_db()
    assert person.is_active and person.email.endswith("@example.test")

    # Five more years without signing in: a new warning first, not an anonymisation on the strength of the old one.
    years_on = NOW + timedelta(days=3) + relativedelta(years=5) + timedelta(days=1)
    assert apply_and_deliver(django_capture_on_commit_callbacks, years_on) == {
        "warned": 1,
        "anonymised": 0,
        "waiting": 0,
    }
    person.refresh_from_db()
    assert person.is_active


def test_an_administrator_is_never_warned_nor_anonymised(django_capture_on_commit_callbacks):
    administrator = inactive(role=Role.ADMINISTRATOR)
    # The role alone protects them, without the Django admin's staff status that comes with it.
    User.objects.filter(pk=administrator.pk).update(is_staff=False)
    superuser = inactive(is_superuser=True, is_staff=True)

    for now in (NOW, NOW + timedelta(days=30), NOW + relativedelta(years=3)):
        assert apply_and_deliver(django_capture_on_commit_callbacks, now) == {
            "warned": 0,
            "anonymised": 0,
            "waiting": 0,
        }
    assert mail.outbox == []
    for person in (administrator, superuser):
        person.refresh_from_db()
        assert person.is_active and person.email.endswith("@example.test")


def test_an_account_never_signed_in_to_counts_from_when_it_joined(django_capture_on_commit_callbacks):
    UserFactory(date_joined=ago(years=5) + JUST)
    old = UserFactory(date_joined=ago(years=5) - JUST)
    assert apply_and_deliver(django_capture_on_commit_callbacks, NOW)["warned"] == 1
    assert [message.to for message in mail.outbox] == [[old.email]]


# The outbox


def sent_email(sent_at, **fields):
    email = OutgoingEmail.objects.create(
        to="ian.sweet@example.test",
        subject="Certificate: Combating trafficking in human beings",
        body_text="Dear Ian,\nhttps://sinergia.example/certificates/",
        body_html="<p>Dear Ian,</p>",
        attachments=[{"filename": "certificate.pdf", "mimetype": "application/pdf", "path": "certificates/1.pdf"}],
        status=OutgoingEmail.Status.SENT,
        sent_at=sent_at,
        **fields,
    )
    return email


def test_a_sent_email_loses_its_body_and_attachments_just_past_the_period_and_keeps_subject_and_recipient():
    kept = sent_email(ago(days=90) + JUST)
    emptied = sent_email(ago(days=90) - JUST)
    queued = OutgoingEmail.objects.create(to="lasma@example.test", subject="Queued", body_text="Still to send")
    OutgoingEmail.objects.filter(pk=queued.pk).update(created_at=ago(days=200))

    assert retention_apply(now=NOW)["outbox_bodies"] == {"removed": 1}
    # Applying it again removes nothing more.
    assert retention_apply(now=NOW)["outbox_bodies"] == {"removed": 0}

    emptied.refresh_from_db()
    assert (emptied.body_text, emptied.body_html, emptied.attachments) == ("[removed after 90 days]", "", [])
    assert (emptied.to, emptied.subject) == ("ian.sweet@example.test", kept.subject)
    kept.refresh_from_db()
    assert "https://sinergia.example/certificates/" in kept.body_text and kept.attachments
    queued.refresh_from_db()
    assert queued.body_text == "Still to send"


def test_an_email_that_failed_for_good_loses_its_body_too():
    failed = OutgoingEmail.objects.create(
        to="nobody@example.test", subject="Confirm", body_text="https://sinergia.example/", status="failed"
    )
    OutgoingEmail.objects.filter(pk=failed.pk).update(created_at=ago(days=90) - JUST)
    assert retention_apply(now=NOW)["outbox_bodies"] == {"removed": 1}
    failed.refresh_from_db()
    assert failed.body_text == "[removed after 90 days]"


# Check-in codes, rate limits, evaluation answers, audit log


def test_a_check_in_code_is_deleted_just_past_its_period_after_its_validity():
    event = EventFactory()
    kept = CheckInCode.objects.create(event=event, date=event.start_date, valid_until=ago(days=30) + JUST)
    CheckInCode.objects.create(event=event, date=event.start_date, valid_until=ago(days=30) - JUST)
    assert retention_apply(now=NOW)["check_in_codes"] == {"removed": 1}
    assert list(CheckInCode.objects.all()) == [kept]


def test_rate_limits_in_a_database_cache_are_deleted_once_expired(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "retention_test_cache"}
    }
    call_command("createcachetable", verbosity=0)
    cache.set("ratelimit:verify:198.51.100.7:1", 3, 60)
    cache.set("kept", "for good", None)
    assert retention_apply(now=NOW)["rate_limits"] == {"removed": 1}
    assert cache.get("kept") == "for good"


def test_rate_limits_in_another_cache_expire_by_themselves():
    assert retention_apply(now=NOW)["rate_limits"] == {}


def questionnaire_answered(on):
    """One response given on the day `on`: a rating and a free text."""
    event = EventFactory()
    questionnaire = Questionnaire.objects.create(title="Reaction")
    section = Section.objects.create(questionnaire=questionnaire, position=1, title="The training")
    scale = Question.objects.create(section=section, position=1, text="Overall", kind=Question.Kind.SCALE)
    text = Question.objects.create(section=section, position=2, text="What would you change?", kind="text")
    survey = Survey.objects.create(event=event, questionnaire=questionnaire, kind=questionnaire.kind,
                                   opened_at=NOW, remind_at=NOW, closes_at=NOW)  # fmt: skip
    response = Response.objects.create(survey=survey, submitted_on=on)
    Answer.objects.create(response=response, question=scale, rating=4)
    Answer.objects.create(response=response, question=text, text="Mai multe studii de caz")
    return response


def test_free_text_answers_go_just_past_their_period_and_ratings_stay():
    today = NOW.date()
    kept = questionnaire_answered(today - timedelta(days=730))
    emptied = questionnaire_answered(today - timedelta(days=731))

    assert retention_apply(now=NOW)["free_text_answers"] == {"removed": 1}

    in_order = "question__position"
    assert list(kept.answers.order_by(in_order).values_list("rating", "text")) == [
        (4, ""),
        (None, "Mai multe studii de caz"),
    ]
    assert list(emptied.answers.order_by(in_order).values_list("rating", "text")) == [(4, ""), (None, "")]


def test_audit_entries_are_purged_just_past_their_period():
    kept = AuditEntry.objects.create(action=AuditEntry.Action.ROLES_CHANGED, at=ago(years=5) + JUST)
    AuditEntry.objects.create(action=AuditEntry.Action.ROLES_CHANGED, at=ago(years=5) - JUST)
    assert retention_apply(now=NOW)["audit_entries"] == {"removed": 1}
    assert list(AuditEntry.objects.all()) == [kept]


def test_periods_follow_the_settings(settings):
    settings.RETENTION_CHECK_IN_DAYS = 7
    event = EventFactory()
    CheckInCode.objects.create(event=event, date=event.start_date, valid_until=ago(days=8))
    assert retention_apply(now=NOW)["check_in_codes"] == {"removed": 1}


# The report and the records page


def test_the_run_reports_every_category_and_keeps_its_report():
    report = retention_apply(now=NOW)
    assert report == {
        "unverified_accounts": {"removed": 0, "skipped": 0},
        "inactive_accounts": {"warned": 0, "anonymised": 0, "waiting": 0},
        "outbox_bodies": {"removed": 0},
        "check_in_codes": {"removed": 0},
        "rate_limits": {},
        "free_text_answers": {"removed": 0},
        "audit_entries": {"removed": 0},
        "data_exports": {"removed": 0},
    }
    run = RetentionRun.objects.get()
    assert (run.at, run.report) == (NOW, report)


def test_the_nightly_task_is_scheduled_and_logs_its_report(settings, caplog, django_capture_on_commit_callbacks):
    from privacy.tasks import retention_apply as task

    [schedule] = [entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
                  if entry["task"] == "privacy.retention_apply"]  # fmt: skip
    assert schedule.hour == {3} and schedule.day_of_week == set(range(7))  # every night
    with caplog.at_level("INFO", logger="privacy"), django_capture_on_commit_callbacks(execute=True):
        task.delay()
    assert RetentionRun.objects.count() == 1
    assert "Retention periods applied" in caplog.text and "check_in_codes" in caplog.text


def records_page(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("privacy:records"))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_records_page_lists_every_processing_with_the_configured_periods(client, settings):
    settings.RETENTION_AUDIT_YEARS = 7
    settings.RETENTION_FREE_TEXT_ANSWER_DAYS = 365
    page = records_page(client)
    for processing in ("Accounts and profiles", "Enrollments", "Attendance", "Certificates", "Evaluation answers",
                       "Audit log", "Emails sent", "Check-in codes", "Rate limits"):  # fmt: skip
        assert f'<th scope="row">{processing}</th>' in page
    assert "7 years, then deleted." in page
    assert "Free texts: 365 days after they were written" in page
    assert "After 5 years without signing in, a warning email; 30 days later" in page
    assert "Art. 6(1)(c)" in page and "Law No. 195/2024" in page
    assert "have not been applied yet" in page
    assert reverse("privacy:records") in page  # the menu's link


def test_the_records_page_shows_what_the_last_run_did(client):
    old = signed_up(ago(days=31))
    EnrollmentFactory(user=old)
    signed_up(ago(days=31))
    sent_email(ago(days=91))
    retention_apply(now=NOW - timedelta(days=40))  # too early for any of them
    retention_apply(now=NOW)
    page = records_page(client)
    assert "were last applied on 16 June 2031, 03:30" in page
    assert "1 removed; 1 kept: enrolled, given a role or asked for erasure" in page
    assert "Nothing to do: they expire by themselves." in page


def test_the_records_page_and_its_link_are_for_administrators_only(client):
    client.force_login(UserFactory(role=Role.FOCAL_POINT))
    assert client.get(reverse("privacy:records")).status_code == 403
    assert reverse("privacy:records") not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("runs", [0, 2])
def test_the_records_page_reads_the_same_few_rows_however_many_runs(client, runs, django_assert_num_queries):
    for day in range(runs):
        retention_apply(now=NOW + timedelta(days=day))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.get(reverse("privacy:records"))
    # The session, its user, their roles, the last run.
    with django_assert_num_queries(4):
        assert client.get(reverse("privacy:records")).status_code == 200


# Links in account emails


def test_a_password_reset_email_arrives_with_its_link_and_the_stored_copy_keeps_none(
    client, smtp_server, django_capture_on_commit_callbacks
):
    person = UserFactory(email="prosecutor@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "prosecutor@example.test"})

    [received] = smtp_server.messages
    text = received.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", text).group(0)
    stored = OutgoingEmail.objects.get(to="prosecutor@example.test")
    assert stored.status == OutgoingEmail.Status.SENT and stored.redact_links
    assert "[link removed once sent]" in stored.body_text
    assert not re.search(r"https?://", stored.body_text + stored.body_html)
    assert "/password/reset/key/" not in stored.body_text + stored.body_html

    # The link the person received still sets a new password.
    response = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    new_password = "a new and long passphrase"
    client.post(response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    person.refresh_from_db()
    assert person.check_password(new_password) and not person.check_password(PASSWORD)


def test_an_address_confirmation_email_loses_its_link_once_sent(client, django_capture_on_commit_callbacks):
    person = UserFactory(verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    [received] = mail.outbox
    assert "/accounts/confirm-email/" in received.body
    stored = OutgoingEmail.objects.get(to=person.email)
    assert "/accounts/confirm-email/" not in stored.body_text and "[link removed once sent]" in stored.body_text


def test_an_account_email_still_waiting_to_be_sent_keeps_its_link(smtp_server):
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    email = outgoing_email_queue(
        to="judge@example.test", subject="Reset", body_text="https://sinergia.example/key/", redact_links=True
    )
    outgoing_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED and email.body_text == "https://sinergia.example/key/"


def test_other_emails_keep_their_links_once_sent(smtp_server):
    email = outgoing_email_queue(
        to="judge@example.test",
        subject="Questionnaire",
        body_text="Answer: https://sinergia.example/evaluation/abc/",
        body_html='<a href="https://sinergia.example/evaluation/abc/">Answer</a>',
    )
    outgoing_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert "https://sinergia.example/evaluation/abc/" in email.body_text and "evaluation/abc/" in email.body_html
