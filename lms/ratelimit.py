"""Counting hits in the shared cache (Redis, or the database table in production without it)."""

import time

from django.core.cache import cache


def _counter(key, window_seconds):
    return f"ratelimit:{key}:{int(time.time() // window_seconds)}"


def reached(key, limit, window_seconds):
    """Has `key` had `limit` hits or more in the current window? Counts nothing."""
    return (cache.get(_counter(key, window_seconds)) or 0) >= limit


def hit(key, limit, window_seconds):
    """Count one hit on `key`; True when this hit is over `limit` within the current window.

    Windows are fixed spans of `window_seconds` named in the cache key, so a counter never
    counts into the next window, whatever becomes of its timeout.
    """
    counter = _counter(key, window_seconds)
    for _attempt in range(2):
        cache.add(counter, 0, window_seconds)
        try:
            count = cache.incr(counter)
        except ValueError:
            continue  # expired (or evicted) between add and incr: start it again
        # Keep the counter's timeout: Redis recreates a key that expired just before INCR without
        # one, and the database cache's incr replaces it with the default.
        cache.touch(counter, window_seconds)
        return count > limit
    # A cache that keeps nothing (DummyCache) limits nothing.
    return False
