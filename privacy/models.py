"""A person's rights over their data: a copy of all of it, and its erasure."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """Everything held about a person, as a ZIP a worker builds, offered to whoever asked for it for a while."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.CharField(_("stored file"), max_length=255, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"


class ErasureRequest(models.Model):
    """A person asks to be erased; an administrator confirms it, or refuses with a reason that is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        CONFIRMED = "confirmed", _("Erased")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    keep_certificates = models.BooleanField(
        _("keep my certificates verifiable"), default=True,
        help_text=_("Kept, a certificate still proves the training with the name printed on it; withdrawn, its "
                    "verification page says it was withdrawn at the holder's request."),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="erasure_one_pending_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"


class RetentionRun(models.Model):
    """One application of the retention periods (privacy/retention.py) and what it did: counts only, no one's data."""

    at = models.DateTimeField(_("when"), db_index=True)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return str(self.at)


class InactivityWarning(models.Model):
    """When a person who had not signed in for the inactivity period was told their account would be anonymised.

    A sign-in after `warned_at` voids it; the next warning, years later, replaces it.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="inactivity_warning"
    )
    warned_at = models.DateTimeField(_("warned at"))

    class Meta:
        verbose_name = _("inactivity warning")
        verbose_name_plural = _("inactivity warnings")

    def __str__(self):
        return f"{self.person} ({self.warned_at})"
