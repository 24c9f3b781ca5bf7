from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.models import Audience

from .events import Event


class Enrollment(models.Model):
    """A participant in an event; its history is in EnrollmentLog."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.REQUESTED, Status.WAITLISTED, Status.CONFIRMED)

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="enrollments"
    )
    # The person's institution and profession when they asked: endorsement and statistics use these,
    # so a later change of profile moves nobody's history.
    institution = models.ForeignKey(
        "lms.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    profession = models.CharField(_("profession"), max_length=20, choices=Audience.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    awaits_endorsement = models.BooleanField(
        _("awaits endorsement"),
        default=False,
        help_text=_("The focal point of the participant's institution has not endorsed it yet."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Frozen when the event is closed: what certificates and records use.
    attended_days = models.PositiveSmallIntegerField(_("attended days"), null=True, blank=True)
    scheduled_days = models.PositiveSmallIntegerField(_("scheduled days"), null=True, blank=True)
    attendance_rate = models.DecimalField(_("attendance (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    credit_hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    completed = models.BooleanField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="enrollment_one_per_person")]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.user} - {self.event}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class EnrollmentLog(models.Model):
    """One step of an enrollment: who did what, when, and why."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        NOMINATED = "nominated", _("Nominated")
        ENDORSED = "endorsed", _("Endorsed")
        APPROVED = "approved", _("Approved")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when Sinergia did it (e.g. a promotion from the waiting list)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrollment step")
        verbose_name_plural = _("enrollment steps")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
