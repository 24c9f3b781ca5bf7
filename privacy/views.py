from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lms.forms import RefusalForm
from lms.http import refusal_message
from lms.models import User
from lms.roles import can
from lms.storage import stored_file_response

from . import erasure, exports
from .forms import ErasureRequestForm
from .models import DataExport, ErasureRequest, RetentionRun
from .records import processing_records, run_result


def _person(request, pk):
    """The signed-in person, or (for an administrator answering a request) the one named."""
    person = request.user if pk is None else get_object_or_404(User, pk=pk)
    if not can(request.user, "privacy.export", person):
        raise PermissionDenied
    return person


@login_required
@never_cache
def my_data(request, pk=None):
    """A person's copies of their data and their erasure request; an administrator's view of someone's."""
    person = _person(request, pk)
    if request.method == "POST" and "export" in request.POST:
        exports.data_export_request(person=person, requested_by=request.user)
        messages.success(request, _("Your copy is being prepared. We email you when it is ready."))
        return redirect(request.path)
    form = ErasureRequestForm(request.POST if "erase" in request.POST else None)
    if form.is_valid():
        try:
            erasure.erasure_request(person=person, requested_by=request.user,
                                    keep_certificates=form.cleaned_data["keep_certificates"])  # fmt: skip
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("Your request is sent. An administrator decides on it; we write to you."))
        return redirect(request.path)
    context = {
        "person": person,
        "copies": DataExport.objects.filter(person=person, requested_by=request.user),
        "erasures": ErasureRequest.objects.filter(person=person),
        "form": form,
    }
    return render(request, "privacy/my_data.html", context)


@login_required
def download(request, uuid):
    try:
        export = exports.data_export_for_download(uuid=uuid, user=request.user)
    except ValidationError as error:
        return render(request, "privacy/unavailable.html", {"message": error.messages[0]}, status=410)
    return stored_file_response(
        export.file,
        storage=exports.export_storage(),
        content_type="application/zip",
        as_attachment=True,
        filename=f"sinergia-my-data-{export.requested_at:%Y-%m-%d}.zip",
    )


@login_required
def erasure_requests(request):
    """Erasure requests for administrators to decide."""
    if not can(request.user, "privacy.erasure_decide"):
        raise PermissionDenied
    pending = ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).select_related("person")
    return render(request, "privacy/erasure_requests.html", {"pending": pending})


@login_required
@require_POST
def erasure_decide(request, pk, decision):
    if not can(request.user, "privacy.erasure_decide") or decision not in ("confirm", "refuse"):
        raise PermissionDenied
    asked = get_object_or_404(ErasureRequest, pk=pk)
    try:
        if decision == "confirm":
            erasure.erasure_confirm(request=asked, actor=request.user)
            messages.success(request, _("Erased: the person's name and contact details are gone."))
        else:
            form = RefusalForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            erasure.erasure_refuse(request=asked, actor=request.user, reason=reason)
            messages.success(request, _("Refused; the reason is kept with the request."))
    except ValidationError as error:
        refusal_message(request, error)
    return redirect("privacy:erasure_requests")


@login_required
def records(request):
    """The records of processing, with the retention periods as configured and what their last run did."""
    if not can(request.user, "privacy.records"):
        raise PermissionDenied
    run = RetentionRun.objects.first()
    report = run.report if run else {}
    rows = [(record, run_result(record, report)) for record in processing_records()]
    return render(request, "privacy/records.html", {"rows": rows, "run": run})
