"""Erasure: a person asks, an administrator confirms or refuses with a reason; erasing replaces who they are with a
pseudonym and keeps what the statistics count, so that no donor figure changes."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from certificates.services import certificates_withdraw
from courses.models import Attendance, EnrollmentLog
from evaluation.models import Invitation
from lms.audit import Action, audit_record
from lms.consents import consent_withdraw
from lms.models import Consent, OutgoingEmail, ProfileChangeRequest, User
from lms.roles import Role, can

from .exports import export_storage
from .models import DataExport, ErasureRequest

ERASED_DOMAIN = "erased.invalid"


def is_erased(person):
    return person.email.endswith(f"@{ERASED_DOMAIN}")


def pseudonym(person):
    """The name an erased person goes by: the same on every page, report and certificate, and no one's."""
    return _("Erased person %(number)d") % {"number": person.pk}


def erasure_request(*, person, requested_by, keep_certificates=True):
    """`person` asks (or an administrator asks for them) to be erased; one request waits at a time."""
    if requested_by != person and not can(requested_by, "privacy.erasure_decide"):
        raise PermissionDenied
    if is_erased(person):
        raise ValidationError(_("This person's data has already been erased."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=person.pk)
        if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.PENDING).exists():
            raise ValidationError(_("An erasure request already waits for an administrator's decision."))
        request = ErasureRequest.objects.create(
            person=person, requested_by=requested_by, keep_certificates=keep_certificates
        )
        audit_record(action=Action.ERASURE_REQUESTED, actor=requested_by, subject=person,
                     keep_certificates=keep_certificates)  # fmt: skip
    return request


def _pending(request, actor):
    if not can(actor, "privacy.erasure_decide"):
        raise PermissionDenied
    request = ErasureRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return request


def erasure_refuse(*, request, actor, reason):
    """Refuse, saying why; the reason is kept with the request (not in the audit log, which keeps no free text)."""
    if not reason.strip():
        raise ValidationError(_("Say why the request is refused."))
    with transaction.atomic():
        request = _pending(request, actor)
        request.status, request.decided_by, request.decided_at = ErasureRequest.Status.REFUSED, actor, timezone.now()
        request.refusal_reason = reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        audit_record(action=Action.ERASURE_REFUSED, actor=actor, subject=request.person)
    return request


def erasure_confirm(*, request, actor):
    """Erase the person as they asked: their certificates kept verifiable, or withdrawn."""
    with transaction.atomic():
        request = _pending(request, actor)
        person_erase(person=request.person, keep_certificates=request.keep_certificates, actor=actor)
        request.status, request.decided_by, request.decided_at = ErasureRequest.Status.CONFIRMED, actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(action=Action.ERASURE_CONFIRMED, actor=actor, subject=request.person,
                     keep_certificates=request.keep_certificates)  # fmt: skip
    return request


def _last_administrator(person):
    administrators = User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).exclude(pk=person.pk)
    is_administrator = person.is_superuser or person.groups.filter(name=Role.ADMINISTRATOR).exists()
    return is_administrator and not administrators.exists()


def person_erase(*, person, keep_certificates=True, actor=None):
    """Replace the person's name (both scripts), email and contact details with a pseudonym, close their account
    and delete the free-text notes about them. What the statistics count stays: sex, profession, institution and
    region, and each enrollment's institution and profession at the time, attendance, hours, certificates, test
    scores; evaluation answers were never theirs by name. Their certificates keep the name printed on them, or,
    if they chose, are withdrawn."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            return person
        if _last_administrator(person):
            raise ValidationError(_("This is the last administrator: give the role to someone else first."))
        former_email = person.email
        name = pseudonym(person)
        person.email = f"erased-{person.pk}@{ERASED_DOMAIN}"
        person.given_name, person.family_name = "", name
        person.name_other_script = person.phone = person.position = ""
        person.is_active = person.is_staff = person.is_superuser = False
        person.set_unusable_password()  # closes every session too: each is bound to the password
        person.save()
        person.groups.set(Group.objects.none())
        EmailAddress.objects.filter(user=person).delete()
        for kind in Consent.Kind:
            consent_withdraw(person=person, kind=kind)
        Authenticator.objects.filter(user=person).delete()
        # Free text written about them.
        Attendance.objects.filter(enrollment__user=person).exclude(note="").update(note="")
        EnrollmentLog.objects.filter(enrollment__user=person).exclude(note="").update(note="")
        ProfileChangeRequest.objects.filter(user=person).update(refusal_reason="")
        Certificate.objects.filter(enrollment__user=person).update(issue_reason="", revocation_reason="")
        Invitation.objects.filter(user=person).exclude(supervisor_email="").update(supervisor_email="")
        # What was written to them: kept as a record that it was sent, without its content.
        OutgoingEmail.objects.filter(to__iexact=former_email).update(
            to=person.email, body_text="", body_html="", attachments=[]
        )
        for export in DataExport.objects.filter(person=person).exclude(file=""):
            _delete_after_commit(export.file)
        DataExport.objects.filter(person=person).delete()
        if not keep_certificates:
            certificates_withdraw(holder=person, pseudonym=name)
    return person


def _delete_after_commit(name):
    transaction.on_commit(lambda: export_storage().delete(name))
