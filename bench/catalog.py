"""Catalog speed: /courses/ over 10,000 events against a minimal one-query view.

    .venv/bin/python bench/catalog.py            # SQLite file var/bench-catalog.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergia_bench .venv/bin/python bench/catalog.py

Prints the median server time (in-process, no network) and the query count of
the first page and of a filtered page, and of a minimal view listing the same
20 courses with one query. Targets: at most 8 queries, at most 2.5x the minimal view.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database, medians_ms, production_settings  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-catalog.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
production_settings()
if os.environ["DATABASE_URL"].startswith("postgres"):
    create_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Course, CourseAudience, Event, Programme, Theme  # noqa: E402
from lms.models import Audience, Institution, Region  # noqa: E402

EVENTS, EVENTS_PER_COURSE, RUNS = 10_000, 20, 30


def populate():
    if Event.objects.count() >= EVENTS:
        return
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    themes = list(Theme.objects.all())
    regions = list(Region.objects.all())
    programme = Programme.objects.first()
    funder = Institution.objects.first()
    courses = Course.objects.bulk_create(
        Course(slug=f"bench-{n}", title_en=f"Bench course {n}", title=f"Bench course {n}",
               title_ro=f"Curs {n}", activity_type=Course.ActivityType.values[n % 8])
        for n in range(EVENTS // EVENTS_PER_COURSE)
    )  # fmt: skip
    audiences = list(Audience.values)
    CourseAudience.objects.bulk_create(
        CourseAudience(course=course, audience=audiences[(n + k) % len(audiences)])
        for n, course in enumerate(courses) for k in range(2)
    )  # fmt: skip
    Course.themes.through.objects.bulk_create(
        Course.themes.through(course=course, theme=themes[n % len(themes)]) for n, course in enumerate(courses)
    )
    closes = timezone.now()
    Event.objects.bulk_create(
        Event(course=course, programme=programme or Programme.objects.create(code="B", title_en="B", funder=funder,
                                                                             starts_on=today, ends_on=today),
              start_date=today + timedelta(days=(n * 7 + k * 3) % 700 - 200),
              end_date=today + timedelta(days=(n * 7 + k * 3) % 700 - 199),
              region=regions[(n + k) % len(regions)], city="Chișinău", working_language=["ro", "ru", "en"][k % 3],
              enrollment_closes_at=closes + timedelta(days=(n * 7 + k * 3) % 700 - 210), status=Event.Status.PUBLISHED)
        for n, course in enumerate(courses) for k in range(EVENTS_PER_COURSE)
    )  # fmt: skip


MINIMAL = engines["django"].from_string(
    "<ul>{% for c in courses %}<li>{{ c.title }} {{ c.next_start }}</li>{% endfor %}</ul>"
)


def minimal_view(request):
    from django.db.models import Min, Q

    today = timezone.localdate()
    courses = (
        Course.objects.filter(is_active=True)
        .annotate(next_start=Min("events__start_date", filter=Q(events__end_date__gte=today)))
        .order_by("next_start")[:20]
    )
    return HttpResponse(MINIMAL.render({"courses": courses}))


# The minimal view is served through the same URL resolver and middleware as the catalog.
urlpatterns = [path("bench/minimal/", minimal_view), path("", include("lms.urls"))]


def query_count(call):
    """The queries of a request in the state the timed ones meet: course cards already cached."""
    call()
    reset_queries()  # the log is capped; start it empty
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    return len(queries)


def main():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production without REDIS_URL caches in this table
    call_command("collectstatic", interactive=False, verbosity=0)
    populate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert
    # Keep one connection for the whole run, as a long-lived server process does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = __name__
    client = Client()
    minimal = lambda: client.get("/bench/minimal/")  # noqa: E731
    filtered = {"audience": "judge", "language": "ro", "open_now": "on"}
    pages = [
        ("/courses/ first page", lambda: client.get("/courses/")),
        ("/courses/ filtered", lambda: client.get("/courses/", filtered)),
    ]
    calls = [minimal] + [call for _label, call in pages]
    counts = [query_count(call) for call in calls]
    minimal_ms, *page_ms = medians_ms(RUNS, *calls)
    print(f"database: {connection.vendor}, events: {Event.objects.count()}, courses: {Course.objects.count()}")
    print(f"{'page':<34}{'median ms':>10}{'queries':>9}{'x minimal':>11}")
    print(f"{'minimal view (20 rows, 1 query)':<34}{minimal_ms:>10.1f}{counts[0]:>9}{1:>11.2f}")
    for (label, _call), ms, queries in zip(pages, page_ms, counts[1:], strict=True):
        print(f"{label:<34}{ms:>10.1f}{queries:>9}{ms / minimal_ms:>11.2f}")
    print("targets: at most 8 queries, at most 2.5x the minimal view")


if __name__ == "__main__":
    main()
