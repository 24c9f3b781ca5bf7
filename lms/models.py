import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .collation import Collated
from .images import branding_path, validate_image


def normalize_text(value):
    """Keep text as typed, but in one Unicode form (NFC), so "ș" is one character everywhere."""
    return unicodedata.normalize("NFC", value.strip()) if value else value


def has_control_characters(value):
    """Line breaks, tabs and other control characters: one-line texts (titles, subjects, .ics lines) hold none."""
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value or "")


class Audience(models.TextChoices):
    """A professional group a course is for; a user's profession is one of these."""

    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    POLICE_OFFICER = "police_officer", _("Police officer")
    LAWYER = "lawyer", _("Lawyer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    NGO = "ngo", _("NGO representative")
    LOCAL_AUTHORITY = "local_authority", _("Local public authority")
    OTHER = "other", _("Other")


def unique_in_each_language(prefix, message):
    """No two rows share a name in one language; a language left empty names nothing."""
    return [
        models.UniqueConstraint(
            fields=[f"name_{code}"],
            condition=Q(**{f"name_{code}__gt": ""}),
            name=f"{prefix}_name_{code}_unique",
            violation_error_message=message,
        )
        for code, _name in settings.LANGUAGES
    ]


class NamedInLanguages(models.Model):
    """A name in English, Romanian and Russian (registered in lms/translation.py), shown in the reader's
    language or, failing that, in any language it has."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Each language's own column: `self.name` would read a fallback and write it into the active language.
        for code, _name in settings.LANGUAGES:
            setattr(self, f"name_{code}", normalize_text(getattr(self, f"name_{code}")))
        super().save(*args, **kwargs)

    def clean(self):
        if not any(getattr(self, f"name_{code}") for code, _name in settings.LANGUAGES):
            raise ValidationError(_("Give the name in at least one language."))


class Region(NamedInLanguages):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        DISTRICT = "district", _("District")
        AUTONOMOUS_UNIT = "autonomous_unit", _("Autonomous territorial unit")
        LEFT_BANK = "left_bank", _("Left bank of the Dniester")

    # In English, Romanian and Russian (lms/translation.py); unique in each language it is given in.
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        # The name in the reading language (or the next one it has), in that language's alphabetical order.
        ordering = [Collated("name")]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = unique_in_each_language("region", _("A region with this name already exists."))


def logo_url(logo):
    """Where the site serves a stored logo (a FieldFile): under its file's unguessable name."""
    return reverse("institution_logo", args=[PurePosixPath(logo.name).name]) if logo else ""


class Institution(NamedInLanguages):
    class Kind(models.TextChoices):
        COURT = "court", _("Court")
        PROSECUTORS_OFFICE = "prosecutors_office", _("Prosecutor's office")
        POLICE = "police", _("Police")
        MINISTRY = "ministry", _("Ministry")
        NGO = "ngo", _("NGO")
        INTERNATIONAL = "international", _("International organisation")
        OTHER = "other", _("Other")

    # In English, Romanian and Russian (lms/translation.py); unique in each language it is given in.
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, default="MD", help_text=_("ISO 3166 code, e.g. MD"))
    logo = models.FileField(
        _("logo"), upload_to=branding_path, blank=True, validators=[validate_image],
        help_text=_("PNG or JPEG, at most 2 MB; a transparent background prints best. Shown on certificates, "
                    "agendas and attendance lists where this institution issues, funds or partners a training."),
    )  # fmt: skip

    class Meta:
        # The name in the reading language (or the next one it has), in that language's alphabetical order.
        ordering = [Collated("name")]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = unique_in_each_language("institution", _("An institution with this name already exists."))

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        super().save(*args, **kwargs)

    @property
    def logo_url(self):
        return logo_url(self.logo)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        # Imported here: allauth's models are loaded after this app's.
        from allauth.account.models import EmailAddress

        fields.update(is_staff=True, is_superuser=True)
        with transaction.atomic(using=self._db):
            user = self._create_user(email, password, **fields)
            # Whoever runs createsuperuser vouches for the address: no confirmation email before signing in.
            EmailAddress.objects.using(self._db).create(user=user, email=user.email, verified=True, primary=True)
        return user

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        NOT_STATED = "not_stated", _("Prefer not to say")

    class Language(models.TextChoices):
        EN = "en", "English"
        RO = "ro", "Română"
        RU = "ru", "Русский"

    email = models.EmailField(_("email address"), unique=True)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    name_other_script = models.CharField(
        _("name in the other script"),
        max_length=300,
        blank=True,
        help_text=_("Your full name in Cyrillic if you wrote it above in Latin letters, or the reverse."),
    )
    profession = models.CharField(_("profession"), max_length=20, choices=Audience.choices, blank=True)
    position = models.CharField(_("position or rank"), max_length=255, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True)
    sex = models.CharField(
        _("sex"),
        max_length=20,
        choices=Sex.choices,
        default=Sex.NOT_STATED,
        help_text=_("Used only for anonymous statistics."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        help_text=_("The language of your emails and certificates."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Whether the user can log into the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["given_name", "family_name"]

    class Meta:
        ordering = [Collated("family_name"), Collated("given_name")]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.given_name = normalize_text(self.given_name)
        self.family_name = normalize_text(self.family_name)
        self.name_other_script = normalize_text(self.name_other_script)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.given_name} {self.family_name}".strip()

    def get_short_name(self):
        return self.given_name


class OutgoingEmail(models.Model):
    """An email we must not lose: kept here until the SMTP server accepted it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: small files such as an event's .ics.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # When a worker was last given it (a task sent, or a batch sending it itself); empty while it waits for its next
    # attempt. The sweep leaves a row handed over recently alone, however long its queue takes to drain.
    handed_over_at = models.DateTimeField(_("handed to a worker at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # An account email (a password reset, an address to confirm): its links are a key, removed once it is sent.
    redact_links = models.BooleanField(_("links removed once sent"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} -> {self.to}"


class ProfileChangeRequest(models.Model):
    """A person asks to change their institution or profession; the old values hold until an administrator approves.

    Both decide what a person may enroll in and whose focal point endorses them, so nobody changes them alone.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="profile_change_requests"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    profession = models.CharField(_("profession"), max_length=20, choices=Audience.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("profile change request")
        verbose_name_plural = _("profile change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="profile_change_one_pending_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"


class AuditEntryQuerySet(models.QuerySet):
    """Entries are appended, never changed nor deleted one by one: only the retention period removes old ones."""

    def update(self, **kwargs):
        raise PermissionError("Audit entries are never changed.")

    def delete(self):
        raise PermissionError("Audit entries are deleted only by the retention period (AuditEntry.purge_before).")


class AuditEntry(models.Model):
    """Who did what, when, about whom: a domain event of the personal-data record (lms/audit.py writes them)."""

    class Action(models.TextChoices):
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        PROFILE_CHANGED = "profile_changed", _("Institution or profession changed")
        ENROLLMENT_DECIDED = "enrollment_decided", _("Enrollment decided")
        ATTENDANCE_CORRECTED = "attendance_corrected", _("Attendance corrected after closing")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REISSUED = "certificate_reissued", _("Certificate issued again")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        DATA_EXPORTED = "data_exported", _("Personal data exported")
        ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
        ERASURE_CONFIRMED = "erasure_confirmed", _("Erasure confirmed")
        ERASURE_REFUSED = "erasure_refused", _("Erasure refused")
        STAFF_SIGNED_IN = "staff_signed_in", _("Staff member signed in")
        MFA_RESET = "mfa_reset", _("Two-factor authentication reset")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=30, choices=Action.choices, db_index=True)
    subject = models.ForeignKey(
        User, verbose_name=_("about whom"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="audit_entries",
    )  # fmt: skip
    # What it was about, in words fixed when it happened (an event's title, an export's name).
    target = models.CharField(_("about what"), max_length=255, blank=True)
    # The facts of the change (statuses, roles, filters), never free text written about the person.
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.get_action_display()} – {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are deleted only by the retention period (AuditEntry.purge_before).")

    @classmethod
    def purge_before(cls, moment):
        """Delete the entries older than `moment` (the retention period); the count deleted."""
        return models.QuerySet(cls).filter(at__lt=moment)._raw_delete(using=cls.objects.db)


class PrivacyNoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class PrivacyNotice(models.Model):
    """What Sinergia keeps about people and why, in English, Romanian and Russian (lms/translation.py).

    A draft is edited until it is published; a published version is never changed again: a change is a new
    version, which everybody accepts at their next sign-in (lms/consents.py).
    """

    # Given when published: versions count up in the order people were shown them.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True, editable=False)
    text = models.TextField(
        _("text"),
        help_text=_("Plain text: a blank line between paragraphs; a line starting with “# ” is a heading, lines "
                    "starting with “- ” make a list."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    objects = PrivacyNoticeQuerySet.as_manager()

    class Meta:
        ordering = [models.F("version").desc(nulls_first=True), "-pk"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(version__isnull=True, published_at__isnull=True)
                | Q(version__isnull=False, published_at__isnull=False),
                name="privacy_notice_published_with_a_version",
            )
        ]

    def __str__(self):
        if self.version is None:
            return gettext("Privacy notice (draft)")
        return gettext("Privacy notice, version %(version)d") % {"version": self.version}

    def save(self, *args, **kwargs):
        if self.pk is not None and PrivacyNotice.objects.published().filter(pk=self.pk).exists():
            raise PermissionError("A published privacy notice is never changed: publish a new version.")
        super().save(*args, **kwargs)


class NoticeAcceptance(models.Model):
    """A person accepted a version of the privacy notice, at a moment."""

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notice_acceptances"
    )
    notice = models.ForeignKey(
        PrivacyNotice, verbose_name=_("privacy notice"), on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("acceptance of the privacy notice")
        verbose_name_plural = _("acceptances of the privacy notice")
        constraints = [models.UniqueConstraint(fields=["person", "notice"], name="notice_accepted_once")]

    def __str__(self):
        return f"{self.person} – {self.notice}"


class Consent(models.Model):
    """An optional consent, given and perhaps withdrawn; giving it again after a withdrawal is a new row."""

    class Kind(models.TextChoices):
        PARTICIPANT_LIST = "participant_list", _("Appear on the list of participants")

    person = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(withdrawn_at__isnull=True), name="consent_one_in_force"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"
