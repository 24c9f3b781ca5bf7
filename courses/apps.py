from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from lms.models import Region

        # The enrollment workflow registers its rules with lms.roles (can(user, "enrollment.approve", ...)).
        from . import transitions  # noqa: F401
        from .filters import choices_changed
        from .models import Theme

        # The catalog's filter form is cached with the theme and region lists it shows (courses/filters.py).
        for model in (Theme, Region):
            for signal in (post_save, post_delete):
                signal.connect(choices_changed, sender=model, dispatch_uid=f"courses.choices_changed.{model.__name__}")
