from celery import shared_task

from .services import enrollment_reminders_send


@shared_task(name="courses.send_reminders")
def send_reminders():
    return enrollment_reminders_send()
