from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Event, Facilitator


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


def event_cancel(*, event):
    """Cancel an event; it stays visible, marked cancelled."""
    with transaction.atomic():
        event = locked_event(event)
        if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
            raise ValidationError(_("A cancelled or completed event cannot be cancelled."))
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
    return event


def facilitator_create(*, fields):
    """Add an expert to the registry."""
    facilitator = Facilitator(**fields)
    facilitator.full_clean()
    facilitator.save()
    return facilitator
