"""The base of every Celery task: sent only once the transaction that asked for it has committed.

A task sent from inside a transaction would otherwise reach a worker before its rows exist, or
run for rows a rollback never wrote. Nobody has to remember `transaction.on_commit`.
"""

from celery import Task
from django.db import transaction


class TransactionAwareTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            return super().apply_async(args, kwargs, **options)
        # robust: a broker that is down must not undo the caller's committed work; the periodic
        # sweeps hand the rows to a worker later.
        send = super().apply_async
        transaction.on_commit(lambda: send(args, kwargs, **options), robust=True)
        return None
