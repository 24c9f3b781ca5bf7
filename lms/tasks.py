from celery import shared_task

from .services import outgoing_email_deliver, outgoing_email_requeue_stuck


@shared_task(name="lms.outbox_deliver")
def outbox_deliver(email_id):
    """Send one email; after a temporary failure the sweep below hands it over again once due.

    No countdown here: a task waiting for one in a worker would outlive the broker's visibility timeout and be
    handed to the other workers again and again.
    """
    return outgoing_email_deliver(email_id=email_id)


@shared_task(name="lms.outbox_requeue_stuck")
def outbox_requeue_stuck():
    return outgoing_email_requeue_stuck()
