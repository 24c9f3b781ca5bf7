import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("lms")


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Sinergia")

    def ready(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info("REDIS_URL is not set: Celery tasks run in-process, inside the web request.")
