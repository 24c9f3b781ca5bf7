import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment
from lms.codes import readable_code
from lms.models import OutgoingEmail, User

TEMPLATE_VERSION = "2026.1"


def new_code():
    """XXXX-XXXX-XXXX from 32 symbols: 60 random bits, not guessable nor enumerable."""
    symbols = readable_code(12)
    return f"{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"


def pdf_path(certificate, filename):
    return f"certificates/{certificate.issued_at:%Y}/{certificate.uuid}.pdf"


class Certificate(models.Model):
    """Issued once per completed enrollment: an unchanging record of what it certifies."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        ATTENDANCE = "attendance", _("Certificate of attendance")

    class Gender(models.TextChoices):
        """The grammatical gender of the texts about the holder."""

        FEMININE = "female", _("feminine")
        MASCULINE = "male", _("masculine")
        NEUTRAL = "neutral", _("neutral wording")

        @classmethod
        def of(cls, sex):
            # Only a recorded sex chooses a gendered form; "other" and "not stated" read neutral.
            return {User.Sex.FEMALE: cls.FEMININE, User.Sex.MALE: cls.MASCULINE}.get(sex, cls.NEUTRAL)

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=14, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    grammatical_gender = models.CharField(
        _("grammatical gender"), max_length=10, choices=Gender.choices, default=Gender.NEUTRAL,
        help_text=_("How the certificate speaks of its holder, from their recorded sex at issue."),
    )  # fmt: skip
    # What it certifies, as printed.
    printed_name = models.CharField(_("printed name"), max_length=300)
    name_other_script = models.CharField(_("name in the other script"), max_length=300, blank=True)
    course_title = models.CharField(_("course"), max_length=300)
    event_title = models.CharField(_("event"), max_length=300)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=400, blank=True)
    credit_hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2)
    attendance_rate = models.DecimalField(_("attendance (%)"), max_digits=5, decimal_places=2)
    facilitators = models.JSONField(_("facilitators"), default=list, blank=True)
    signatories = models.JSONField(_("signatories"), default=list, blank=True)
    organisers = models.JSONField(_("organisers"), default=list, blank=True)
    programme = models.CharField(_("programme"), max_length=400, blank=True)
    funder = models.CharField(_("funder"), max_length=255, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255)
    template_version = models.CharField(_("template version"), max_length=20, default=TEMPLATE_VERSION)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text=_("Empty when issued automatically at the event's closing."),
    )  # fmt: skip
    issue_reason = models.TextField(_("reason for issuing by hand"), blank=True)
    # The document.
    pdf = models.FileField(_("PDF"), upload_to=pdf_path, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    duplicate_number = models.PositiveSmallIntegerField(_("duplicate number"), default=0)
    email = models.ForeignKey(
        OutgoingEmail, verbose_name=_("delivery"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.code} {self.printed_name}"

    def get_absolute_url(self):
        return reverse("certificates:verify", args=[self.code])

    @cached_property
    def verification_url(self):
        """The address in the QR code."""
        return settings.SITE_URL + reverse("certificates:verify_uuid", args=[self.uuid])

    @property
    def state(self):
        """issued (not yet sent), sent, failed, or revoked: what administrators follow."""
        if self.revoked_at:
            return "revoked"
        if self.email_id and self.email.status == OutgoingEmail.Status.SENT:
            return "sent"
        if self.email_id and self.email.status == OutgoingEmail.Status.FAILED:
            return "failed"
        return "issued"
