"""Every task is sent only once the transaction that asked for it has committed."""

import pytest
from django.db import transaction

from celery_app import app
from lms.models import OutgoingEmail
from lms.task_base import TransactionAwareTask
from lms.tasks import outbox_deliver

pytestmark = pytest.mark.django_db
OUR_APPS = ("lms.", "courses.", "certificates.", "stats.")


def test_every_task_of_ours_waits_for_the_commit():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}
    assert {"lms.outbox_deliver", "certificates.deliver_batch", "certificates.build_zip"} <= set(ours)
    assert [name for name, task in ours.items() if not isinstance(task, TransactionAwareTask)] == []


def test_a_task_sent_inside_a_transaction_runs_after_the_commit_and_never_after_a_rollback(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email = OutgoingEmail.objects.create(to="ana@example.test", subject="Hello", body_text="Hi")
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_deliver.delay(email.pk)
        raise RuntimeError("rolled back")
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        outbox_deliver.delay(email.pk)
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.QUEUED  # not sent before the commit
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
