from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.roles import can

from ..models import Enrollment, EnrollmentLog, Event, Facilitator


def locked_event(event):
    """The event row, locked until the transaction ends: its changes happen one at a time."""
    return Event.objects.select_for_update().get(pk=event.pk)


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
