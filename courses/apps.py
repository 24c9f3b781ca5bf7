from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # The enrollment workflow registers its rules with lms.roles (can(user, "enrollment.approve", ...)).
        from . import transitions  # noqa: F401
        from .filters import CatalogFilter, connect_choices

        # The catalog's filter form is cached with the theme and region lists it shows (courses/filters.py).
        connect_choices(CatalogFilter)
