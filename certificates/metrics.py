"""The certificates' figure on /metrics, handed to lms.metrics by CertificatesConfig.ready()."""

from django.db.models import Q
from prometheus_client.core import GaugeMetricFamily

from lms.models import OutgoingEmail

from .models import Certificate


def certificates_waiting():
    """Valid certificates (not revoked nor withdrawn) whose email is not written yet or still queued."""
    waiting = Certificate.objects.filter(revoked_at__isnull=True, withdrawn_at__isnull=True).filter(
        Q(email__isnull=True) | Q(email__status=OutgoingEmail.Status.QUEUED)
    )
    yield GaugeMetricFamily(
        "sinergia_certificates_waiting", "Issued certificates waiting for their email.", value=waiting.count()
    )
