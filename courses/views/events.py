"""Administrators' pages for an event's life: create, edit, clone, publish, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.http import refusal_message
from lms.roles import can

from .. import services
from ..access import event_for
from ..forms import EventCloneForm, EventForm
from ..models import Enrollment


def _add_errors(form, error):
    """A service's refusal, shown next to the field it names when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _event_form(request, event=None):
    """Create (no `event`) or edit an event: the form, then the service, then back to the event."""
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        settings = {"fields": form.event_fields(), "trainers": form.cleaned_data["trainers"],
                    "organisers": form.cleaned_data["organisers"], "actor": request.user}  # fmt: skip
        try:
            if event is None:
                saved = services.event_create(**settings)
                done = _("The event was created as a draft. Build its agenda, then publish it.")
            else:
                saved = services.event_update(event=event, **settings)
                done = _("The event was saved.")
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(saved)
    return render(request, "courses/event_form.html", {"form": form, "event": event})


@login_required
def event_new(request):
    if not can(request.user, "event.create"):
        raise PermissionDenied
    return _event_form(request)


@login_required
def event_edit(request, pk):
    return _event_form(request, event_for(request, pk, "event.change"))


@login_required
def event_clone(request, pk):
    event = event_for(request, pk, "event.change")
    form = EventCloneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clone = services.event_clone(event=event, start_date=form.cleaned_data["start_date"], actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("A draft copy was made on the new dates, with the agenda. Check it, then publish it.")
            )
            return redirect(clone)
    return render(request, "courses/event_form.html", {"form": form, "event": event, "cloning": True})


@login_required
@require_POST
def event_publish(request, pk):
    event = event_for(request, pk, "event.change")
    try:
        services.event_publish(event=event)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("The event is published: it is in the catalog and the calendar."))
    return redirect(event)


@login_required
def event_cancel(request, pk):
    """Ask first: cancelling cancels every enrollment and tells each person."""
    event = event_for(request, pk, "event.change")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.event_cancel(event=event, actor=request.user)
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("The event was cancelled; everyone enrolled is being told."))
        return redirect(event)
    active = event.enrollments.filter(status__in=Enrollment.ACTIVE).count()
    return render(request, "courses/event_cancel.html", {"event": event, "active": active})
