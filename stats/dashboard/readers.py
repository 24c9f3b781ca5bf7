"""What each role's dashboard shows: a few constant-count queries per role, whatever the number of rows."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from certificates.models import Certificate
from courses import selectors
from courses.models import Attendance, Enrollment, Event
from evaluation.knowledge import knowledge_tests_open
from evaluation.trainer_reports import reports_to_write
from lms.models import OutgoingEmail, ProfileChangeRequest
from privacy.models import ErasureRequest

NEXT_TRAININGS = 5
NEW_CERTIFICATE_DAYS = 30
LONG_WAITING_LIST = 5
ROWS = 10  # a dashboard points to work; the full lists are a click away


def participant_blocks(user, today):
    upcoming = list(
        user.enrollments.filter(status__in=Enrollment.ACTIVE, event__end_date__gte=today)
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event__course")
        .order_by("event__start_date", "pk")[:NEXT_TRAININGS]
    )
    year = today.year
    record = selectors.training_record(user).get(year)
    return {
        "upcoming": upcoming,
        # Soonest first, so every running event is among the first rows read.
        "check_in_today": [
            e
            for e in upcoming
            if e.status == Enrollment.Status.CONFIRMED
            and e.event.status == Event.Status.PUBLISHED
            and e.event.start_date <= today
        ],
        "new_certificates": list(
            Certificate.objects.filter(
                enrollment__user=user,
                revoked_at__isnull=True,
                issued_at__gte=timezone.now() - timedelta(days=NEW_CERTIFICATE_DAYS),
            ).order_by("-issued_at")
        ),
        "knowledge_tests": knowledge_tests_open(user)[:ROWS],
        "year": year,
        "hours": record.total_hours if record else 0,
        "target": selectors.annual_target(user),
    }


def unmarked_days(events, today):
    """{event pk: [past days without any mark]} of published events with confirmed people."""
    started = [e for e in events if e.status == Event.Status.PUBLISHED and e.confirmed and e.start_date < today]
    marked = set(
        Attendance.objects.filter(enrollment__event__in=started).values_list("enrollment__event_id", "date").distinct()
    )
    return {
        event.pk: days
        for event in started
        if (days := [day for day in event.days if day < today and (event.pk, day) not in marked])
    }


def trainer_blocks(user, today):
    events = list(
        user.trained_events.filter(status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED])
        .select_related("course")
        .annotate(
            agenda_size=Count("agenda_items", distinct=True),
            confirmed=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.CONFIRMED), distinct=True),
        )
        .order_by("start_date", "pk")
    )
    unmarked = unmarked_days(events, today)
    for event in events:
        event.unmarked_days = unmarked.get(event.pk, [])
    published = [e for e in events if e.status == Event.Status.PUBLISHED]
    return {
        "today": [e for e in published if e.start_date <= today <= e.end_date],
        "empty_agendas": [e for e in events if not e.agenda_size and e.end_date >= today][:ROWS],
        "unmarked": [e for e in events if e.unmarked_days][:ROWS],
        "to_close": [e for e in published if e.last_day_ended][:ROWS],
        "reports": list(reports_to_write(user, today)[:ROWS]),
    }


def focal_point_blocks(user):
    return {"endorsements_waiting": selectors.pending_endorsements(user.institution).exclude(user=user).count()}


def administrator_blocks(today):
    events = Event.objects.select_related("course").order_by("start_date", "pk")
    waiting = Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.REQUESTED))
    waitlisted = Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED))
    return {
        "requests": list(events.annotate(waiting=waiting).filter(waiting__gt=0)[:ROWS]),
        "profile_changes": ProfileChangeRequest.objects.filter(status=ProfileChangeRequest.Status.PENDING).count(),
        "erasure_requests": ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).count(),
        "to_close": list(events.filter(status=Event.Status.PUBLISHED, end_date__lt=today)[:ROWS]),
        "failed_emails": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
        "waiting_lists": list(
            events.filter(status=Event.Status.PUBLISHED)
            .annotate(waitlisted=waitlisted)
            .filter(waitlisted__gte=LONG_WAITING_LIST)
            .order_by("-waitlisted", "start_date", "pk")[:ROWS]
        ),
    }


def colleagues(institution):
    """Enrollments recorded with `institution`, latest event first, with what a focal point follows."""
    attended = Count("attendance", filter=Q(attendance__status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]))
    return (
        Enrollment.objects.filter(institution=institution)
        .select_related("user", "event__course", "certificate")
        .annotate(marked_attended=attended)
        .order_by("-event__start_date", "event_id", *selectors.BY_NAME)
    )
