"""Certificates: issue (once per enrollment), render and store, deliver through the outbox, re-issue, revoke."""

import functools
import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses import selectors as course_selectors
from courses.models import Course, Enrollment
from lms.audit import Action, audit_record, audit_record_many
from lms.models import OutgoingEmail, User
from lms.services import email_build_templated, email_queue_templated, outgoing_email_send

from .designs import design_for, design_snapshot
from .models import Certificate
from .pdf import certificate_pdf

SUBJECT = gettext_lazy("Your certificate: %(course)s")
BATCH = 20  # certificates one task renders and sends
# The certificate a course gives (courses without one never reach here).
KINDS = {
    Course.CertificateKind.COMPLETION: Certificate.Kind.COMPLETION,
    Course.CertificateKind.ATTENDANCE: Certificate.Kind.ATTENDANCE,
    Course.CertificateKind.TRAINING_OF_TRAINERS: Certificate.Kind.TRAINING_OF_TRAINERS,
}


def _event_facts(event, languages):
    """What every certificate of an event prints alike, in each of `languages`.

    The rows are read once for the whole batch; their names are read inside each language, so that
    translated names (an institution's, a programme's, a venue's) print in the certificate's language.
    """
    organisers = list(event.organisers.all())
    facilitators = course_selectors.event_facilitators(event)
    trainers = list(event.trainers.order_by("family_name"))
    programme = event.programme
    design = design_for(programme)
    kind = KINDS.get(event.course.certificate_kind, Certificate.Kind.COMPLETION)
    facts = {}
    for language in languages:
        with translation.override(language):
            facts[language] = {
                "kind": kind,
                "language": language,
                "course_title": event.course.title,
                "event_title": event.display_title,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "place": ", ".join(part for part in [event.venue_name, event.city] if part),
                "facilitators": [person.display_name for person in facilitators],
                "organisers": [institution.name for institution in organisers],
                "programme": f"{programme.title} ({programme.code})" if programme else "",
                "funder": programme.funder.name if programme else "",
                **design_snapshot(design, event, trainers),
            }
    return facts


def _snapshot(enrollment, facts, hours, rate):
    """Everything one certificate prints: the event's facts in the participant's language, and the person."""
    user = enrollment.user
    return {
        **facts[user.preferred_language],
        "grammatical_gender": Certificate.Gender.of(user.sex),
        "printed_name": user.get_full_name(),
        "name_other_script": user.name_other_script,
        "credit_hours": hours,
        "attendance_rate": rate,
    }


def _audit_facts(action, certificate, enrollment, actor=None, **details):
    """The holder is whom it is about; the certificate is known by its code (a reason given is free text: not here)."""
    return {"action": action, "actor": actor, "subject": enrollment.user, "target": enrollment.event,
            "code": certificate.code, **details}  # fmt: skip


def _audit(action, certificate, enrollment, actor=None, **details):
    audit_record(**_audit_facts(action, certificate, enrollment, actor, **details))


def certificate_issue(*, enrollment, actor=None, reason=""):
    """Issue the enrollment's certificate, once; returns (certificate, created).

    Automatic issue (no actor) needs a completed enrollment; an administrator may
    issue one by hand to any confirmed participant, with a reason.
    """
    from .tasks import deliver

    enrollment = Enrollment.objects.select_related("user", "event__course", "event__programme__funder").get(
        pk=enrollment.pk
    )
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing:
        return existing, False
    if enrollment.status != Enrollment.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed participant can receive a certificate."))
    if actor is None and not enrollment.completed:
        raise ValidationError(_("This participant has not completed the course."))
    if actor is not None and not reason.strip():
        raise ValidationError(_("Say why this certificate is issued by hand."))
    if enrollment.credit_hours is None or enrollment.attendance_rate is None:
        # Not closed yet (an issue by hand): the figures as they stand today.
        result = dict(course_selectors.event_completions(enrollment.event)).get(enrollment)
        hours, rate = (result.credit_hours, result.rate) if result else (0, 0)
    else:
        hours, rate = enrollment.credit_hours, enrollment.attendance_rate
    facts = _event_facts(enrollment.event, [enrollment.user.preferred_language])
    snapshot = _snapshot(enrollment, facts, hours, rate)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrollment=enrollment, issued_by=actor, issue_reason=reason.strip(), **snapshot
            )
            _audit(Action.CERTIFICATE_ISSUED, certificate, enrollment, actor)
            deliver.delay(certificate.pk, False)
            _discard_zip_after_commit(enrollment.event_id)
    except IntegrityError:
        # Issued at the same moment by another process: theirs stands.
        existing = Certificate.objects.filter(enrollment=enrollment).first()
        if existing is None:
            raise
        return existing, False
    return certificate, True


def _discard_zip_after_commit(event_id):
    """The event's ZIP no longer matches its certificates: forgotten, so that a new one is built."""
    from .exports import zip_discard

    transaction.on_commit(lambda: zip_discard(event_id), robust=True)


def certificates_issue_for_event(*, event):
    """Every completed participant of a closed event gets a certificate (those who have one keep it)."""
    from .tasks import deliver_batch

    if event.course.certificate_kind == Course.CertificateKind.NONE:
        return []
    enrollments = list(
        event.enrollments.filter(
            status=Enrollment.Status.CONFIRMED, completed=True, certificate__isnull=True
        ).select_related("user", "event__course")
    )
    facts = _event_facts(event, {e.user.preferred_language for e in enrollments})
    Certificate.objects.bulk_create(
        [Certificate(enrollment=e, **_snapshot(e, facts, e.credit_hours, e.attendance_rate)) for e in enrollments],
        # One issued at the same moment elsewhere stands; this batch skips it.
        ignore_conflicts=True,
    )
    issued = list(Certificate.objects.filter(enrollment__in=enrollments, email__isnull=True).order_by("pk"))
    holders = {enrollment.pk: enrollment for enrollment in enrollments}
    audit_record_many([_audit_facts(Action.CERTIFICATE_ISSUED, c, holders[c.enrollment_id]) for c in issued])
    ids = [certificate.pk for certificate in issued]
    for start in range(0, len(ids), BATCH):
        deliver_batch.delay(ids[start : start + BATCH])
    if issued:
        _discard_zip_after_commit(event.pk)
    return issued


def certificates_follow_completion(*, event, actor, completed, not_completed, reason=""):
    """An administrator changed the completion of a closed event's participants: certificates follow it.

    Each enrollment now completed gets its certificate (delivered like those issued at closing, when the
    course gives certificates); each one no longer completed has its certificate revoked by `actor`, for
    `reason` or else because the attendance was corrected.
    """
    with transaction.atomic():
        if event.course.certificate_kind != Course.CertificateKind.NONE:
            for enrollment in completed:
                certificate_issue(enrollment=enrollment)
        reason = reason.strip() or _("Attendance corrected")
        for certificate in Certificate.objects.filter(enrollment__in=not_completed, revoked_at__isnull=True):
            certificate_revoke(certificate=certificate, actor=actor, reason=reason)


def certificates_deliver_batch(*, ids, seconds):
    """Render, store and send several certificates, their emails over one SMTP connection; the ids left over.

    Each certificate is its own transaction: its row locked, its PDF stored, its email sent and recorded with
    the outcome, so a batch cut short loses nothing: run again, it sends the rest. An email is marked sent only
    once accepted; a refused one is left to the outbox's retries. No certificate is started after `seconds` (a
    slow mail server): those left are returned for another batch.
    """
    ids = sorted(ids)
    deadline = time.monotonic() + seconds
    connection = get_connection()
    try:
        for done, pk in enumerate(ids):
            if time.monotonic() > deadline:
                return ids[done:]
            status = _certificate_send(pk, connection)
            if status not in (None, OutgoingEmail.Status.SENT):
                connection.close()  # a refused or broken session is not reused
    finally:
        connection.close()
    return []


def _certificate_send(pk, connection):
    """Render if needed and email certificate `pk` now, in one transaction; the email's status (None: no email
    is due, the certificate is revoked, withdrawn or already has one)."""
    with transaction.atomic():
        try:
            certificate = _locked_with_holder(pk)
        except Certificate.DoesNotExist:
            return None
        if certificate.revoked_at or certificate.withdrawn_at or certificate.email_id:
            return None
        fields, contents = ["email"], {}
        if not (certificate.pdf and certificate.sha256):
            content = _rendered(certificate)
            contents[certificate.pdf.name] = content
            fields += ["pdf", "sha256"]
        certificate.email = email_build_templated(**_email(certificate))
        status = outgoing_email_send(email=certificate.email, connection=connection, contents=contents)
        certificate.save(update_fields=fields)
        return status


def _locked_with_holder(pk):
    """Certificate `pk`, its row locked, with what its email needs of the holder: `holder_email` and
    `holder_given_name`. Only the certificate's row is locked: its holder may edit their profile meanwhile."""
    certificate = next(iter(Certificate.objects.raw(_locked_read_sql(), [pk])), None)
    if certificate is None:
        raise Certificate.DoesNotExist
    return certificate


@functools.cache
def _locked_read_sql():
    # Written out once: building it through the ORM took a sending worker 1.2 ms a certificate.
    quote = connection.ops.quote_name
    certificates, enrollments, users = (quote(model._meta.db_table) for model in (Certificate, Enrollment, User))
    lock = " FOR UPDATE OF c" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT c.*, u.email AS holder_email, u.given_name AS holder_given_name FROM {certificates} c "
        f"JOIN {enrollments} e ON e.id = c.enrollment_id JOIN {users} u ON u.id = e.user_id WHERE c.id = %s{lock}"
    )


def _rendered(certificate):
    """Draw the PDF from the snapshot and store it, its SHA-256 on the row (not saved); its bytes."""
    content = certificate_pdf(certificate)
    certificate.sha256 = hashlib.sha256(content).hexdigest()
    certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(content), save=False)
    return content


def _email(certificate):
    """The certificate's email to its holder (read by _locked_with_holder), in its language, the PDF attached from
    storage."""
    with translation.override(certificate.language):
        subject = SUBJECT % {"course": certificate.course_title}
    return {
        "to": certificate.holder_email,
        "template": "certificate",
        "language": certificate.language,
        "subject": subject,
        "context": {"certificate": certificate, "user": {"given_name": certificate.holder_given_name}},
        "stored_attachments": [(f"certificate-{certificate.code}.pdf", certificate.pdf.name, "application/pdf")],
    }


def certificate_render(*, certificate):
    """The certificate with its stored PDF, drawn now if it is missing."""
    if certificate.pdf and certificate.sha256:
        return certificate
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not (certificate.pdf and certificate.sha256):
            _rendered(certificate)
            certificate.save(update_fields=["pdf", "sha256"])
        return certificate


def certificate_deliver(*, certificate, resend=False):
    """Render if needed, then email it through the outbox; never a second email unless `resend`."""
    with transaction.atomic():
        certificate = _locked_with_holder(certificate.pk)
        if certificate.revoked_at or certificate.withdrawn_at or (certificate.email_id and not resend):
            return certificate
        fields = ["email"]
        if not (certificate.pdf and certificate.sha256):
            _rendered(certificate)
            fields += ["pdf", "sha256"]
        certificate.email = email_queue_templated(**_email(certificate))
        certificate.save(update_fields=fields)
        return certificate


def certificate_resend(*, certificate):
    from .tasks import deliver

    if certificate.revoked_at:
        raise ValidationError(_("A revoked certificate is not sent."))
    deliver.delay(certificate.pk, True)


def certificate_reissue(*, certificate, actor, reason):
    """A new PDF marked as a duplicate, same code and identifier; sent again."""
    from .tasks import deliver

    if not reason.strip():
        raise ValidationError(_("Say why the certificate is issued again."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise ValidationError(_("A revoked certificate cannot be issued again."))
        certificate.duplicate_number += 1
        certificate.sha256 = ""
        certificate.pdf = ""
        certificate.issue_reason = "\n".join(
            part for part in [certificate.issue_reason, f"{timezone.now():%Y-%m-%d} {actor}: {reason.strip()}"] if part
        )
        certificate.save(update_fields=["duplicate_number", "sha256", "pdf", "issue_reason"])
        _audit(Action.CERTIFICATE_REISSUED, certificate, certificate.enrollment, actor,
               duplicate=certificate.duplicate_number)  # fmt: skip
        deliver.delay(certificate.pk, True)
        _discard_zip_after_commit(certificate.enrollment.event_id)
    return certificate


def certificate_revoke(*, certificate, actor, reason):
    if not reason.strip():
        raise ValidationError(_("Say why the certificate is revoked."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise ValidationError(_("This certificate is already revoked."))
        certificate.revoked_at, certificate.revoked_by = timezone.now(), actor
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        _audit(Action.CERTIFICATE_REVOKED, certificate, certificate.enrollment, actor)
        _discard_zip_after_commit(certificate.enrollment.event_id)
    return certificate


def certificates_withdraw(*, holder, pseudonym):
    """At the holder's erasure, when they choose it: their certificates say nothing of them any more (the name is
    `pseudonym`) and their PDFs are deleted; verification says they were withdrawn at the holder's request."""
    certificates = list(
        Certificate.objects.select_for_update().select_related("enrollment").filter(enrollment__user=holder)
    )
    now = timezone.now()
    for certificate in certificates:
        stored = certificate.pdf.storage, certificate.pdf.name
        certificate.withdrawn_at = certificate.withdrawn_at or now
        certificate.printed_name, certificate.name_other_script, certificate.pdf = pseudonym, "", ""
        certificate.issue_reason = certificate.revocation_reason = ""
        certificate.save(update_fields=["withdrawn_at", "printed_name", "name_other_script", "pdf", "issue_reason",
                                        "revocation_reason"])  # fmt: skip
        if stored[1]:
            transaction.on_commit(lambda stored=stored: stored[0].delete(stored[1]))
        _discard_zip_after_commit(certificate.enrollment.event_id)
    return len(certificates)


def certificates_requeue_undelivered(*, older_than=None):
    """Hand again to a worker the certificates issued a while ago and still without an email: their task was lost
    with the broker's data.

    A worker that dies gives its tasks back by itself (the broker's visibility timeout), so this waits as long as a
    lost email does (OUTBOX_STUCK_AFTER_SECONDS unless `older_than`): sooner, it would hand over again, at every
    sweep, the certificates of a large closing still waiting their turn in the queue.
    """
    from .tasks import deliver

    if older_than is None:
        older_than = timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    stuck = Certificate.objects.filter(
        email__isnull=True,
        revoked_at__isnull=True,
        withdrawn_at__isnull=True,
        issued_at__lte=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    ids = list(stuck)
    for pk in ids:
        deliver.delay(pk, False)
    return len(ids)
