from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.codes import readable_code
from lms.models import Audience

from .enrollment import Enrollment
from .events import Event


class Attendance(models.Model):
    """One participant on one day of an event."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        TRAINER = "trainer", _("Marked by a trainer")
        CHECK_IN = "check_in", _("Self check-in")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("recorded by"), max_length=10, choices=Source.choices, default=Source.TRAINER)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["enrollment", "date"], name="attendance_once_a_day")]

    def __str__(self):
        return f"{self.enrollment.user} {self.date}: {self.get_status_display()}"


def new_check_in_code():
    """Eight symbols: about 10^12 codes."""
    return readable_code(8)


class CheckInCode(models.Model):
    """The code a trainer shows for self check-in: one event, one day, a short window."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="check_in_codes")
    date = models.DateField(_("day"))
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_check_in_code)
    valid_until = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")

    def __str__(self):
        return f"{self.event} {self.date}"

    @property
    def is_valid(self):
        return timezone.now() < self.valid_until and self.date == timezone.localdate(timezone=self.event.tz)


class AnnualTarget(models.Model):
    """Training hours a profession should reach each calendar year."""

    profession = models.CharField(_("profession"), max_length=20, choices=Audience.choices, unique=True)
    total_hours = models.PositiveSmallIntegerField(_("hours a year"))
    specialised_hours = models.PositiveSmallIntegerField(_("of them specialised"), default=0)

    class Meta:
        ordering = ["profession"]
        verbose_name = _("annual training target")
        verbose_name_plural = _("annual training targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(specialised_hours__lte=models.F("total_hours")),
                name="target_specialised_within_total",
                violation_error_message=_("The specialised hours cannot exceed the total."),
            )
        ]

    def __str__(self):
        return f"{self.get_profession_display()}: {self.total_hours} h"
