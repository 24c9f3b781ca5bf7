"""Reads shared by the catalog, the calendar, the feeds and the event pages."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.utils.translation import get_language

from lms.collation import Collated
from lms.roles import Role, has_role, is_administrator

from . import schedule
from .completion import completion
from .models import AgendaItem, AnnualTarget, Course, Enrollment, Event, Facilitator

EVENTS_PER_COURSE = 3
# What a catalog card shows of an event and its cache key reads: the rest (texts in three
# languages) stays in the database.
CARD_EVENT_FIELDS = ["course", "start_date", "end_date", "city", "region__name", "format", "working_language",
                     "status", "capacity", "enrollment_opens_at", "enrollment_closes_at", "updated_at"]  # fmt: skip


def catalog_courses(filterset):
    """Courses matching the filters, soonest next event first (pages: catalog_page(); cards: catalog_cards())."""
    events = filterset.matching_events
    courses = filterset.qs.annotate(
        next_start=Subquery(events.filter(course=OuterRef("pk")).order_by("start_date").values("start_date")[:1])
    )
    if filterset.narrows_events:
        # Exists stops at a course's first matching event; a filter on next_start would run its subquery again.
        courses = courses.filter(Exists(events.filter(course=OuterRef("pk"))))
    return courses.defer("objectives").order_by(F("next_start").asc(nulls_last=True), "title", "pk")


def catalog_page(filterset, number, per_page):
    """The page `number` of catalog_courses(), as Paginator.get_page() gives it.

    The page's query counts the matching courses too, so a page in range costs one query instead of two (a page out
    of range is left to the paginator). Courses narrowed by their events are counted as they are read (a window
    over them); others are counted again in a subquery, cheaper than a window, which keeps every course's row where
    sorting for the page keeps only the page's.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    courses = catalog_courses(filterset)
    if number >= 1:
        if filterset.narrows_events:
            matching = Window(Count("pk"))
        else:  # COUNT as a plain function: Count would group the subquery by course, one row each
            matching = Subquery(filterset.qs.order_by().annotate(n=Func("pk", function="COUNT")).values("n"))
        rows = list(courses.annotate(matching=matching)[(number - 1) * per_page : number * per_page])
        if rows or number == 1:
            paginator = Paginator(courses, per_page)
            paginator.count = rows[0].matching if rows else 0
            return Page(rows, number, paginator)
    return Paginator(courses, per_page).get_page(number)


def catalog_cards(courses, filterset):
    """Attach each course's cached card (or None); read the events, audiences and themes only for cards to draw.

    A card shows up to three matching events. Its key (the one the template's {% cache %} tag uses for the same
    card) holds what the card shows of them, read as plain rows: building the events is left to the cards drawn.
    The filter form's cache entries are read in the same cache call.
    """
    courses = list(courses)
    shown = filterset.matching_events.with_seats().order_by("start_date", "pk")
    rows = (
        shown.filter(course__in=[course.pk for course in courses])
        .annotate(rank=Window(RowNumber(), partition_by=F("course"), order_by=[F("start_date"), F("pk")]))
        .filter(rank__lte=EVENTS_PER_COURSE)
    )
    versions = {}
    for course_pk, pk, updated_at, status, confirmed in rows.values_list(
        "course", "pk", "updated_at", "status", "confirmed_count"
    ):
        versions.setdefault(course_pk, []).append(f"{pk}:{updated_at.timestamp()}:{status}:{confirmed}")
    language = get_language()
    keys = {}
    for course in courses:
        course.card_version = ",".join(versions.get(course.pk, []))
        keys[course.pk] = make_template_fragment_key(
            "catalog_card", [language, course.pk, course.updated_at.timestamp(), course.card_version]
        )
    form_keys = filterset.drawn_fields_keys
    cached = cache.get_many([*keys.values(), *form_keys])
    filterset.drawn_fields_cached = {key: cached[key] for key in form_keys if key in cached}
    for course in courses:
        course.cached_card = cached.get(keys[course.pk])
    to_draw = [course for course in courses if course.cached_card is None]
    if to_draw:
        shown = shown.select_related("region").only(*CARD_EVENT_FIELDS)[:EVENTS_PER_COURSE]
        prefetch_related_objects(
            to_draw, Prefetch("events", queryset=shown, to_attr="shown_events"), "audiences", "themes"
        )
    return courses


def calendar_events(filterset):
    return filterset.qs.select_related("course", "region").order_by("start_date", "pk")


def next_calendar_event(filterset, after):
    """The first event the calendar's filters show after a day, or None."""
    return calendar_events(filterset).filter(start_date__gt=after).first()


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


def event_partners(event):
    """The event's partners, then its programme's, each once; organisers and the lead partner are named elsewhere."""
    programme = event.programme
    named = {institution.pk for institution in event.organisers.all()}
    if programme and programme.lead_partner_id:
        named.add(programme.lead_partner_id)
    partners = {}
    for institution in [*event.partners.all(), *(programme.partners.all() if programme else [])]:
        if institution.pk not in named:
            partners.setdefault(institution.pk, institution)
    return list(partners.values())


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


def events_managed_by(user):
    """The events `user` may manage (rule "event.manage"): all for administrators, their own for trainers."""
    if is_administrator(user):
        return Event.objects.all()
    if has_role(user, Role.TRAINER):
        return user.trained_events.all()
    return Event.objects.none()


def facilitators_in_order():
    return Facilitator.objects.order_by(Collated("name"), "pk")


def facilitators_list():
    return facilitators_in_order().prefetch_related("themes")


def agenda_items(event):
    """An event's sessions in order, with their facilitators and moderator."""
    return event.agenda_items.select_related("moderator").prefetch_related("facilitators")


def my_enrollments(user):
    """A participant's enrollments, soonest event first, with what "My trainings" shows."""
    return (
        user.enrollments.select_related("event__course", "event__region", "certificate")
        .annotate(agenda_size=Count("event__agenda_items", distinct=True))
        .order_by("event__start_date", "pk")
    )


# People by family name, then given name, in the alphabetical order of the page's language.
BY_NAME = [Collated("user__family_name"), Collated("user__given_name"), "pk"]


def event_enrollments(event):
    """By status; the waiting list in its order, everyone else by name."""
    waiting_since = Case(When(status=Enrollment.Status.WAITLISTED, then=F("waitlisted_at")))
    return event.enrollments.select_related("user", "institution").order_by("status", waiting_since, *BY_NAME)


def enrollment_counts(event):
    """{status: how many} for one event, every status present."""
    counts = dict(event.enrollments.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Enrollment.Status.values}


def pending_endorsements(institution):
    """Requests made from an institution that await its focal point."""
    return (
        Enrollment.objects.filter(institution=institution, status=Enrollment.Status.REQUESTED, awaits_endorsement=True)
        .select_related("user", "event__course")
        .order_by("event__start_date", "event_id", *BY_NAME)
    )


def day_hours(event):
    """Scheduled hours of each day of an event, from its agenda."""
    hours, _total = schedule.scheduled_hours(event, event.agenda_items.all())
    return hours


def event_completions(event):
    """[(confirmed enrollment, Completion)] of an event, computed from its attendance in three queries."""
    enrollments = list(
        event.enrollments.filter(status=Enrollment.Status.CONFIRMED)
        .select_related("user__institution", "institution")
        .prefetch_related("attendance")
        .order_by(*BY_NAME)
    )
    hours = day_hours(event)
    return [
        (e, completion(event.course, event.days, hours, {a.date: a.status for a in e.attendance.all()}))
        for e in enrollments
    ]


@dataclass
class YearRecord:
    year: int
    enrollments: list = field(default_factory=list)
    specialised_hours: Decimal = Decimal(0)
    general_hours: Decimal = Decimal(0)

    @property
    def total_hours(self):
        return self.specialised_hours + self.general_hours


def attendance_rows(event, institution=None):
    """[(enrollment, Completion, [(day, Attendance or None)])] of an event's confirmed participants.

    With `institution`, only those who asked from that institution (what its focal point may see).
    """
    rows = []
    for enrollment, result in event_completions(event):
        if institution is not None and enrollment.institution_id != institution.pk:
            continue
        marks = {mark.date: mark for mark in enrollment.attendance.all()}
        rows.append((enrollment, result, [(day, marks.get(day)) for day in event.days]))
    return rows


def training_record(user):
    """{year: YearRecord} of the closed events a person attended, hours split by credit category."""
    records = {}
    enrollments = (
        user.enrollments.filter(status=Enrollment.Status.CONFIRMED, event__status=Event.Status.COMPLETED)
        .select_related("event__course")
        .order_by("event__start_date")
    )
    for enrollment in enrollments:
        record = records.setdefault(enrollment.event.start_date.year, YearRecord(enrollment.event.start_date.year))
        record.enrollments.append(enrollment)
        hours = enrollment.credit_hours or Decimal(0)
        if enrollment.event.course.credit_category == Course.CreditCategory.SPECIALISED:
            record.specialised_hours += hours
        else:
            record.general_hours += hours
    return records


def annual_target(user):
    return AnnualTarget.objects.filter(profession=user.profession).first() if user.profession else None


@dataclass
class ClosingSummary:
    confirmed: int
    completed: int
    certificates: int  # to be sent at closing


def event_closing_summary(event):
    """What closing an event records and sends: certificates go to those who completed and hold none yet."""
    completions = event_completions(event)
    completed = [enrollment.pk for enrollment, result in completions if result.completed]
    certificates = 0
    if completed and event.course.certificate_kind != Course.CertificateKind.NONE:
        # Through the reverse relation: courses may not import certificates.
        certificates = Enrollment.objects.filter(pk__in=completed, certificate__isnull=True).count()
    return ClosingSummary(len(completions), len(completed), certificates)
