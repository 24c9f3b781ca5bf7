"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

# Every task waits for the transaction that sent it to commit (lms/task_base.py).
app = Celery("sinergia", task_cls="lms.task_base:TransactionAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
