"""Enrollment under load: N people ask for a seat at once, against gunicorn and PostgreSQL.

    .venv/bin/python bench/enroll.py [--requests 200] [--seats 30] [--concurrency 50] [--rounds 3]

Needs PostgreSQL (DATABASE_URL, default a database sinergia_bench_enroll on
127.0.0.1) and Redis (REDIS_URL, default db 14 on 127.0.0.1), so emails wait in
the queue as they would for a worker. Each round is a new event and new people,
against the same gunicorn. Prints each round's throughput, p50 and p95 latency,
the confirmed and waitlisted counts, and errors, then min–median–max over the
rounds. Target: 200 requests for 30 seats give 30 confirmed, 170 waitlisted,
0 errors, in every round.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import (  # noqa: E402
    create_database,
    free_port,
    gunicorn,
    load_printed,
    production_settings,
    signed_in_sessions,
    stopped,
)

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergia_bench_enroll")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The sessions made here must be readable by the server: one key for both.
production_settings()


create_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Course, CourseAudience, Enrollment, Event, Programme  # noqa: E402
from lms.models import Audience, Institution, User  # noqa: E402


def prepare(requests, seats):
    """An event of `seats` seats and `requests` signed-in judges, each with a session."""
    today = timezone.localdate()
    stamp = time.time_ns()
    funder, _created = Institution.objects.get_or_create(name="Bench funder", defaults={"kind": "international"})
    programme = Programme.objects.create(code=f"BENCH-{stamp}", title_en="Bench", funder=funder, starts_on=today,
                                         ends_on=today + timedelta(days=365))  # fmt: skip
    course = Course.objects.create(slug=f"bench-{stamp}", title_en="Bench course", activity_type="course")
    CourseAudience.objects.create(course=course, audience=Audience.JUDGE)
    event = Event.objects.create(
        course=course, programme=programme, start_date=today + timedelta(days=30), end_date=today + timedelta(days=31),
        working_language="ro", capacity=seats, status=Event.Status.PUBLISHED,
        enrollment_opens_at=timezone.now() - timedelta(days=1),
        enrollment_closes_at=timezone.now() + timedelta(days=20),
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(email=f"bench{stamp}-{n}@example.test", given_name="Bench", family_name=str(n), profession=Audience.JUDGE)
        for n in range(requests)
    )
    sessions = list(signed_in_sessions(User.objects.filter(pk__in=[u.pk for u in users])).values())
    return event, sessions


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def enroll(port, event_id, session_key):
    token = _get_new_csrf_string()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/events/{event_id}/enroll/",
        data=b"",
        method="POST",
        headers={
            "Cookie": f"sessionid={session_key}; csrftoken={token}",
            "X-CSRFToken": token,
            "Referer": f"http://127.0.0.1:{port}/",
        },  # fmt: skip
    )
    opener = urllib.request.build_opener(NoRedirect)
    start = time.perf_counter()
    try:
        opener.open(request, timeout=60)
        return time.perf_counter() - start, "HTTP 200 instead of a redirect"
    except urllib.error.HTTPError as error:
        elapsed = time.perf_counter() - start
        # Success is the redirect back to the event page (not to sign-in, not an error page).
        if error.code == 302 and error.headers["Location"] == f"/events/{event_id}/":
            return elapsed, None
        return elapsed, f"HTTP {error.code} {error.headers.get('Location', '')}"
    except OSError as error:
        return time.perf_counter() - start, repr(error)


def enrollment_round(port, requests, seats, concurrency):
    """One round: `requests` people ask at once for the `seats` of a new event. Its figures, as a dict."""
    event, sessions = prepare(requests, seats)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda key: enroll(port, event.pk, key), sessions))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _error in results)
    statuses = list(Enrollment.objects.filter(event=event).values_list("status", flat=True))
    return {
        "throughput": len(results) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "confirmed": statuses.count("confirmed"),
        "waitlisted": statuses.count("waitlisted"),
        "errors": [error for _seconds, error in results if error],
    }


def spread(values, unit):
    return "–".join(f"{value:.0f}" for value in (min(values), statistics.median(values), max(values))) + unit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_printed()
    call_command("migrate", verbosity=0)
    port = free_port()
    server = gunicorn(port, os.environ)
    try:
        rounds = [enrollment_round(port, args.requests, args.seats, args.concurrency) for _round in range(args.rounds)]
    finally:
        stopped(server, timeout=30)
    print(f"requests: {args.requests}, seats: {args.seats}, concurrency: {args.concurrency}, "
          f"server: gunicorn 3 workers x 8 threads, database: PostgreSQL")  # fmt: skip
    for number, figures in enumerate(rounds, 1):
        print(f"round {number}: {figures['throughput']:.1f} requests/s, p50 {figures['p50']:.0f} ms, "
              f"p95 {figures['p95']:.0f} ms, confirmed: {figures['confirmed']}, waitlisted: {figures['waitlisted']}, "
              f"errors: {len(figures['errors'])}")  # fmt: skip
        if figures["errors"]:
            print("  first errors:", figures["errors"][:5])
    spreads = {name: spread([figures[name] for figures in rounds], unit)
               for name, unit in [("throughput", "/s"), ("p50", " ms"), ("p95", " ms")]}  # fmt: skip
    print(f"over {len(rounds)} rounds (min–median–max): throughput {spreads['throughput']}, "
          f"p50 {spreads['p50']}, p95 {spreads['p95']}")  # fmt: skip
    print(f"target: {args.seats} confirmed, {args.requests - args.seats} waitlisted, 0 errors, in every round")


if __name__ == "__main__":
    main()
