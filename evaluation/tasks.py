import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="evaluation.surveys_due")
def surveys_due():
    """Hourly: open the questionnaires of events whose last day has ended, and send the reminders due."""
    opened = services.surveys_open_due()
    reminded = services.surveys_remind()
    logger.info("Questionnaires opened: %d; reminders sent: %d.", len(opened), reminded)
