"""What django-prometheus costs a request, and what one /metrics scrape costs.

    .venv/bin/python bench/metrics.py            # SQLite file var/bench-metrics.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergia_bench_metrics .venv/bin/python bench/metrics.py

Times /courses/ over the demo's events in-process (no network) through the whole stack, with and without
django-prometheus's two middlewares, in turn; then /metrics as Prometheus scrapes it (the application's figures
read from the database at each scrape). Prints min / median / max in ms.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database, load_printed, production_settings, spreads_ms  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-metrics.sqlite3'}")
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
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from courses.models import Event  # noqa: E402
from lms.models import OutgoingEmail  # noqa: E402

PAGE, PAGE_RUNS, SCRAPE_RUNS = "/courses/", 300, 50
PROMETHEUS = ("django_prometheus.middleware.PrometheusBeforeMiddleware",
              "django_prometheus.middleware.PrometheusAfterMiddleware")  # fmt: skip


def client_with(middleware):
    """A client whose handler runs `middleware`: a client loads it at its first request."""
    with override_settings(MIDDLEWARE=middleware):
        client = Client()
        client.get("/healthz")
    return client


def main():
    load_printed()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production without REDIS_URL caches in this table
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Event.objects.exists():
        call_command("seed_demo", verbosity=0)
    # Keep one connection for the whole run, as a long-lived server process does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    settings.ALLOWED_HOSTS = ["*"]
    counted = client_with(settings.MIDDLEWARE)
    bare = client_with([name for name in settings.MIDDLEWARE if name not in PROMETHEUS])
    statuses = {counted.get(PAGE).status_code, bare.get(PAGE).status_code, counted.get("/metrics").status_code}

    (with_ms, without_ms) = spreads_ms(PAGE_RUNS, lambda: counted.get(PAGE), lambda: bare.get(PAGE))
    [scrape_ms] = spreads_ms(SCRAPE_RUNS, lambda: counted.get("/metrics"))
    scrape_bytes = len(counted.get("/metrics").content)

    print(f"database: {connection.vendor}, events: {Event.objects.count()}, outbox rows: "
          f"{OutgoingEmail.objects.count()}, answers: {sorted(statuses)}")  # fmt: skip
    print(f"{'':<44}{'min ms':>9}{'median ms':>11}{'max ms':>9}")
    for label, (least, median, most) in [
        (f"{PAGE} with django-prometheus ({PAGE_RUNS} runs)", with_ms),
        (f"{PAGE} without it", without_ms),
        (f"one /metrics scrape ({SCRAPE_RUNS} runs, {scrape_bytes:,} bytes)", scrape_ms),
    ]:
        print(f"{label:<44}{least:>9.2f}{median:>11.2f}{most:>9.2f}")
    print(f"django-prometheus per request: {with_ms[1] - without_ms[1]:+.2f} ms at the median "
          f"({with_ms[1] / without_ms[1]:.3f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
