"""Views' first step: the event named in the URL, if the signed-in user may do `rule` to it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from lms.roles import can

from .models import Event


def event_for(request, pk, rule):
    """The event (with its course), 404 when absent, 403 when `rule` does not let the user at it."""
    event = get_object_or_404(Event.objects.select_related("course"), pk=pk)
    if not can(request.user, rule, event):
        raise PermissionDenied
    return event
