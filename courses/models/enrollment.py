from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import Event


class Enrollment(models.Model):
    """A participant in an event."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="enrollment_one_per_person")]

    def __str__(self):
        return f"{self.user} - {self.event}"
