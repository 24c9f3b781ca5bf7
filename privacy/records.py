"""The records of processing (GDPR art. 30, Law 195/2024): what personal data Sinergia keeps, why, on which legal
basis and for how long (the periods as configured), with what the last retention run did to each."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

# What a retention run did, by the keys of its report (privacy/retention.py).
DONE = {
    "removed": ngettext_lazy("%(count)d removed", "%(count)d removed", "count"),
    "anonymised": ngettext_lazy("%(count)d anonymised", "%(count)d anonymised", "count"),
    "warned": ngettext_lazy("%(count)d warned", "%(count)d warned", "count"),
    "waiting": ngettext_lazy(
        "%(count)d warned earlier, waiting for the warning period to end",
        "%(count)d warned earlier, waiting for the warning period to end",
        "count",
    ),
    "skipped": ngettext_lazy(
        "%(count)d kept: enrolled, given a role or asked for erasure",
        "%(count)d kept: enrolled, given a role or asked for erasure",
        "count",
    ),
}


@dataclass(frozen=True)
class Record:
    name: str
    data: str
    purpose: str
    basis: str
    period: str
    # The key of this processing in a retention run's report, when the run applies a period to it.
    category: str = ""


def _days(count):
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def _years(count):
    return ngettext("%(count)d year", "%(count)d years", count) % {"count": count}


def processing_records():
    """Every processing of personal data, in the reader's language, with the periods as configured now."""
    public_task = _("Art. 6(1)(e): a task in the public interest, the training of the justice sector")
    return [
        Record(
            _("Accounts and profiles"),
            _(
                "Name in both scripts, email address, phone, profession, position or rank, institution, region, sex, "
                "preferred language, password (hashed), when the person joined and last signed in."
            ),
            _(
                "Signing in; enrolling and being endorsed; emails about the trainings; certificates; statistics of "
                "who is trained (sex, profession, institution and region only)."
            ),
            public_task,
            _(
                "While the account is used. After %(years)s without signing in, a warning email; %(days)s later, "
                "still without a sign-in, the account is anonymised (certificates stay verifiable). Administrators "
                "are never anonymised."
            )
            % {
                "years": _years(settings.RETENTION_INACTIVE_ACCOUNT_YEARS),
                "days": _days(settings.RETENTION_INACTIVE_WARNING_DAYS),
            },
            "inactive_accounts",
        ),
        Record(
            _("Accounts never confirmed"),
            _("What was given at signup, while the email address is not confirmed."),
            _("Confirming that the address belongs to the person who signed up."),
            _("Art. 6(1)(b): steps the person asked for before an agreement (signing up)"),
            _(
                "%(days)s, then deleted with the emails sent to them, unless the account was enrolled or given a "
                "role meanwhile."
            )
            % {"days": _days(settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)},
            "unverified_accounts",
        ),
        Record(
            _("Enrollments"),
            _(
                "Who asked to attend which event, the decisions and their notes, focal points' endorsements, the "
                "institution and profession at the time."
            ),
            _("Organising seats, nominations and endorsements."),
            public_task,
            _("As long as the account; after erasure or anonymisation, under a pseudonym, for the statistics."),
        ),
        Record(
            _("Attendance"),
            _("Presence on each day of an event, trainers' notes, self check-ins."),
            _("Completion and credit hours; annual training targets; reports to funders."),
            _(
                "Art. 6(1)(c): a legal obligation, the continuing training of judges and prosecutors; art. 6(1)(e) "
                "for the other professions"
            ),
            _("As long as the account; after erasure or anonymisation, under a pseudonym, for the statistics."),
        ),
        Record(
            _("Check-in codes"),
            _("The code a trainer shows for self check-in, its event and day, who made it."),
            _("Letting participants record their own presence."),
            public_task,
            _("%(days)s after the code stopped being valid, then deleted.")
            % {"days": _days(settings.RETENTION_CHECK_IN_DAYS)},
            "check_in_codes",
        ),
        Record(
            _("Rate limits"),
            _("An internet address or an account's email address, with a count of attempts."),
            _("Protecting sign-in, password reset, check-in and certificate verification from guessing."),
            _("Art. 6(1)(f): legitimate interests, the security of the service"),
            _(
                "Minutes: kept in the cache for their window only, then they expire by themselves. In a database "
                "cache, the nightly run deletes the expired ones."
            ),
            "rate_limits",
        ),
        Record(
            _("Certificates"),
            _("The name as printed, the course, dates and hours, the verification code, the PDF."),
            _("Proving the training; letting anyone verify a certificate."),
            public_task,
            _(
                "For good: a certificate must stay verifiable. After erasure its name stays, unless the person asked "
                "for it to be withdrawn."
            ),
        ),
        Record(
            _("Knowledge tests"),
            _("Each participant's score before and after a training, and their answers."),
            _("Measuring what a training taught; each person sees their own scores."),
            public_task,
            _("As long as the enrollment; after erasure or anonymisation, under a pseudonym."),
        ),
        Record(
            _("Evaluation answers"),
            _(
                "Ratings, choices and free texts, answered anonymously; who was invited and whether they answered "
                "(never what); a supervisor's email address in follow-ups."
            ),
            _("Evaluating and improving the trainings and the facilitators."),
            public_task,
            _("Ratings and choices: kept, anonymous. Free texts: %(days)s after they were written, then removed.")
            % {"days": _days(settings.RETENTION_FREE_TEXT_ANSWER_DAYS)},
            "free_text_answers",
        ),
        Record(
            _("Audit log"),
            _(
                "Who did what and when, about whom: role and profile changes, decisions, certificates, copies and "
                "erasures of personal data, staff sign-ins."
            ),
            _("Accounting for the processing of personal data; security."),
            _("Art. 6(1)(c): a legal obligation, accountability (art. 5(2) and 32)"),
            _("%(years)s, then deleted.") % {"years": _years(settings.RETENTION_AUDIT_YEARS)},
            "audit_entries",
        ),
        Record(
            _("Emails sent"),
            _("Recipient, subject, text and attachments, delivery status."),
            _("Delivering every email, even when the mail server is down; proof that it was sent."),
            _("Art. 6(1)(e) for what the emails say; art. 6(1)(f): legitimate interests, proof of delivery"),
            _(
                "Links in account emails (address confirmation, password reset): removed as soon as sent. Text and "
                "attachments: %(days)s after sending, then removed. Subject and recipient: as long as the account."
            )
            % {"days": _days(settings.RETENTION_OUTBOX_BODY_DAYS)},
            "outbox_bodies",
        ),
        Record(
            _("Copies of personal data and erasure requests"),
            _("Who asked, when, the decision and the reason for a refusal; the copy itself (a ZIP file)."),
            _("Answering the person's rights of access and erasure."),
            _("Art. 6(1)(c): a legal obligation (art. 15 and 17)"),
            _("A copy can be downloaded for %(days)s. Requests and decisions: kept as proof of the answer.")
            % {"days": _days(settings.PRIVACY_EXPORT_DAYS)},
            "data_exports",
        ),
    ]


def run_result(record, report):
    """What the retention run of `report` did to `record`'s data, in words; "" for what it does not touch."""
    if not record.category or record.category not in report:
        return ""
    counts = report[record.category]
    if not counts:
        return _("Nothing to do: they expire by themselves.")
    return "; ".join(str(DONE[what] % {"count": count}) for what, count in counts.items() if what in DONE)
