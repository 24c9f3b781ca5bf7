from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.export_audit import export_record
from lms.http import redirect_back, refusal_message, safe_next
from lms.roles import can
from lms.spreadsheets import csv_response

from .. import selectors, services, transitions
from ..access import event_for
from ..filters import ParticipantFilter
from ..forms import NominationForm, NoteForm
from ..models import Enrollment
from .catalog import visible_event

# The workflow's actions (courses/transitions.py says who may take them) and their services.
DECISIONS = {
    "approve": services.enrollment_approve,
    "decline": services.enrollment_decline,
    "promote": services.enrollment_promote,
    "endorse": services.enrollment_endorse,
    "endorse-decline": services.enrollment_endorsement_decline,
    "cancel": services.enrollment_cancel,
}


STATUS_MESSAGES = {
    Enrollment.Status.CONFIRMED: gettext_lazy("You are enrolled: your seat is confirmed. We sent you an email."),
    Enrollment.Status.WAITLISTED: gettext_lazy(
        "The event is full: you are on the waiting list. We will tell you when a seat frees."
    ),
    Enrollment.Status.REQUESTED: gettext_lazy("Your request was sent. We will write to you when it has been reviewed."),
}


@login_required
@require_POST
def enroll(request, pk):
    event = visible_event(request, pk)
    try:
        enrollment = services.enrollment_request(user=request.user, event=event)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, STATUS_MESSAGES[enrollment.status])
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def decide(request, enrollment_pk, action):
    """One decision on one enrollment, by someone allowed; a stale or forged one changes nothing."""
    if action not in DECISIONS:
        raise Http404
    enrollment = get_object_or_404(Enrollment.objects.select_related("event", "user"), pk=enrollment_pk)
    if not transitions.concerns(request.user, enrollment, action):
        raise PermissionDenied
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    # Cancelling cannot be undone: a first POST without confirm=1 only shows what will happen. A cancel that
    # would be refused goes straight on, to be told why.
    if action == "cancel" and request.POST.get("confirm") != "1" and can(request.user, "enrollment.cancel", enrollment):
        return _cancel_confirmation(request, enrollment, note)
    try:
        DECISIONS[action](enrollment=enrollment, actor=request.user, note=note)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, transitions.ACTIONS[action].done)
    return redirect_back(request, request.POST.get("next"), enrollment.event.get_absolute_url())


def _cancel_confirmation(request, enrollment, note):
    event = enrollment.event
    context = {
        "enrollment": enrollment,
        "event": event,
        "note": note,
        "own": request.user.pk == enrollment.user_id,
        "needs_reason": transitions.needs_reason(enrollment),
        "held_seat": enrollment.status == Enrollment.Status.CONFIRMED,
        "people_waiting": selectors.enrollment_counts(event)[Enrollment.Status.WAITLISTED],
        "next": safe_next(request, request.POST.get("next")) or event.get_absolute_url(),
    }
    return render(request, "courses/enrollment_cancel_confirm.html", context)


@login_required
def my_trainings(request):
    today = timezone.localdate()
    enrollments = list(selectors.my_enrollments(request.user))
    context = {
        "upcoming": [e for e in enrollments if e.event.end_date >= today],
        "past": [e for e in enrollments if e.event.end_date < today],
    }
    return render(request, "courses/my_trainings.html", context)


@login_required
def participants(request, pk):
    event = event_for(request, pk, "event.participants")
    filterset = ParticipantFilter(request.GET or None, queryset=selectors.event_enrollments(event))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "filter": filterset,
        "page": page,
        "counts": selectors.enrollment_counts(event),
        "nomination_form": NominationForm() if can(request.user, "event.nominate", event) else None,
    }
    return render(request, "courses/participants.html", context)


@login_required
def participants_csv(request, pk):
    event = event_for(request, pk, "event.participants")
    filterset = ParticipantFilter(request.GET or None, queryset=selectors.event_enrollments(event))
    header = [_("Family name"), _("Given name"), _("Name in the other script"), _("Email"), _("Profession"),
              _("Position"), _("Institution"), _("Status"), _("Requested at")]  # fmt: skip
    rows = (
        [enrollment.user.family_name, enrollment.user.given_name, enrollment.user.name_other_script,
         enrollment.user.email, enrollment.get_profession_display(), enrollment.user.position,
         enrollment.institution or "", enrollment.get_status_display(),
         timezone.localtime(enrollment.created_at).strftime("%Y-%m-%d %H:%M")]
        for enrollment in filterset.qs
    )  # fmt: skip
    export_record(actor=request.user, export="participants.csv", target=event, filterset=filterset)
    return csv_response(f"participants-{event.pk}", header, rows)


@login_required
@require_POST
def nominate(request, pk):
    event = event_for(request, pk, "event.nominate")
    form = NominationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["emails"]))
        return redirect("courses:participants", pk=event.pk)
    try:
        enrolled, problems = services.enrollment_nominate(
            event=event, emails=form.cleaned_data["emails"], actor=request.user
        )
    except ValidationError as error:
        refusal_message(request, error)
        return redirect("courses:participants", pk=event.pk)
    if enrolled:
        messages.success(
            request, _("Nominated: %(names)s.") % {"names": ", ".join(e.user.get_full_name() for e in enrolled)}
        )
    for problem in problems:
        messages.warning(request, problem)
    return redirect("courses:participants", pk=event.pk)


@login_required
def endorsements(request):
    if not can(request.user, "endorsements.view"):
        raise PermissionDenied
    # Their own requests are endorsed by nobody: another focal point or an administrator decides.
    pending = selectors.pending_endorsements(request.user.institution).exclude(user=request.user)
    return render(request, "courses/endorsements.html", {"pending": pending, "institution": request.user.institution})
