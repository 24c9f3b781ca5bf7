"""A copy of everything Sinergia holds about a person: a ZIP a worker builds (data.json, a readable summary, the
certificates' PDFs), offered for a while to whoever asked for it, and to no one else."""

import json
import tempfile
import zipfile
from datetime import timedelta
from pathlib import PurePosixPath
from secrets import token_hex

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Certificate
from certificates.services import certificate_render
from courses.models import Attendance, Enrollment
from evaluation.models import TestAttempt
from lms.audit import Action, audit_record
from lms.models import AuditEntry, ProfileChangeRequest
from lms.roles import can
from lms.services import email_queue_templated
from lms.storage import stored_file_open

from .models import DataExport

READY_SUBJECT = gettext_lazy("Your copy of your personal data is ready")
# A copy still being prepared this long after it was asked for lost its worker: the task is acknowledged when it
# starts (lms/settings.py), so no other worker takes it up. It counts as failed; asking again prepares a new one.
LOST_AFTER = timedelta(minutes=10)
PROFILE_FIELDS = ["email", "given_name", "family_name", "name_other_script", "sex", "profession", "position",
                  "institution", "region", "phone", "preferred_language", "date_joined", "last_login"]  # fmt: skip


def export_storage():
    return default_storage


def data_export_request(*, person, requested_by):
    """Ask a worker for a copy of `person`'s data, for `requested_by` (the person, or an administrator for them).
    Asking again while one is being prepared gives that one, unless it was lost (LOST_AFTER): then a new one."""
    from .tasks import data_export_build

    if not can(requested_by, "privacy.export", person):
        raise PermissionDenied
    with transaction.atomic():
        asked = DataExport.objects.filter(person=person, requested_by=requested_by)
        data_exports_lost_fail(exports=asked)
        pending = asked.filter(status=DataExport.Status.PENDING).first()
        if pending is not None:
            return pending
        pending = DataExport.objects.create(person=person, requested_by=requested_by)
        audit_record(action=Action.DATA_EXPORTED, actor=requested_by, subject=person, target=_("My data"),
                     export="my_data")  # fmt: skip
        data_export_build.delay(pending.pk)
    return pending


def data_exports_lost_fail(*, exports=None):
    """Mark failed the copies still being prepared LOST_AFTER after they were asked for (of `exports`, or all): the
    page then says so, and offers to prepare a new one. The count marked."""
    exports = DataExport.objects.all() if exports is None else exports
    lost = exports.filter(status=DataExport.Status.PENDING, requested_at__lte=timezone.now() - LOST_AFTER)
    return lost.update(status=DataExport.Status.FAILED)


def data_export_for_download(*, uuid, user, now=None):
    """The ready copy `user` asked for, or a clear refusal: someone else's, not ready, or expired."""
    export = DataExport.objects.filter(uuid=uuid).first()
    if export is None or export.requested_by_id != user.pk:
        raise PermissionDenied
    if export.status != DataExport.Status.READY:
        raise ValidationError(_("This copy is not ready yet."))
    if (now or timezone.now()) >= export.expires_at:
        raise ValidationError(_("This link has expired: prepare a new copy."))
    return export


def _profile(person):
    profile = {name: getattr(person, name) for name in PROFILE_FIELDS}
    profile["institution"] = str(person.institution or "")
    profile["region"] = str(person.region or "")
    profile["roles"] = sorted(person.groups.values_list("name", flat=True))
    return profile


def _enrollments(person):
    enrollments = Enrollment.objects.filter(user=person).select_related("event__course", "institution")
    marks = {}
    for mark in Attendance.objects.filter(enrollment__user=person).order_by("date"):
        marks.setdefault(mark.enrollment_id, []).append({"day": mark.date, "status": mark.status, "note": mark.note})
    found = []
    for e in enrollments.prefetch_related("log").order_by("event__start_date", "pk"):
        found.append({
            "event": e.event.display_title, "first_day": e.event.start_date, "last_day": e.event.end_date,
            "status": e.status, "institution_at_the_time": str(e.institution or ""),
            "profession_at_the_time": e.profession, "attendance_rate": e.attendance_rate,
            "credit_hours": e.credit_hours, "completed": e.completed, "attendance": marks.get(e.pk, []),
            "log": [{"at": step.created_at, "action": step.action, "note": step.note} for step in e.log.all()],
        })  # fmt: skip
    return found


def _certificates(person):
    return [
        {"code": c.code, "kind": c.kind, "printed_name": c.printed_name, "course": c.course_title,
         "first_day": c.start_date, "last_day": c.end_date, "credit_hours": c.credit_hours,
         "issued_at": c.issued_at, "revoked_at": c.revoked_at, "withdrawn_at": c.withdrawn_at,
         "verification": c.verification_url}
        for c in Certificate.objects.filter(enrollment__user=person).order_by("issued_at", "pk")
    ]  # fmt: skip


def person_data(person):
    """Everything held about `person`, as JSON-ready data."""
    attempts = TestAttempt.objects.filter(enrollment__user=person).select_related("enrollment__event__course")
    entries = AuditEntry.objects.filter(subject=person).select_related("actor").order_by("at", "pk")
    changes = ProfileChangeRequest.objects.filter(user=person).select_related("institution")
    return {
        "profile": _profile(person),
        "enrollments": _enrollments(person),
        "certificates": _certificates(person),
        "knowledge_tests": [
            {
                "event": a.enrollment.event.display_title,
                "phase": a.phase,
                "score": a.score,
                "submitted_at": a.submitted_at,
            }
            for a in attempts.order_by("submitted_at", "pk")
        ],  # fmt: skip
        "profile_change_requests": [
            {
                "asked_at": c.created_at,
                "institution": str(c.institution or ""),
                "profession": c.profession,
                "status": c.status,
                "refusal_reason": c.refusal_reason,
            }
            for c in changes
        ],  # fmt: skip
        "privacy_notices_accepted": [
            {"version": a.notice.version, "accepted_at": a.accepted_at}
            for a in person.notice_acceptances.select_related("notice").order_by("accepted_at")
        ],
        "consents": [
            {"kind": c.kind, "given_at": c.given_at, "withdrawn_at": c.withdrawn_at}
            for c in person.consents.order_by("given_at")
        ],
        "audit_entries": [
            {
                "at": e.at,
                "action": e.action,
                "by": e.actor.get_full_name() if e.actor else "",
                "about": e.target,
                "details": e.details,
            }
            for e in entries
        ],  # fmt: skip
        "evaluation": _(
            "Questionnaire answers are kept without the name of who gave them: none can be told apart "
            "as yours, so none is part of this copy."
        ),
    }


def _write_zip(target, person, data):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        with translation.override(person.preferred_language):
            archive.writestr("summary.html", render_to_string("privacy/summary.html", {"person": person, **data}))
        for certificate in Certificate.objects.filter(enrollment__user=person, withdrawn_at__isnull=True):
            certificate = certificate_render(certificate=certificate)
            with stored_file_open(certificate.pdf.name) as pdf:
                archive.writestr(f"certificates/certificate-{certificate.code}.pdf", pdf.read())


def data_export_build(export_id):
    """Build the ZIP, store it under an unguessable name and tell whoever asked; a failure is recorded."""
    export = DataExport.objects.select_related("person", "requested_by").get(pk=export_id)
    if export.status != DataExport.Status.PENDING:
        return export
    person = export.person
    try:
        with tempfile.TemporaryFile() as target:
            _write_zip(target, person, person_data(person))
            target.seek(0)
            name = str(PurePosixPath("privacy", "exports", f"{token_hex(16)}.zip"))
            stored = export_storage().save(name, File(target))
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED)
        raise
    export.file, export.status = stored, DataExport.Status.READY
    export.expires_at = timezone.now() + timedelta(days=settings.PRIVACY_EXPORT_DAYS)
    export.save(update_fields=["file", "status", "expires_at"])
    reader = export.requested_by
    email_queue_templated(
        to=reader.email, template="data_export_ready", language=reader.preferred_language, subject=READY_SUBJECT,
        context={"user": reader, "person": person, "expires_at": export.expires_at,
                 "link": settings.SITE_URL + _page(person, reader)},
    )  # fmt: skip
    return export


def _page(person, reader):
    """Where `reader` finds their copies of `person`'s data."""
    return reverse("privacy:my_data") if person == reader else reverse("privacy:person_data", args=[person.pk])


def data_exports_expired_delete(now=None):
    """Delete the stored copies whose time is over (the retention task calls it); the count deleted."""
    expired = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now or timezone.now())
    count = 0
    for export in expired:
        export_storage().delete(export.file)
        export.delete()
        count += 1
    return count
