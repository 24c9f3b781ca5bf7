from celery import shared_task

from .models import Certificate
from .services import certificate_deliver, certificates_deliver_batch, certificates_requeue_undelivered


@shared_task(name="certificates.deliver")
def deliver(certificate_id, resend=False):
    """Render, store and email one certificate; safe to run twice."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate:
        certificate_deliver(certificate=certificate, resend=resend)


@shared_task(name="certificates.deliver_batch", bind=True)
def deliver_batch(self, certificate_ids):
    """Render, store and email several certificates; safe to run twice.

    It stops taking certificates at half its soft time limit and hands the rest to a new batch, so that it ends well
    within the broker's visibility timeout whatever the mail server's pace (lms/settings.py).
    """
    limit = self.soft_time_limit or self.app.conf.task_soft_time_limit
    left = certificates_deliver_batch(ids=certificate_ids, seconds=limit / 2)
    if left:
        deliver_batch.delay(left)


@shared_task(name="certificates.requeue_undelivered")
def requeue_undelivered():
    return certificates_requeue_undelivered()


@shared_task(name="certificates.build_zip")
def build_zip(event_id, path):
    from .exports import zip_build

    return zip_build(event_id, path)
