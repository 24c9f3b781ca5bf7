import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from lms.models import Institution, Region

from .catalog import Course, Facilitator, Programme, title_errors

WORKING_LANGUAGES = [("ro", _("Romanian")), ("ru", _("Russian")), ("en", _("English"))]
# Said after a text shown in another language than the reader's, e.g. "Pauză de cafea (in Romanian)".
IN_LANGUAGE = {"en": _("in English"), "ro": _("in Romanian"), "ru": _("in Russian")}


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def open_for_enrollment_q(now=None):
    """Published, and now within the enrollment window."""
    now = now or timezone.now()
    return (
        (Q(enrollment_opens_at__isnull=True) | Q(enrollment_opens_at__lte=now))
        & Q(status=Event.Status.PUBLISHED)
        & Q(enrollment_closes_at__gt=now)
    )


class EventQuerySet(models.QuerySet):
    def listed(self):
        """Events the public sees: all but drafts (cancelled ones stay, marked)."""
        return self.exclude(status=Event.Status.DRAFT)

    def open_for_enrollment(self, now=None):
        return self.filter(open_for_enrollment_q(now))

    def with_seats(self):
        """Annotate `confirmed_count` (seats taken) in the same query."""
        from .enrollment import Enrollment

        return self.annotate(
            confirmed_count=models.Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.CONFIRMED))
        )


class Event(models.Model):
    """One dated delivery of a course, usually over several days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="events")
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="events", null=True, blank=True
    )
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Leave empty to use the course title.")
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    day_starts_at = models.TimeField(_("daily start"), default=time(9, 0))
    day_ends_at = models.TimeField(_("daily end"), default=time(17, 0))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Chisinau", validators=[validate_time_zone]
    )
    venue_name = models.CharField(_("venue"), max_length=255, blank=True)
    venue_address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    working_language = models.CharField(_("working language"), max_length=2, choices=WORKING_LANGUAGES)
    interpretation = models.CharField(
        _("interpretation"), max_length=200, blank=True, help_text=_("E.g. simultaneous, English–Romanian.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=25)
    requires_approval = models.BooleanField(
        _("requires approval"),
        default=False,
        help_text=_(
            "Requests are endorsed by the focal point of the participant's institution, "
            "then accepted by a trainer or an administrator."
        ),
    )
    enrollment_opens_at = models.DateTimeField(
        _("enrollment opens"), null=True, blank=True, help_text=_("Empty: as soon as it is published.")
    )
    enrollment_closes_at = models.DateTimeField(_("enrollment closes"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Who closed the event, when, and why when it was closed before its last day ended.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closing_reason = models.TextField(_("reason for closing early"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="trained_events", blank=True
    )
    organisers = models.ManyToManyField(
        Institution, verbose_name=_("organisers"), related_name="organised_events", blank=True
    )
    partners = models.ManyToManyField(
        Institution, verbose_name=_("partners"), related_name="partnered_events", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "start_date"]),
            # The catalog sorts every course by its next event: with end_date and status in the index, that
            # subquery reads only the index (SQLite and PostgreSQL), not the row of each event it passes.
            models.Index(fields=["course", "start_date", "end_date", "status"], name="courses_event_next_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="event_capacity_at_least_one",
                violation_error_message=_("Capacity must be at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("courses:event", args=[self.pk])

    def clean(self):
        errors = title_errors(self)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if self.day_starts_at and self.day_ends_at and self.day_ends_at <= self.day_starts_at:
            errors["day_ends_at"] = _("The daily end must be after the daily start.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("Capacity must be at least 1.")
        if self.enrollment_closes_at and self.start_date and self.time_zone in zoneinfo.available_timezones():
            if self.enrollment_closes_at >= self.starts_at:
                errors["enrollment_closes_at"] = _("Enrollment must close before the event starts.")
            if self.enrollment_opens_at and self.enrollment_opens_at >= self.enrollment_closes_at:
                errors["enrollment_opens_at"] = _("Enrollment must open before it closes.")
        if self.status in (self.Status.PUBLISHED, self.Status.COMPLETED) and not self.programme_id:
            errors["programme"] = _("A published event needs a programme.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        return self.title or self.course.title

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def starts_at(self):
        """The first day's start, an aware datetime in the event's time zone."""
        return datetime.combine(self.start_date, self.day_starts_at, tzinfo=self.tz)

    @property
    def last_day_ended(self):
        """Has the last day ended? It ends at midnight after `end_date`, in the event's time zone."""
        return timezone.localdate(timezone=self.tz) > self.end_date

    @property
    def days(self):
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    @property
    def seats_left(self):
        """Needs the `with_seats()` annotation."""
        return max(self.capacity - self.confirmed_count, 0)

    def is_enrollment_open(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and (self.enrollment_opens_at is None or self.enrollment_opens_at <= now)
            and now < self.enrollment_closes_at
        )


class AgendaItem(models.Model):
    """A session of an event's day; times are wall-clock in the event's time zone."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        DISCUSSION = "discussion", _("Discussion")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Workshop")
        SIMULATION = "simulation", _("Simulation")
        OPENING = "opening", _("Opening")
        CLOSING = "closing", _("Closing")
        BREAK = "break", _("Break")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    date = models.DateField(_("day"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    facilitators = models.ManyToManyField(
        Facilitator, verbose_name=_("facilitators"), related_name="agenda_items", blank=True
    )
    moderator = models.ForeignKey(
        Facilitator,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_items",
    )
    room = models.CharField(_("room"), max_length=100, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "position", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="agenda_item_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            )
        ]

    def __str__(self):
        return f"{self.date} {self.starts_at:%H:%M} {self.title}"

    def clean(self):
        if errors := title_errors(self):
            raise ValidationError(errors)

    @property
    def title_language(self):
        """The language of the title shown, when the reader's has none and another's is shown; else ""."""
        if getattr(self, build_localized_fieldname("title", get_language())):
            return ""
        languages = resolution_order(get_language(), type(self).title.fallback_languages)
        return next((code for code in languages if getattr(self, build_localized_fieldname("title", code))), "")

    @property
    def title_language_note(self):
        return IN_LANGUAGE.get(self.title_language, "")
