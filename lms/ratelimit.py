"""Counting hits in the shared cache (Redis, or the database table in production without it)."""

import time

from django.core.cache import cache


def _windows(key, window_seconds):
    """The current window's counter, the previous one's, and the share of the previous still counted.

    A fixed window alone would let a burst through at its edge (five tries at 16:44:59, five more at
    16:45:00); weighing the previous window by the part of it still within `window_seconds` of now
    makes the limit slide.
    """
    now = time.time()
    index = int(now // window_seconds)
    still_counted = 1 - (now - index * window_seconds) / window_seconds
    return f"ratelimit:{key}:{index}", f"ratelimit:{key}:{index - 1}", still_counted


def _recent(current_count, previous, still_counted):
    return current_count + (cache.get(previous) or 0) * still_counted


def reached(key, limit, window_seconds):
    """Has `key` had `limit` hits or more in the last `window_seconds`? Counts nothing."""
    current, previous, still_counted = _windows(key, window_seconds)
    return _recent(cache.get(current) or 0, previous, still_counted) >= limit


def hit(key, limit, window_seconds):
    """Count one hit on `key`; True when this hit is over `limit` within the last `window_seconds`.

    Each window's counter is named in its cache key, so a counter never counts into the next
    window, whatever becomes of its timeout; it is kept for two windows, while it still weighs.
    """
    current, previous, still_counted = _windows(key, window_seconds)
    for _attempt in range(2):
        cache.add(current, 0, 2 * window_seconds)
        try:
            count = cache.incr(current)
        except ValueError:
            continue  # expired (or evicted) between add and incr: start it again
        # Keep the counter's timeout: Redis recreates a key that expired just before INCR without
        # one, and the database cache's incr replaces it with the default.
        cache.touch(current, 2 * window_seconds)
        return _recent(count, previous, still_counted) > limit
    # A cache that keeps nothing (DummyCache) limits nothing.
    return False
