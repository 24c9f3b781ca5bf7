"""Emails to participants about their enrollment, in their own language, through the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lms.services import email_queue_templated

from . import ical

SUBJECTS = {
    "requested": _("Request received: %(event)s"),
    "endorsed": _("Your request was endorsed: %(event)s"),
    "declined": _("Your request was declined: %(event)s"),
    "confirmed": _("Your seat is confirmed: %(event)s"),
    "waitlisted": _("You are on the waiting list: %(event)s"),
    "promoted": _("A seat is now yours: %(event)s"),
    "cancelled": _("Enrollment cancelled: %(event)s"),
    "reminder": _("Tomorrow: %(event)s"),
    "event_cancelled": _("Event cancelled: %(event)s"),
}
MESSAGES = {
    "requested": _(
        "We received your request. It will be endorsed by your institution's focal point where there is one, "
        "then reviewed by the organisers. We will write to you at each step."
    ),
    "endorsed": _("Your institution's focal point endorsed your request. The organisers will now review it."),
    "declined": _("Your request for this event was declined."),
    "confirmed": _("Your seat is confirmed. The event is attached as a calendar file."),
    "waitlisted": _(
        "The event is full, so you are on the waiting list. If a seat frees, it goes to the first person "
        "waiting and we tell you at once."
    ),
    "promoted": _(
        "A seat freed and it is now yours: your place is confirmed. The event is attached as a calendar file."
    ),
    "cancelled": _("Your enrollment in this event is cancelled."),
    "reminder": _("A reminder: the event starts tomorrow. The agenda and the venue are on its page."),
    "event_cancelled": _("We are sorry: this event is cancelled, and so is your enrollment in it."),
}
WITH_CALENDAR = {"confirmed", "promoted", "reminder"}


def enrollment_notify(enrollment, kind, note=""):
    """Queue the email of one enrollment step (sent once the transaction commits)."""
    user, event = enrollment.user, enrollment.event
    # Everything in it, the calendar file too, in the participant's language, whoever acted.
    with translation.override(user.preferred_language):
        subject = SUBJECTS[kind] % {"event": event.display_title}
        attachments = []
        if kind in WITH_CALENDAR:
            calendar = ical.calendar_bytes([event], settings.SITE_URL, event.display_title)
            attachments.append(("event.ics", calendar, "text/calendar"))
    return email_queue_templated(
        to=user.email,
        template="enrollment",
        language=user.preferred_language,
        subject=subject,
        attachments=attachments,
        context={
            "user": user,
            "event": event,
            "message": MESSAGES[kind],
            "note": note,
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "trainings_url": settings.SITE_URL + reverse("courses:my_trainings"),
        },
    )
