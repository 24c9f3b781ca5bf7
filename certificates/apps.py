from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.signals import completion_changed, event_closed
        from lms.metrics import collector_register

        from . import receivers
        from .metrics import certificates_waiting

        event_closed.connect(receivers.issue_on_close, dispatch_uid="certificates.issue_on_close")
        completion_changed.connect(receivers.follow_completion, dispatch_uid="certificates.follow_completion")
        # lms serves /metrics but may not import certificates: the gauge is handed to it here.
        collector_register(certificates_waiting)
