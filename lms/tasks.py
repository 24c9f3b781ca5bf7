from celery import shared_task

from .services import outgoing_email_deliver, outgoing_email_requeue_stuck


@shared_task(name="lms.outbox_deliver", bind=True)
def outbox_deliver(self, email_id):
    result = outgoing_email_deliver(email_id=email_id)
    # In-process (eager) mode has no broker to wait with: the row stays queued
    # and an administrator can send it again from the admin.
    if result.retry_in is not None and not self.request.is_eager:
        outbox_deliver.apply_async((email_id,), countdown=result.retry_in)
    return result.status


@shared_task(name="lms.outbox_requeue_stuck")
def outbox_requeue_stuck():
    return outgoing_email_requeue_stuck()
