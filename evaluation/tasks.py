from celery import shared_task

from . import services


@shared_task(name="evaluation.surveys_due")
def surveys_due():
    """Hourly: open the questionnaires of events whose last day has ended, and send the reminders due."""
    services.surveys_open_due()
    services.surveys_remind()
