import io
import re

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import event_for
from courses.models import Enrollment, Programme
from lms import ratelimit
from lms.codes import READABLE_ALPHABET
from lms.export_audit import export_record
from lms.http import posted_text, refusal_message
from lms.roles import can
from lms.storage import stored_file_response

from . import exports, services
from .designs import certificate_design_save, certificate_design_use_default, design_preview
from .forms import DesignForm, PreviewForm, signatory_formset
from .models import Certificate, CertificateDesign
from .pdf import certificate_pdf

VERIFY_LIMIT = 30  # lookups a minute from one address: plenty for people, useless for guessing
# Capital Cyrillic letters drawn exactly as Latin ones of the code alphabet.
CYRILLIC_LOOK_ALIKES = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")
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
    return stored_file_response(certificate.pdf.name, content_type="application/pdf",
                                filename=f"certificate-{certificate.code}.pdf")  # fmt: skip


def normalised_code(typed):
    """A code as typed, the way it is stored: capitals grouped by four. Case, spaces, dashes and Cyrillic
    letters drawn like Latin ones (a Russian keyboard) do not matter. 0, O, 1 and I stay as typed: no code
    has them, and guessing which letter was meant could match someone else's certificate."""
    symbols = re.sub(r"[^0-9A-Z]", "", typed.upper().translate(CYRILLIC_LOOK_ALIKES))
    if len(symbols) != 12:
        return symbols
    return "-".join(symbols[start : start + 4] for start in (0, 4, 8))


def _verification(request, certificate, code=""):
    if ratelimit.hit(f"verify:{get_adapter(request).get_client_ip(request)}", VERIFY_LIMIT, 60):
        return render(request, "certificates/verify.html", {"limited": True, "searched": True}, status=429)
    context = {
        "certificate": certificate,
        "searched": True,
        "code": code,
        "look_alike": any(symbol in code for symbol in "0O1I"),
    }
    return render(request, "certificates/verify.html", context)


def _by_code(request, typed):
    code = normalised_code(typed)
    certificate = Certificate.objects.filter(code=code).first() if CODE_FORMAT.fullmatch(code) else None
    return _verification(request, certificate, code)


def verify_form(request):
    """Anyone types a code here (the PDF's own link and QR code lead to `verify` and `verify_uuid`)."""
    typed = request.GET.get("code", "")[:100]
    if not typed.strip():
        return render(request, "certificates/verify.html")
    return _by_code(request, typed)


def verify(request, code):
    return _by_code(request, code[:100])


def verify_uuid(request, uuid):
    return _verification(request, Certificate.objects.filter(uuid=uuid).first())


@login_required
def event_certificates(request, pk):
    event = event_for(request, pk, "certificates.manage")
    certificates = list(
        Certificate.objects.filter(enrollment__event=event)
        .select_related("enrollment__user", "email", "revoked_by")
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
                if request.POST.get("confirm") != "1" and not certificate.revoked_at:
                    # Revoking cannot be undone: the first POST only shows what it does and asks again.
                    context = {"event": event, "certificate": certificate, "reason": reason}
                    return render(request, "certificates/revoke_confirm.html", context)
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
    path = exports.zip_stored(exports.zip_progress(event))
    if path is None:
        # Not built yet, or discarded since (a certificate was issued or revoked).
        messages.error(request, _("There is no up-to-date ZIP file. Build it and download it once it is ready."))
        return redirect("certificates:event", pk=event.pk)
    export_record(actor=request.user, export="certificates.zip", target=event)
    return stored_file_response(path, content_type="application/zip", filename=f"certificates-{event.pk}.zip")


def _designer(request):
    if not can(request.user, "certificates.design"):
        raise PermissionDenied


@login_required
def designs(request):
    """The default design and each programme's: its own, or the default."""
    _designer(request)
    context = {
        "default": CertificateDesign.objects.filter(programme__isnull=True).first(),
        "programmes": Programme.objects.select_related("certificate_design", "funder").order_by("-starts_on", "code"),
    }
    return render(request, "certificates/designs.html", context)


@login_required
def design_edit(request, pk=None):
    """A design's settings, signatories and images; "Preview" draws a sample certificate without saving."""
    _designer(request)
    programme = get_object_or_404(Programme, pk=pk) if pk is not None else None
    design = CertificateDesign.objects.filter(programme=programme).first() if programme else None
    if design is None and programme is None:
        design = CertificateDesign.objects.filter(programme__isnull=True).first()
    design = design or CertificateDesign(programme=programme)
    form = DesignForm(request.POST or None, request.FILES or None, instance=design)
    signatories = signatory_formset(design, request.POST or None, request.FILES or None)
    preview = PreviewForm(request.POST or None, initial={"preview_language": request.LANGUAGE_CODE})
    if request.method == "POST" and request.POST.get("use_default") and programme is not None:
        certificate_design_use_default(programme=programme, actor=request.user)
        messages.success(request, _("This programme's certificates follow the default design again."))
        return redirect("certificates:designs")
    if request.method == "POST" and form.is_valid() and signatories.is_valid():
        edited = form.save(commit=False)
        signing = [row.save(commit=False) for row in signatories.forms if row.signs]
        if "preview" not in request.POST:
            try:
                certificate_design_save(design=edited, signatories=signing, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The design was saved: certificates issued from now on follow it."))
                return redirect(request.path)
        elif preview.is_valid():
            chosen = preview.cleaned_data
            content = design_preview(design=edited, signatories=signing, language=chosen["preview_language"],
                                     kind=chosen["preview_kind"])  # fmt: skip
            return FileResponse(io.BytesIO(content), content_type="application/pdf", filename="certificate-preview.pdf")
    context = {"form": form, "signatories": signatories, "preview": preview, "programme": programme, "design": design}
    return render(request, "certificates/design_form.html", context)
