import io
import re

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import event_for
from courses.models import Enrollment
from lms import ratelimit
from lms.codes import READABLE_ALPHABET
from lms.http import posted_text, refusal_message
from lms.roles import can

from . import exports, services
from .models import Certificate
from .pdf import certificate_pdf

VERIFY_LIMIT = 30  # lookups a minute from one address: plenty for people, useless for guessing
# Anything else is no code: never sent to the database (PostgreSQL refuses a NUL in a query).
CODE_FORMAT = re.compile(rf"[{READABLE_ALPHABET}]{{4}}-[{READABLE_ALPHABET}]{{4}}-[{READABLE_ALPHABET}]{{4}}")


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(enrollment__user=request.user).select_related("enrollment__event")
    return render(request, "certificates/mine.html", {"certificates": certificates})


@login_required
def download(request, uuid):
    """The PDF, for its owner and administrators; anyone else is told it does not exist.

    A revoked certificate is no document to use: its holder is told when and why it was revoked, and
    administrators get a copy marked as revoked (the stored PDF stays as issued).
    """
    certificate = Certificate.objects.filter(uuid=uuid).select_related("enrollment__event").first()
    if certificate is None or not can(request.user, "certificate.download", certificate):
        raise Http404
    if certificate.revoked_at:
        if not can(request.user, "certificates.manage", certificate.enrollment.event):
            return render(request, "certificates/revoked.html", {"certificate": certificate}, status=410)
        return FileResponse(io.BytesIO(certificate_pdf(certificate, revoked=True)), content_type="application/pdf",
                            filename=f"certificate-{certificate.code}-revoked.pdf")  # fmt: skip
    certificate = services.certificate_render(certificate=certificate)
    return FileResponse(certificate.pdf.open("rb"), content_type="application/pdf",
                        filename=f"certificate-{certificate.code}.pdf")  # fmt: skip


def _verification(request, certificate):
    if ratelimit.hit(f"verify:{get_adapter(request).get_client_ip(request)}", VERIFY_LIMIT, 60):
        return render(request, "certificates/verify.html", {"limited": True}, status=429)
    return render(request, "certificates/verify.html", {"certificate": certificate})


def verify(request, code):
    code = code.strip().upper()
    certificate = Certificate.objects.filter(code=code).first() if CODE_FORMAT.fullmatch(code) else None
    return _verification(request, certificate)


def verify_uuid(request, uuid):
    return _verification(request, Certificate.objects.filter(uuid=uuid).first())


@login_required
def event_certificates(request, pk):
    event = event_for(request, pk, "certificates.manage")
    certificates = list(
        Certificate.objects.filter(enrollment__event=event)
        .select_related("enrollment__user", "email")
        .order_by("printed_name")
    )
    holders = {certificate.enrollment_id for certificate in certificates}
    without = (
        event.enrollments.filter(status=Enrollment.Status.CONFIRMED).exclude(pk__in=holders).select_related("user")
    )
    states = [certificate.state for certificate in certificates]
    context = {
        "event": event,
        "certificates": certificates,
        "without": without,
        "counts": {state: states.count(state) for state in ("issued", "sent", "failed", "revoked")},
        "zip_job": exports.zip_progress(event),
    }
    return render(request, "certificates/event.html", context)


@login_required
@require_POST
def certificate_action(request, pk, action):
    event = event_for(request, pk, "certificates.manage")
    reason = posted_text(request, "reason", 1000)
    try:
        if action == "issue":
            enrollment = get_object_or_404(Enrollment, pk=request.POST.get("enrollment") or 0, event=event)
            services.certificate_issue(enrollment=enrollment, actor=request.user, reason=reason)
            done = _("The certificate was issued; it is being sent.")
        else:
            certificate = get_object_or_404(
                Certificate, pk=request.POST.get("certificate") or 0, enrollment__event=event
            )
            if action == "resend":
                services.certificate_resend(certificate=certificate)
                done = _("The certificate is being sent again.")
            elif action == "reissue":
                services.certificate_reissue(certificate=certificate, actor=request.user, reason=reason)
                done = _("A duplicate was issued; it is being sent.")
            elif action == "revoke":
                services.certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
                done = _("The certificate was revoked.")
            else:
                raise Http404
    except ValueError:  # an id that is not a number
        raise Http404 from None
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, done)
    return redirect("certificates:event", pk=event.pk)


@login_required
@require_POST
def zip_start(request, pk):
    event = event_for(request, pk, "certificates.manage")
    exports.zip_start(event)
    messages.success(request, _("The ZIP file is being built."))
    return redirect("certificates:event", pk=event.pk)


@login_required
def zip_download(request, pk):
    event = event_for(request, pk, "certificates.manage")
    job = exports.zip_progress(event)
    archive = exports.zip_open(job) if job and job["state"] == "done" else None
    if archive is None:
        # Not built yet, or discarded since (a certificate was issued or revoked).
        messages.error(request, _("There is no up-to-date ZIP file. Build it and download it once it is ready."))
        return redirect("certificates:event", pk=event.pk)
    return FileResponse(archive, content_type="application/zip", filename=f"certificates-{event.pk}.zip")
