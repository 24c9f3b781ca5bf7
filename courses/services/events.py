from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


def facilitator_create(*, fields):
    """Add an expert to the registry."""
    facilitator = Facilitator(**fields)
    facilitator.full_clean()
    facilitator.save()
    return facilitator
