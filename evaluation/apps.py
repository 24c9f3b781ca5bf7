from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from courses.signals import event_closed

        from . import receivers

        event_closed.connect(receivers.open_on_close, dispatch_uid="evaluation.open_on_close")
