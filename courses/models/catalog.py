from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from lms.models import Audience, Institution, has_control_characters, normalize_text


def title_errors(instance):
    """{field: error} for each language variant of the title holding a line break or another control character.

    Titles are printed on one line: .ics files, PDFs, email subjects, page titles.
    """
    errors = {}
    for code, _name in settings.LANGUAGES:
        field = build_localized_fieldname("title", code)
        if has_control_characters(getattr(instance, field)):
            errors[field] = _("The title must be on one line: remove line breaks, tabs and other control characters.")
    return errors


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Programme(models.Model):
    """A donor-funded project or standing programme; every event belongs to one."""

    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(_("code"), max_length=100, unique=True, help_text=_("E.g. the grant agreement number."))
    funder = models.ForeignKey(
        Institution, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="funded_programmes"
    )
    lead_partner = models.ForeignKey(
        Institution,
        verbose_name=_("lead partner"),
        on_delete=models.PROTECT,
        related_name="led_programmes",
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        Institution, verbose_name=_("partners"), related_name="partner_programmes", blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return f"{self.title} ({self.code})"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})


class Course(models.Model):
    """A catalog entry: what is taught, and to whom."""

    class ActivityType(models.TextChoices):
        COURSE = "course", _("Course")
        SEMINAR = "seminar", _("Seminar")
        CONFERENCE = "conference", _("Conference")
        STUDY_VISIT = "study_visit", _("Study visit")
        TRAINING_OF_TRAINERS = "training_of_trainers", _("Training of trainers")
        SIMULATION = "simulation", _("Simulation")
        COORDINATION_MEETING = "coordination_meeting", _("Coordination meeting")
        E_LEARNING = "e_learning", _("E-learning")

    class CreditCategory(models.TextChoices):
        SPECIALISED = "specialised", _("Specialised")
        GENERAL = "general", _("General")

    class CertificateKind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        ATTENDANCE = "attendance", _("Certificate of attendance")
        TRAINING_OF_TRAINERS = "training_of_trainers", _("Certificate of training of trainers")
        NONE = "none", _("No certificate")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="courses", blank=True)
    activity_type = models.CharField(_("activity type"), max_length=30, choices=ActivityType.choices)
    credit_category = models.CharField(
        _("credit hours category"), max_length=20, choices=CreditCategory.choices, default=CreditCategory.SPECIALISED
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the scheduled days a participant must attend to complete the course."),
    )
    excused_count_as_attended = models.BooleanField(
        _("excused days count as attended"),
        default=False,
        help_text=_("For completion only; credit hours are earned on the days a participant was there."),
    )
    certificate_kind = models.CharField(
        _("certificate"), max_length=20, choices=CertificateKind.choices, default=CertificateKind.COMPLETION
    )
    is_active = models.BooleanField(_("shown in the catalog"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=1, attendance_threshold__lte=100),
                name="course_threshold_1_to_100",
                violation_error_message=_("The attendance threshold must be between 1 and 100%%."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course", args=[self.slug])

    def clean(self):
        if errors := title_errors(self):
            raise ValidationError(errors)

    def audience_labels(self):
        """The audiences' names; uses prefetched rows when there are any."""
        return [Audience(row.audience).label for row in self.audiences.all()]


class CourseAudience(models.Model):
    """One professional group a course is for (a course may have several)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        ordering = ["audience"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [models.UniqueConstraint(fields=["course", "audience"], name="course_audience_unique")]

    def __str__(self):
        return self.get_audience_display()


class Facilitator(models.Model):
    """An expert who leads sessions; may have no account."""

    name = models.CharField(_("name"), max_length=200)
    name_other_script = models.CharField(_("name in the other script"), max_length=200, blank=True)
    title = models.CharField(_("academic title"), max_length=50, blank=True, help_text=_("E.g. Dr, Prof."))
    position = models.CharField(_("position"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. LV"))
    bio = models.TextField(_("short biography"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("competence themes"), related_name="facilitators", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.name_other_script = normalize_text(self.name_other_script)
        self.country = self.country.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:facilitator", args=[self.pk])

    @property
    def display_name(self):
        return f"{self.title} {self.name}" if self.title else self.name
