from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.consents import consenting
from lms.models import Consent, User
from lms.roles import can

from .. import ical, month, schedule, selectors, services
from ..filters import CatalogFilter, EventFilter
from ..models import Course, Enrollment, Event, Facilitator

PAGE_SIZE = 20


def _filters(request, filter_class, queryset):
    filterset = filter_class(request.GET or None, queryset=queryset)
    if filterset.is_bound and not filterset.form.is_valid():
        messages.warning(
            request,
            _("Some filters were not understood and were left out: %(fields)s.")
            % {"fields": ", ".join(str(filterset.form.fields[name].label) for name in filterset.form.errors)},
        )
    return filterset


def catalog(request):
    filterset = _filters(request, CatalogFilter, Course.objects.filter(is_active=True))
    page = selectors.catalog_page(filterset, request.GET.get("page"), PAGE_SIZE)
    selectors.catalog_cards(page.object_list, filterset)
    return render(request, "courses/catalog.html", {"filter": filterset, "page": page})


def course_detail(request, slug):
    course = get_object_or_404(Course.objects.prefetch_related("audiences", "themes"), slug=slug, is_active=True)
    events = selectors.course_events(course)
    return render(request, "courses/course_detail.html", {"course": course, "events": events})


def visible_event(request, pk):
    """The event for its public pages; drafts only for those who manage it."""
    try:
        event = selectors.event_for_page(Event.objects.all(), pk)
    except Event.DoesNotExist:
        raise Http404 from None
    if event.status == Event.Status.DRAFT and not can(request.user, "event.manage", event):
        raise Http404
    return event


def _closed_state(event):
    """A short state for an event nobody can enroll in any more, or None."""
    if event.status == Event.Status.CANCELLED:
        return _("This event was cancelled.")
    if event.status == Event.Status.COMPLETED or event.last_day_ended:
        return _("This event has ended.")
    return None


def event_detail(request, pk):
    event = visible_event(request, pk)
    items = event.agenda_items.all()
    days, total = schedule.agenda_days(event, items)
    daily_hours = schedule.day_spans(event, items)
    user = request.user
    region = event.region if event.region and str(event.region).casefold() != event.city.casefold() else None
    context = {
        "event": event,
        "facilitators": selectors.event_facilitators(event),
        "partners": selectors.event_partners(event),
        "region": region,
        "enrollment_open": event.is_enrollment_open(),
        "closed_state": _closed_state(event),
        "agenda_days": days,
        "total_hours": total,
        "daily_hours": daily_hours,
        "same_daily_hours": len({(start, end) for _day, start, end in daily_hours}) == 1,
        "can_manage": can(user, "event.manage", event),
        "can_change_agenda": can(user, "agenda.change", event),
        "can_see_participants": can(user, "event.participants", event),
        "can_take_attendance": can(user, "attendance.change", event),
        "can_manage_certificates": can(user, "certificates.manage", event),
        "can_close": can(user, "event.close", event),
    }
    if user.is_authenticated:
        context["my_enrollment"] = mine = event.enrollments.filter(user=user).first()
        context["my_attendance"] = list(mine.attendance.all()) if mine else []
        context["ineligibility"] = services.enrollment_ineligibility(user=user, event=event)
    if can(user, "event.participant_list", event):
        context["participant_list"], context["on_participant_list"] = _participant_list(event, user)
    return render(request, "courses/event_detail.html", context)


def _participant_list(event, viewer):
    """The event's other confirmed participants who agreed to appear on its list, and whether `viewer` appears."""
    confirmed = User.objects.filter(enrollments__event=event, enrollments__status=Enrollment.Status.CONFIRMED)
    people = list(consenting(confirmed, Consent.Kind.PARTICIPANT_LIST).select_related("institution"))
    others = [person for person in people if person.pk != viewer.pk]
    return others, len(others) < len(people)


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk):
    event = visible_event(request, pk)
    return _ics_response(ical.calendar_bytes([event], _site_url(request), event.display_title), f"event-{event.pk}.ics")


def calendar_month(request):
    today = timezone.localdate()
    first = today.replace(day=1)
    if "month" in request.GET:
        asked = month.parse_month(request.GET["month"])
        if asked:
            first = asked
        else:
            messages.warning(request, _("That month was not understood; showing the current month."))
    start, end = month.month_bounds(first)
    filterset = _filters(request, EventFilter, Event.objects.listed())
    events = selectors.calendar_events(filterset).filter(end_date__gte=start, start_date__lte=end)
    filters = request.GET.copy()
    filters.pop("month", None)
    weeks = month.month_weeks(first, events, today)
    has_events = any(week.bars for week in weeks)
    context = {
        "filter": filterset,
        "month": first,
        "weeks": weeks,
        "has_events": has_events,
        # Only an empty month looks further, so a month with events costs no extra query.
        "next_event": None if has_events else selectors.next_calendar_event(filterset, end),
        "previous_month": month.shift_month(first, -1),
        "next_month": month.shift_month(first, 1),
        "filter_query": filters.urlencode(),
    }
    return render(request, "courses/calendar.html", context)


def calendar_feed(request):
    filterset = EventFilter(request.GET or None, queryset=Event.objects.listed())
    events = selectors.calendar_events(filterset)
    return _ics_response(ical.calendar_bytes(events, _site_url(request), _("Sinergia training events")), "sinergia.ics")


def facilitator_list(request):
    page = Paginator(selectors.facilitators_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/facilitator_list.html", {"page": page})


def facilitator_detail(request, pk):
    facilitator = get_object_or_404(Facilitator.objects.prefetch_related("themes"), pk=pk)
    context = {"facilitator": facilitator, "events": selectors.facilitator_events(facilitator)}
    return render(request, "courses/facilitator_detail.html", context)
