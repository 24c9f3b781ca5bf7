import zoneinfo
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.roles import Role, can, has_role

from ..models import Enrollment, EnrollmentLog, Event, Facilitator


def locked_event(event):
    """The event row, locked until the transaction ends: its changes happen one at a time."""
    return Event.objects.select_for_update().get(pk=event.pk)


# Enrollment closes by default two days before the first day, at 18:00 in the event's time zone.
ENROLLMENT_CLOSES_DAYS_BEFORE = 2
ENROLLMENT_CLOSES_AT = time(18, 0)


def enrollment_closes_default(*, start_date, tz):
    return datetime.combine(start_date - timedelta(days=ENROLLMENT_CLOSES_DAYS_BEFORE), ENROLLMENT_CLOSES_AT, tzinfo=tz)


def _event_change_check(actor, trainers):
    if not can(actor, "event.create"):
        raise ValidationError(_("Only administrators create and change events."))
    if any(not has_role(person, Role.TRAINER) for person in trainers):
        raise ValidationError({"trainers": _("Choose trainers among the people with the Trainer role.")})


def event_create(*, fields, trainers, organisers, actor):
    """A new draft event; without a closing time, enrollment closes at the default time."""
    _event_change_check(actor, trainers)
    event = Event(**fields, status=Event.Status.DRAFT)
    # With an unknown time zone there is no default; full_clean names the zone.
    if event.enrollment_closes_at is None and event.start_date and event.time_zone in zoneinfo.available_timezones():
        event.enrollment_closes_at = enrollment_closes_default(start_date=event.start_date, tz=event.tz)
    with transaction.atomic():
        event.full_clean()
        event.save()
        event.trainers.set(trainers)
        event.organisers.set(organisers)
    return event


def event_update(*, event, fields, trainers, organisers, actor):
    """Change an event's settings; a new capacity goes through `event_capacity_change` (the waitlist moves up)."""
    _event_change_check(actor, trainers)
    fields = dict(fields)
    capacity = fields.pop("capacity", None)
    with transaction.atomic():
        event = locked_event(event)
        if event.status == Event.Status.COMPLETED:
            raise ValidationError(_("A completed event cannot be changed."))
        for name, value in fields.items():
            setattr(event, name, value)
        event.full_clean()
        event.save()
        event.trainers.set(trainers)
        event.organisers.set(organisers)
        if capacity is not None and capacity != event.capacity:
            event_capacity_change(event=event, capacity=capacity, actor=actor)
            event.refresh_from_db()
    return event


def _shifted(moment, days, tz):
    """The same wall-clock time `days` later in `tz` (a DST change in between keeps the hour)."""
    local = timezone.localtime(moment, tz)
    return datetime.combine(local.date() + days, local.time(), tzinfo=tz)


def event_clone(*, event, start_date, actor):
    """A new draft with the event's settings, people and agenda, every day shifted to start on `start_date`."""
    # Copying the sessions is the agenda's work; agenda imports this module, so it is imported here.
    from .agenda import _copy_items

    _event_change_check(actor, trainers=[])
    if start_date is None:
        raise ValidationError({"start_date": _("Give the first day of the new event.")})
    with transaction.atomic():
        source = event
        shift = start_date - source.start_date
        # A fresh copy of the row, saved as a new one.
        clone = Event.objects.get(pk=event.pk)
        clone.pk = None
        clone._state.adding = True
        clone.start_date, clone.end_date = start_date, source.end_date + shift
        clone.status = Event.Status.DRAFT
        clone.closed_at, clone.closed_by, clone.closing_reason = None, None, ""
        # Enrollment opens when the copy is published, and closes as long before it as it did before the original.
        clone.enrollment_opens_at = None
        clone.enrollment_closes_at = _shifted(source.enrollment_closes_at, shift, source.tz)
        clone.full_clean()
        clone.save()
        clone.trainers.set(source.trainers.all())
        clone.organisers.set(source.organisers.all())
        clone.partners.set(source.partners.all())
        items = list(source.agenda_items.prefetch_related("facilitators"))
        _copy_items(items, clone, lambda day: day + shift)
    return clone


def event_publish(*, event):
    """Show a draft event in the catalog and the calendar; it must be complete first."""
    with transaction.atomic():
        event = locked_event(event)
        if event.status != Event.Status.DRAFT:
            raise ValidationError(_("Only a draft event can be published."))
        event.status = Event.Status.PUBLISHED
        event.full_clean()
        event.save(update_fields=["status", "updated_at"])
    return event


def event_cancel(*, event, actor=None):
    """Cancel an event; it stays visible, marked cancelled, and everyone enrolled is told."""
    from .. import notifications

    with transaction.atomic():
        event = locked_event(event)
        if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
            raise ValidationError(_("A cancelled or completed event cannot be cancelled."))
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        for enrollment in event.enrollments.filter(status__in=Enrollment.ACTIVE).select_related("user"):
            enrollment.status = Enrollment.Status.CANCELLED
            enrollment.save(update_fields=["status", "updated_at"])
            EnrollmentLog.objects.create(
                enrollment=enrollment,
                action=EnrollmentLog.Action.CANCELLED,
                actor=actor,
                note=_("The event was cancelled."),
            )
            notifications.enrollment_notify(enrollment, "event_cancelled")
    return event


def event_capacity_check(*, event, capacity):
    """Refuse a capacity below the seats already confirmed (the people holding them keep them)."""
    confirmed = event.enrollments.filter(status=Enrollment.Status.CONFIRMED).count()
    if capacity < confirmed:
        raise ValidationError(
            ngettext(
                "%(count)d seat is already confirmed; the capacity cannot be lower.",
                "%(count)d seats are already confirmed; the capacity cannot be lower.",
                confirmed,
            )
            % {"count": confirmed}
        )


def event_capacity_change(*, event, capacity, actor):
    """Set the number of seats; seats freed go to the first people waiting. Returns those promoted."""
    # enrollment imports this module: imported here, once both are loaded.
    from .enrollment import waitlist_promote

    if not can(actor, "event.manage", event):
        raise ValidationError(_("You may not change this event."))
    if capacity < 1:
        raise ValidationError(_("Capacity must be at least 1."))
    with transaction.atomic():
        event = locked_event(event)
        event_capacity_check(event=event, capacity=capacity)
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        return waitlist_promote(event=event)


def facilitator_create(*, fields):
    """Add an expert to the registry."""
    facilitator = Facilitator(**fields)
    facilitator.full_clean()
    facilitator.save()
    return facilitator
