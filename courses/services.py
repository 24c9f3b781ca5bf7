from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Event


def event_publish(*, event):
    """Show a draft event in the catalog and the calendar; it must be complete first."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != Event.Status.DRAFT:
            raise ValidationError(_("Only a draft event can be published."))
        event.status = Event.Status.PUBLISHED
        event.full_clean()
        event.save(update_fields=["status", "updated_at"])
    return event


def event_cancel(*, event):
    """Cancel an event; it stays visible, marked cancelled."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
            raise ValidationError(_("A cancelled or completed event cannot be cancelled."))
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
    return event
