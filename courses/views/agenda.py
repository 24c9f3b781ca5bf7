from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.http import redirect_back, refusal_message, safe_next

from .. import schedule, selectors, services
from ..access import event_for
from ..agenda_pdf import agenda_document
from ..forms import AgendaItemForm, CopyAgendaForm, DuplicateDayForm, FacilitatorForm
from ..models import AgendaItem
from ..services.agenda import agenda_item_place, agenda_next_slot
from .catalog import visible_event


def _agenda_url(event, day=None):
    url = reverse("courses:agenda", args=[event.pk])
    return f"{url}#day-{day.isoformat()}" if day else url


def _event_day(event, value):
    """The event's day named by `value` (YYYY-MM-DD), or None."""
    return next((day for day in event.days if day.isoformat() == value), None)


def _new_session_form(event, day, items, adding, facilitators):
    # Each day's form needs its own ids on the one page; the field names stay the same.
    form = AgendaItemForm(
        instance=AgendaItem(event=event, date=day),
        event=event,
        facilitators=facilitators,
        initial=agenda_next_slot(event=event, day=day, items=items),
        auto_id=f"id_{day.isoformat()}_%s",
    )
    if day == adding:
        form.focus_title()
    return form


@login_required
def agenda_builder(request, pk):
    event = event_for(request, pk, "agenda.change")
    days, total = schedule.agenda_days(event, list(selectors.agenda_items(event)))
    adding = _event_day(event, request.GET.get("add", ""))
    facilitators = list(selectors.facilitators_in_order())
    context = {
        "event": event,
        "days": [
            (day, items, hours, _new_session_form(event, day, items, adding, facilitators))
            for day, items, hours in days
        ],
        "adding": adding,
        "total_hours": total,
        "duplicate_form": DuplicateDayForm(event=event),
        "copy_form": CopyAgendaForm(event=event, user=request.user),
    }
    return render(request, "courses/agenda_builder.html", context)


def _after_save(request, event, item):
    """Back to the agenda, or on to the next session of the same day when asked to add another."""
    if "another" not in request.POST:
        return redirect(_agenda_url(event, item.date))
    if request.POST.get("in_place"):
        return redirect(f"{reverse('courses:agenda', args=[event.pk])}?add={item.date.isoformat()}"
                        f"#day-{item.date.isoformat()}")  # fmt: skip
    return redirect(f"{reverse('courses:agenda_item_new', args=[event.pk])}?day={item.date.isoformat()}")


@login_required
def agenda_item_edit(request, pk, item_pk=None):
    event = event_for(request, pk, "agenda.change")
    initial = None
    if item_pk:
        item = get_object_or_404(AgendaItem, pk=item_pk, event=event)
    else:
        day = _event_day(event, request.GET.get("day", "")) or event.start_date
        item = AgendaItem(event=event, date=day)
        initial = agenda_next_slot(event=event, day=day)
    form = AgendaItemForm(request.POST or None, instance=item, event=event, initial=initial)
    if item_pk is None:
        form.focus_title()
    if request.method == "POST" and form.is_valid():
        try:
            warnings = services.agenda_item_save(
                event=event, item=form.save(commit=False), facilitators=form.cleaned_data["facilitators"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session was saved."))
            for warning in warnings:
                messages.warning(request, warning)
            return _after_save(request, event, item)
    return render(request, "courses/agenda_item_form.html", {"event": event, "form": form, "item": item})


@login_required
def agenda_item_delete(request, pk, item_pk):
    event = event_for(request, pk, "agenda.change")
    item = get_object_or_404(AgendaItem, pk=item_pk, event=event)
    if request.method == "POST":
        services.agenda_item_delete(item=item)
        messages.success(request, _("The session was deleted."))
        return redirect(_agenda_url(event, item.date))
    return render(request, "courses/agenda_item_delete.html", {"event": event, "item": item})


def _agenda_action(request, event, action, success):
    """Run a POSTed agenda change; a refused one says why and changes nothing."""
    try:
        action()
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, success)


@login_required
@require_POST
def agenda_item_move(request, pk, item_pk):
    event = event_for(request, pk, "agenda.change")
    item = get_object_or_404(AgendaItem, pk=item_pk, event=event)
    direction, place = request.POST.get("direction", ""), request.POST.get("to", "")
    if place:  # Dragged to a place of its day (the arrows send a direction instead).
        if not place.isdigit():
            messages.error(request, _("This session cannot move further."))
            return redirect(_agenda_url(event, item.date))
        action = partial(agenda_item_place, item=item, index=int(place))
    else:
        action = partial(services.agenda_item_move, item=item, direction=direction)
    _agenda_action(request, event, action, _("The session was moved."))
    return redirect(_agenda_url(event, item.date))


@login_required
@require_POST
def agenda_day_duplicate(request, pk):
    event = event_for(request, pk, "agenda.change")
    form = DuplicateDayForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose two days of this event."))
        return redirect(_agenda_url(event))
    data = form.cleaned_data
    _agenda_action(
        request,
        event,
        lambda: services.agenda_day_duplicate(
            event=event, source_day=data["source_day"], target_day=data["target_day"]
        ),
        _("The day was copied."),
    )
    return redirect(_agenda_url(event, data["target_day"]))


@login_required
@require_POST
def agenda_copy(request, pk):
    event = event_for(request, pk, "agenda.change")
    form = CopyAgendaForm(request.POST, event=event, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose an earlier event that has an agenda."))
    else:
        _agenda_action(
            request,
            event,
            lambda: services.agenda_copy_from(event=event, source=form.cleaned_data["source"]),
            _("The agenda was copied, its dates shifted to this event."),
        )
    return redirect(_agenda_url(event))


@login_required
def facilitator_create(request, pk):
    """Add an expert to the registry from an agenda, then go back to it."""
    event = event_for(request, pk, "agenda.change")
    form = FacilitatorForm(request.POST or None)
    back = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        facilitator = services.facilitator_create(fields=form.cleaned_data)
        messages.success(request, _("%(name)s was added to the facilitators.") % {"name": facilitator.display_name})
        return redirect_back(request, back, _agenda_url(event))
    return render(request, "courses/facilitator_form.html", {"event": event, "form": form, "next": back})


def agenda_pdf(request, pk):
    event = visible_event(request, pk)
    response = HttpResponse(agenda_document(event, selectors.agenda_items(event)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{event.pk}.pdf"'
    return response
