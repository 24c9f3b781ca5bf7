import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from lms import ratelimit
from lms.ratelimit import hit

pytestmark = pytest.mark.django_db


def hits(key, times, limit=3, window=60):
    return [hit(key, limit, window) for _ in range(times)]


@pytest.fixture(params=["memory", "database", "redis"])
def shared_cache(request):
    """Each cache the settings can choose: per process (development), the database table, Redis."""
    if request.param == "memory":
        yield
        return
    if request.param == "database":
        config = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sinergia_cache"}
    else:
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
        }
    # A prefix of its own, so the test touches no other key of a shared Redis.
    with override_settings(CACHES={"default": {**config, "KEY_PREFIX": uuid.uuid4().hex}}):
        if request.param == "database":
            call_command("createcachetable", verbosity=0)
        yield


def test_hits_over_the_limit_are_refused_and_each_key_counts_alone(shared_cache):
    assert hits("verify:198.51.100.7", 5) == [False, False, False, True, True]
    assert hits("verify:198.51.100.8", 1) == [False]


def test_the_limit_slides_over_a_window_edge_and_lets_go_when_the_window_has_passed(monkeypatch):
    now = 1_800_000_000.0  # the start of a 60-second window
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    assert hits("check-in:7", 4) == [False, False, False, True]
    now += 59.9
    assert hits("check-in:7", 1) == [True]
    now += 0.2  # a new window, but the burst of a moment ago still counts
    assert ratelimit.reached("check-in:7", 3, 60)
    assert hits("check-in:7", 1) == [True]
    now += 30  # half of the last window still within 60 seconds: 5 * 0.5 + 1 = 3.5 hits
    assert ratelimit.reached("check-in:7", 3, 60)
    now += 120  # a whole window with no hit since
    assert hits("check-in:7", 3) == [False, False, False]


def test_a_counter_that_expires_between_add_and_incr_counts_the_hit_afresh(monkeypatch):
    hits("verify:198.51.100.7", 2)
    backend = caches["default"]
    real_add = backend.add
    expired = []

    def add_then_expire(key, value, timeout):
        added = real_add(key, value, timeout)
        if not expired:
            expired.append(key)
            backend.delete(key)  # the window ends right after the add
        return added

    monkeypatch.setattr(backend, "add", add_then_expire)
    assert hits("verify:198.51.100.7", 4) == [False, False, False, True]


def test_reached_tells_without_counting(shared_cache):
    key = "check-in-wrong:42"
    assert [ratelimit.reached(key, 2, 60) for _ in range(5)] == [False] * 5
    ratelimit.hit(key, 2, 60)
    assert not ratelimit.reached(key, 2, 60)
    ratelimit.hit(key, 2, 60)
    assert ratelimit.reached(key, 2, 60)
    assert not ratelimit.reached("check-in-wrong:43", 2, 60)
