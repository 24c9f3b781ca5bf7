import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment, Programme
from lms.codes import readable_code
from lms.images import branding_path, validate_image
from lms.models import Institution, OutgoingEmail, User

TEMPLATE_VERSION = "2026.2"
MAX_SIGNATORIES = 3


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
        TRAINING_OF_TRAINERS = "training_of_trainers", _("Certificate of training of trainers")

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
    # [{"name", "role", "signature": a stored image's name or absent}]
    signatories = models.JSONField(_("signatories"), default=list, blank=True)
    # {"layout", "logos": [{"name", "image"}], "stamp"}: the design as it was at issue; images never change
    # under their stored names, so the certificate prints the same whatever becomes of the design.
    design = models.JSONField(_("design"), default=dict, blank=True)
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
    # Withdrawn at the holder's request when their data was erased: nothing of them is shown, and the PDF is gone;
    # it still counts among the certificates issued.
    withdrawn_at = models.DateTimeField(_("withdrawn at the holder's request"), null=True, blank=True)

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


class CertificateDesign(models.Model):
    """How a programme's certificates look; the one without a programme serves every other programme."""

    class Layout(models.TextChoices):
        CLASSIC = "classic", _("Classic: centred on a framed page")
        SIDEBAR = "sidebar", _("Sidebar: logos and verification in a coloured column")
        PORTRAIT = "portrait", _("Portrait: an upright page")

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="certificate_design",
    )  # fmt: skip
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, default=Layout.CLASSIC)
    issuer = models.ForeignKey(
        Institution, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The institution in whose name certificates are issued. Empty: the event's first organiser."),
    )  # fmt: skip
    show_issuer_logo = models.BooleanField(_("issuer's logo"), default=True)
    show_funder_logo = models.BooleanField(_("funder's logo"), default=True)
    show_partner_logos = models.BooleanField(_("partners' logos"), default=True)
    trainer_signs = models.BooleanField(
        _("the event's trainers sign"), default=True,
        help_text=_("After the signatories above; three signatures in all at most."),
    )  # fmt: skip
    stamp = models.FileField(
        _("stamp"), upload_to=branding_path, blank=True, validators=[validate_image],
        help_text=_("PNG (best with a transparent background) or JPEG, at most 2 MB."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        constraints = [
            # One design without a programme: the default.
            models.UniqueConstraint(Coalesce("programme", 0), name="certificate_design_one_per_programme"),
        ]

    def __str__(self):
        return str(self.programme) if self.programme_id else str(_("Default design"))


class DesignSignatory(models.Model):
    """Someone who signs the certificates of a design: name and title in each language, and a signature."""

    design = models.ForeignKey(CertificateDesign, on_delete=models.CASCADE, related_name="signatories")
    position = models.PositiveSmallIntegerField(_("position"))
    # In English, Romanian and Russian (certificates/translation.py): a name may be written in two scripts.
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. Director, National Institute of Justice"))
    signature = models.FileField(
        _("signature"), upload_to=branding_path, blank=True, validators=[validate_image],
        help_text=_("PNG (best with a transparent background) or JPEG, at most 2 MB; never shown on the site."),
    )  # fmt: skip

    class Meta:
        ordering = ["position"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [models.UniqueConstraint(fields=["design", "position"], name="design_signatory_position")]

    def __str__(self):
        return self.name
