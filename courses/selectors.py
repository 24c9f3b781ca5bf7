"""Reads shared by the catalog, the calendar, the feeds and the event pages."""

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from .models import AgendaItem, Event, Facilitator

EVENTS_PER_COURSE = 3


def catalog_courses(filterset):
    """Courses matching the filters, soonest next event first, each with up to three matching events."""
    events = filterset.events(Event.objects.listed())
    courses = filterset.qs.annotate(
        next_start=Subquery(events.filter(course=OuterRef("pk")).order_by("start_date").values("start_date")[:1])
    )
    if filterset.narrows_events:
        courses = courses.filter(next_start__isnull=False)
    shown = events.with_seats().select_related("region").order_by("start_date", "pk")[:EVENTS_PER_COURSE]
    return courses.order_by(F("next_start").asc(nulls_last=True), "title", "pk").prefetch_related(
        "audiences", "themes", Prefetch("events", queryset=shown, to_attr="shown_events")
    )


def calendar_events(filterset):
    return filterset.qs.select_related("course", "region").order_by("start_date", "pk")


def course_events(course):
    """All public events of a course, latest first, with their seats."""
    return course.events.listed().with_seats().select_related("region").order_by("-start_date", "-pk")


def event_for_page(queryset, pk):
    return (
        queryset.with_seats()
        .select_related("course", "programme__funder", "programme__lead_partner", "region")
        .prefetch_related(
            "organisers",
            "partners",
            "programme__partners",
            "course__audiences",
            "course__themes",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("moderator").prefetch_related("facilitators"),
            ),
        )
        .get(pk=pk)
    )


def event_facilitators(event):
    """The experts leading an event's sessions (from its agenda), each once, in order of appearance."""
    seen = {}
    for item in event.agenda_items.all():
        for person in [*item.facilitators.all(), item.moderator]:
            if person is not None:
                seen.setdefault(person.pk, person)
    return list(seen.values())


def facilitator_events(facilitator):
    """The public events where a facilitator leads or moderates a session, latest first."""
    sessions = AgendaItem.objects.filter(Q(facilitators=facilitator) | Q(moderator=facilitator))
    return (
        Event.objects.listed()
        .filter(pk__in=sessions.values("event"))
        .select_related("course", "region")
        .order_by("-start_date", "-pk")
    )


def facilitators_list():
    return Facilitator.objects.prefetch_related("themes").order_by("name")


def agenda_items(event):
    """An event's sessions in order, with their facilitators and moderator."""
    return event.agenda_items.select_related("moderator").prefetch_related("facilitators")
