"""Retention periods: personal data is removed, emptied or anonymised once its purpose is served (GDPR art. 5(1)(e),
Law 195/2024). Each period is a setting (RETENTION_*); the nightly task privacy.retention_apply applies them all and
keeps its report, counts only, for the records-of-processing page.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.models import CheckInCode, Enrollment
from evaluation.models import Answer
from lms.models import AuditEntry, OutgoingEmail, User
from lms.roles import Role
from lms.services import email_queue_templated

from .erasure import person_erase
from .exports import data_exports_expired_delete
from .models import InactivityWarning, RetentionRun


def retention_apply(now=None):
    """Apply every retention period as of `now`; the report, {category: {what was done: how many}}, is kept."""
    now = now or timezone.now()
    # Notes written into rows (the outbox's) are for administrators: the site's language, whoever runs this.
    with translation.override(settings.LANGUAGE_CODE):
        report = {
            "unverified_accounts": unverified_accounts_delete(now),
            "inactive_accounts": inactive_accounts_anonymise(now),
            "outbox_bodies": outbox_bodies_remove(now),
            "check_in_codes": check_in_codes_delete(now),
            "rate_limits": rate_limits_delete(now),
            "free_text_answers": free_text_answers_remove(now),
            "audit_entries": audit_entries_delete(now),
            "data_exports": {"removed": data_exports_expired_delete(now)},
        }
    RetentionRun.objects.create(at=now, report=report)
    return report


def unverified_accounts_delete(now):
    """Accounts signed up with an address never confirmed, never signed in to, older than the period.

    Only those allauth holds an address for (a signup): an account an administrator made has none until its
    owner signs in. One with an enrollment, or a role beyond Participant, someone relies on: it is skipped.
    """
    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    candidates = User.objects.filter(
        Exists(addresses), ~Exists(addresses.filter(verified=True)),
        last_login__isnull=True, date_joined__lt=cutoff, is_staff=False, is_superuser=False,
    )  # fmt: skip
    relied_on = Q(Exists(Enrollment.objects.filter(user=OuterRef("pk")))) | Q(
        Exists(User.groups.through.objects.filter(user=OuterRef("pk")).exclude(group__name=Role.PARTICIPANT))
    )
    skipped = candidates.filter(relied_on).count()
    removed = 0
    for person in candidates.exclude(relied_on):
        try:
            with transaction.atomic():
                # The confirmation emails written to them go with them.
                OutgoingEmail.objects.filter(to__iexact=person.email).delete()
                person.delete()
        except ProtectedError:  # something kept for its own sake points at them (an erasure request)
            skipped += 1
        else:
            removed += 1
    return {"removed": removed, "skipped": skipped}


WARNING_SUBJECT = _("Your Sinergia account will be anonymised")


def inactive_accounts_anonymise(now):
    """Accounts nobody signed in to for the period: warned by email first, anonymised once the warning period has
    passed without a sign-in. Administrators (and staff) never: the site must keep someone to run it."""
    inactive_since = now - relativedelta(years=settings.RETENTION_INACTIVE_ACCOUNT_YEARS)
    warning_period = timedelta(days=settings.RETENTION_INACTIVE_WARNING_DAYS)
    today = timezone.localdate(now)
    administrators = Group.objects.filter(name=Role.ADMINISTRATOR, user=OuterRef("pk"))
    inactive = (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(Exists(administrators))
        .annotate(last_seen=Coalesce("last_login", "date_joined"), warned_at=F("inactivity_warning__warned_at"))
        .filter(last_seen__lt=inactive_since)
        .order_by("pk")
    )
    done = {"warned": 0, "anonymised": 0, "waiting": 0}
    for person in inactive:
        # A warning before their last sign-in was answered by it: this inactivity needs one of its own.
        if person.warned_at is None or person.warned_at < person.last_seen:
            _inactivity_warn(person, now, today + warning_period)
            done["warned"] += 1
        # On the day the warning named, whatever the hour of this run and of the warning's.
        elif timezone.localdate(person.warned_at) + warning_period <= today:
            with transaction.atomic():
                person_erase(person=person, keep_certificates=True, actor=None)
                InactivityWarning.objects.filter(person=person).delete()
            done["anonymised"] += 1
        else:
            done["waiting"] += 1
    return done


def _inactivity_warn(person, now, anonymise_on):
    with transaction.atomic():
        InactivityWarning.objects.update_or_create(person=person, defaults={"warned_at": now})
        email_queue_templated(
            to=person.email,
            template="inactivity_warning",
            language=person.preferred_language,
            subject=WARNING_SUBJECT,
            context={
                "user": person,
                "anonymise_on": anonymise_on,
                "years": settings.RETENTION_INACTIVE_ACCOUNT_YEARS,
                "sign_in_url": settings.SITE_URL + reverse("account_login"),
            },
        )


def outbox_bodies_remove(now):
    """Emails done with (sent, or failed for good) keep their subject and recipient; the rest goes."""
    days = settings.RETENTION_OUTBOX_BODY_DAYS
    cutoff = now - timedelta(days=days)
    note = ngettext("[removed after %(days)d day]", "[removed after %(days)d days]", days) % {"days": days}
    done_with = Q(status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff) | Q(
        status=OutgoingEmail.Status.FAILED, created_at__lt=cutoff
    )
    emails = OutgoingEmail.objects.filter(done_with).exclude(body_text=note, body_html="", attachments=[])
    return {"removed": emails.update(body_text=note, body_html="", attachments=[])}


def check_in_codes_delete(now):
    cutoff = now - timedelta(days=settings.RETENTION_CHECK_IN_DAYS)
    return {"removed": CheckInCode.objects.filter(valid_until__lt=cutoff).delete()[0]}


def rate_limits_delete(now):
    """Rate-limit counters (lms/ratelimit.py, allauth's) are cache entries named after an address or an account,
    which expire with their window. Redis drops them then; a database cache only hides them until it culls: the
    expired ones are deleted here. Nothing else keeps them."""
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        return {}
    connection = connections[router.db_for_write(cache.cache_model_class)]
    table = connection.ops.quote_name(cache._table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [connection.ops.adapt_datetimefield_value(now)])
        return {"removed": cursor.rowcount}


def free_text_answers_remove(now):
    """What people wrote in questionnaires goes after the period; their ratings and choices stay in the results."""
    before = timezone.localdate(now) - timedelta(days=settings.RETENTION_FREE_TEXT_ANSWER_DAYS)
    answers = Answer.objects.filter(response__submitted_on__lt=before).exclude(text="")
    return {"removed": answers.update(text="")}


def audit_entries_delete(now):
    return {"removed": AuditEntry.purge_before(now - relativedelta(years=settings.RETENTION_AUDIT_YEARS))}
