# Importing the Celery app here binds @shared_task to it whenever Django starts.
from celery_app import app as celery_app

__all__ = ["celery_app"]
