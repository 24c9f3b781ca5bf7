from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from certificates.models import Certificate
        from courses.filters import connect_choices
        from courses.models import Course, Enrollment, Event, Theme
        from courses.signals import completion_changed, event_closed
        from lms.models import Institution, Region

        from . import receivers
        from .filters import StatsFilter

        # Each with its own dispatch_uid: one receiver serves several signals.
        def connect(signal, receiver, sender=None):
            signal.connect(receiver, sender=sender, dispatch_uid=f"stats.{receiver.__name__}.{id(signal)}.{sender}")

        connect(event_closed, receivers.stale_on_signal)
        connect(completion_changed, receivers.stale_on_signal)
        connect(post_save, receivers.enrollment_saved, Enrollment)
        connect(post_delete, receivers.enrollment_deleted, Enrollment)
        connect(post_save, receivers.event_changed, Event)
        connect(post_delete, receivers.event_changed, Event)
        connect(post_save, receivers.certificate_changed, Certificate)
        connect(post_delete, receivers.stale_on_signal, Certificate)
        connect(post_save, receivers.person_changed, settings.AUTH_USER_MODEL)
        connect(m2m_changed, receivers.stale_on_signal, Course.themes.through)
        for model in (Theme, Region, Institution):
            connect(post_delete, receivers.stale_on_signal, model)
        # The filter form is cached with the lists it chooses from (courses/filters.py).
        connect_choices(StatsFilter)
