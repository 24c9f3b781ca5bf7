import logging

from celery import shared_task

from . import exports, retention

logger = logging.getLogger("privacy")


@shared_task(name="privacy.data_export_build")
def data_export_build(export_id):
    """Build one person's copy of their data; safe to run twice."""
    exports.data_export_build(export_id)


@shared_task(name="privacy.data_exports_lost_fail")
def data_exports_lost_fail():
    """Every minute: copies whose worker died show as failed, so that their page offers to prepare them again."""
    exports.data_exports_lost_fail()


@shared_task(name="privacy.retention_apply")
def retention_apply():
    """Nightly: apply the retention periods; the report is kept for the records page and logged."""
    report = retention.retention_apply()
    logger.info("Retention periods applied: %s", report)
