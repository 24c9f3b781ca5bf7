"""One beat for the whole site: periodic tasks are sent by the beat that holds a lock in Redis.

Several machines may run `celery -A celery_app beat` (CELERY_BEAT_SCHEDULER names this scheduler). The one holding
the lock sends the tasks due and renews the lock at every tick; the others keep their schedules in step without
sending, and the first to find the lock free (its holder stopped, or could not renew it) takes over. A task due
while the lock passes from one beat to the next is skipped once: every periodic task here tolerates a missed run.
The lock's value says who holds it (host:pid:...), for an operator reading the key.
"""

import contextlib
import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import LockError

logger = logging.getLogger(__name__)


class LockedScheduler(PersistentScheduler):
    def __init__(self, app, *args, **kwargs):
        url = app.conf.broker_url
        if not url.startswith(("redis://", "rediss://")):
            raise ImproperlyConfigured("No beat runs without Redis (REDIS_URL): tasks run in-process, none periodic.")
        super().__init__(app, *args, **kwargs)
        seconds = settings.CELERY_BEAT_LOCK_SECONDS
        # A tick (renewing the lock, or looking whether it is free) every 5 seconds at most, and at least four times
        # in the lock's lifetime, so that renewing it never lapses.
        self.max_interval = min(self.max_interval, 5, seconds / 4)
        prefix = app.conf.broker_transport_options.get("global_keyprefix", "")
        # Timeouts: a Redis gone without closing the connection must not hold a tick (and the lock) forever.
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.lock = client.lock(f"{prefix}beat", timeout=seconds, thread_local=False)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.holding = False

    def tick(self, *args, **kwargs):
        self._lock_keep()
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        # A beat standing by moved the entry's last run forward all the same (Scheduler.tick), so its schedule stays
        # in step with the holder's: taking over, it does not send at once everything the holder already sent.
        if self.holding:
            super().apply_entry(entry, producer=producer)

    def close(self):
        if self.holding:
            # Expired or unreachable: it is free, or soon will be.
            with contextlib.suppress(LockError, redis.RedisError):
                self.lock.release()
            self._lose("released the lock: it stops")
        super().close()

    def _lock_keep(self):
        """Renew the lock while holding it, or take it once it is free."""
        try:
            if self.holding:
                self.lock.reacquire()
            elif self.lock.acquire(blocking=False, token=self.token):
                self.holding = True
                logger.info("Beat %s took the lock: it sends the periodic tasks.", self.token)
        except LockError:
            self._lose("lost the lock (it expired before it was renewed): it stands by")
        except redis.RedisError as error:
            self._lose(f"lost the lock (Redis is unreachable: {error}): it stands by")

    def _lose(self, what):
        if self.holding:
            self.holding = False
            logger.info("Beat %s %s.", self.token, what)
