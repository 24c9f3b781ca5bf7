"""Catalog speed: /courses/ over 10,000 events, and over twice as many, against a minimal one-query view.

    .venv/bin/python bench/catalog.py            # SQLite files var/bench-catalog.sqlite3, var/bench-catalog-x2.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergia_bench .venv/bin/python bench/catalog.py

Two databases are filled once: one with 10,000 events, one with `--scale` (2) times as many. Each round times,
in turn, the minimal view, the first page and a filtered page on both, so that a busy spell of the machine
weighs on all alike. Prints min–median–max over the rounds of each page's median server time (in-process,
no network), its query count and its ratio to the minimal view on the same database. Targets: at most
8 queries, at most 2x the minimal view in every round, at most 1.2x its own time at twice the events.
"""

import argparse
import os
import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database, load_printed, production_settings, spreads_ms  # noqa: E402

ARGUMENTS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGUMENTS.add_argument("--scale", type=int, default=2, help="events of the larger database, as a multiple of 10,000")
ARGUMENTS.add_argument("--rounds", type=int, default=5, help="interleaved rounds (at least 3)")
ARGS = ARGUMENTS.parse_args()

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-catalog.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
production_settings()

import django  # noqa: E402
from django.conf import settings  # noqa: E402

# The larger database sits beside the first one; a router sends every query to the database being timed.
LARGER = "larger"
settings.DATABASES[LARGER] = {**settings.DATABASES["default"]}
if settings.DATABASES[LARGER]["ENGINE"] == "django.db.backends.sqlite3":
    settings.DATABASES[LARGER]["NAME"] = str(Path(settings.DATABASES["default"]["NAME"]).with_suffix("")) + (
        f"-x{ARGS.scale}.sqlite3"
    )
else:
    settings.DATABASES[LARGER]["NAME"] += f"_x{ARGS.scale}"
    create_database(os.environ["DATABASE_URL"])
    create_database(os.environ["DATABASE_URL"] + f"_x{ARGS.scale}")


class TimedDatabase:
    alias = "default"

    def db_for_read(self, model, **hints):
        return TimedDatabase.alias

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return True


settings.DATABASE_ROUTERS = [TimedDatabase()]
django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connections, reset_queries, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Course, CourseAudience, Event, Programme, Theme  # noqa: E402
from lms.models import Audience, Institution, Region  # noqa: E402

EVENTS, EVENTS_PER_COURSE, RUNS = 10_000, 20, 15


def populate(events):
    if Event.objects.count() >= events:
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
        for n in range(events // EVENTS_PER_COURSE)
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


def on(alias, call):
    """`call` with every query sent to the database `alias`."""

    def timed():
        TimedDatabase.alias = alias
        return call()

    return timed


def query_count(alias, call):
    """The queries of a request in the state the timed ones meet: course cards already cached."""
    call()
    reset_queries()  # the log is capped; start it empty
    with CaptureQueriesContext(connections[alias]) as queries:
        assert call().status_code == 200
    return len(queries)


def prepared(alias, events):
    TimedDatabase.alias = alias
    call_command("migrate", database=alias, verbosity=0)
    call_command("createcachetable", database=alias, verbosity=0)  # production without REDIS_URL caches here
    with transaction.atomic(using=alias):  # the demo's own transactions are on the default database
        populate(events)
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert
    return Event.objects.count(), Course.objects.count()


def spread(values, digits=1):
    return "–".join(f"{value:.{digits}f}" for value in (min(values), statistics.median(values), max(values)))


def main():
    load_printed()
    if ARGS.rounds < 3:
        raise SystemExit("--rounds: at least 3")
    call_command("collectstatic", interactive=False, verbosity=0)
    sizes = {alias: prepared(alias, events) for alias, events in [("default", EVENTS), (LARGER, EVENTS * ARGS.scale)]}
    # Keep one connection for the whole run, as a long-lived server process does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = __name__
    client = Client()
    filtered = {"audience": "judge", "language": "ro", "open_now": "on"}
    pages = [
        ("minimal view (20 rows, 1 query)", lambda: client.get("/bench/minimal/")),
        ("/courses/ first page", lambda: client.get("/courses/")),
        ("/courses/ filtered", lambda: client.get("/courses/", filtered)),
    ]
    calls = {(alias, label): on(alias, call) for alias in sizes for label, call in pages}
    counts = {key: query_count(key[0], call) for key, call in calls.items()}
    rounds = [dict(zip(calls, spreads_ms(RUNS, *calls.values()), strict=True)) for _round in range(ARGS.rounds)]
    median = {key: [timed[key][1] for timed in rounds] for key in calls}  # each round's median
    print(f"database: {connections['default'].vendor}; {ARGS.rounds} rounds of {RUNS} interleaved requests each")
    heads = f"{'events':>8}{'queries':>9}{'median ms (min–median–max)':>29}{'x minimal':>18}{'x own at 1x':>16}"
    print(f"{'page':<34}{heads}")
    for alias, (events, _courses) in sizes.items():
        minimal = median[alias, pages[0][0]]
        for label, _call in pages:
            times = median[alias, label]
            ratio = spread([ms / least for ms, least in zip(times, minimal, strict=True)], 2)
            growth = spread([ms / base for ms, base in zip(times, median["default", label], strict=True)], 2)
            print(f"{label:<34}{events:>8}{counts[alias, label]:>9}{spread(times):>29}{ratio:>18}{growth:>16}")
    print(f"targets: at most 8 queries, at most 2x the minimal view, at most 1.2x own time at {ARGS.scale}x the events")


if __name__ == "__main__":
    main()
