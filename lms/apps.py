import logging

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db.backends.signals import connection_created
from django.db.models import IntegerField
from django.utils.translation import gettext_lazy as _
from reportlab import rl_config

from .checks import cache_check, site_url_check, storage_check
from .lookups import IntegerFieldIn
from .sqlite import language_collations, unicode_like

logger = logging.getLogger("lms")


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Sinergia")

    def ready(self):
        from . import receivers
        from .mfa import mfa_remember

        # PDF streams stay binary: ReportLab's default ASCII85 text makes images a quarter larger, and
        # encoding that text on every save costs more than drawing the certificate around them.
        rl_config.useA85 = 0
        IntegerField.register_lookup(IntegerFieldIn)
        connection_created.connect(unicode_like, dispatch_uid="lms.sqlite.unicode_like")
        connection_created.connect(language_collations, dispatch_uid="lms.sqlite.language_collations")
        checks.register(site_url_check, checks.Tags.security)
        checks.register(cache_check, checks.Tags.caches)
        checks.register(storage_check, checks.Tags.security)
        user_logged_in.connect(receivers.staff_sign_in_record, dispatch_uid="lms.staff_sign_in_record")
        user_logged_in.connect(mfa_remember, dispatch_uid="lms.mfa_remember")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info("REDIS_URL is not set: Celery tasks run in-process, inside the web request.")
