"""Sorting people in the page's language: the participants list and the attendance grid, collated and plain.

    .venv/bin/python bench/collation.py            # SQLite file var/bench-collation.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergia_bench_collation .venv/bin/python bench/collation.py

Makes (once) an event with 2,000 enrollments and a five-day event with 200 participants and their attendance, with
Romanian and Russian names. Prints min, median and max over the runs and the queries of: the participants list (first
and last page of 50, in Romanian and Russian) and the attendance grid (in Romanian), and of the selectors' queries
alone, each with lms.collation (ICU collations on PostgreSQL, Python collations on SQLite) and with plain ordering
(code points, what the database does by itself).
"""

import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database, load_printed, production_settings, spreads_ms  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-collation.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
production_settings()
if os.environ["DATABASE_URL"].startswith("postgres"):
    create_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from courses import selectors  # noqa: E402
from courses.models import Attendance, Course, Enrollment, Event, Programme  # noqa: E402
from lms.mfa import mfa_set_up  # noqa: E402
from lms.models import Audience, Institution, User  # noqa: E402
from lms.roles import Role  # noqa: E402
from lms.services import role_grant  # noqa: E402

RUNS = 9
LIST_SIZE, GRID_SIZE, GRID_DAYS = 2000, 200, 5
FAMILY = ["Țurcanu", "Bălan", "Banu", "Bârcă", "Ciobanu", "Istrati", "Înculeț", "Sârbu", "Sandu", "Șalaru", "Tănase",
          "Tudor", "Rusu", "Munteanu", "Ceban", "Cojocaru", "Ёлкин", "Елкин", "Ерёмин", "Жуков", "Иванов", "Яковлев",
          "Смирнова", "Попова", "Stabiņa", "Sweet"]  # fmt: skip
GIVEN = ["Ion", "Ana", "Ștefan", "Țicu", "Andrei", "Irina", "Sergiu", "Mihaela", "Алексей", "Ольга", "Ёжи", "Lāsma"]


@transaction.atomic
def populate():
    course = Course.objects.filter(slug="bench-collation").first()
    if course:
        return list(course.events.order_by("capacity"))
    today = timezone.localdate()
    funder, _created = Institution.objects.get_or_create(name="Bench funder", defaults={"kind": "international"})
    programme = Programme.objects.create(code="BENCH-COLLATION", title_en="Bench", funder=funder, starts_on=today,
                                         ends_on=today + timedelta(days=365))  # fmt: skip
    course = Course.objects.create(slug="bench-collation", title_en="Bench course", activity_type="course")
    grid = Event.objects.create(course=course, programme=programme, start_date=today - timedelta(days=2),
                                end_date=today + timedelta(days=GRID_DAYS - 3), capacity=GRID_SIZE,
                                enrollment_closes_at=timezone.now() - timedelta(days=3),
                                working_language="ro", status=Event.Status.PUBLISHED)  # fmt: skip
    listed = Event.objects.create(course=course, programme=programme, start_date=today + timedelta(days=30),
                                  end_date=today + timedelta(days=31), capacity=LIST_SIZE, working_language="ro",
                                  enrollment_closes_at=timezone.now() + timedelta(days=20),
                                  status=Event.Status.PUBLISHED)  # fmt: skip
    names = random.Random(14)
    people = User.objects.bulk_create(
        User(email=f"bench-collation-{n}@example.test", given_name=names.choice(GIVEN),
             family_name=f"{names.choice(FAMILY)}{'' if n % 3 else '-' + names.choice(FAMILY)}",
             profession=Audience.JUDGE)
        for n in range(LIST_SIZE + GRID_SIZE)
    )  # fmt: skip
    statuses = [Enrollment.Status.CONFIRMED] * 6 + [Enrollment.Status.REQUESTED, Enrollment.Status.CANCELLED]
    Enrollment.objects.bulk_create(
        Enrollment(event=listed, user=person, profession=Audience.JUDGE, status=statuses[n % len(statuses)])
        for n, person in enumerate(people[:LIST_SIZE])
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(event=grid, user=person, profession=Audience.JUDGE, status=Enrollment.Status.CONFIRMED)
        for person in people[LIST_SIZE:]
    )
    Attendance.objects.bulk_create(
        Attendance(enrollment=enrollment, date=grid.start_date + timedelta(days=day), status=Attendance.Status.PRESENT)
        for enrollment in enrollments
        for day in range(GRID_DAYS)
    )
    return [grid, listed]


def query_count(call):
    call()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    return len(queries)


class Plain:
    """Within it, the selectors order people by code point, as before lms.collation."""

    def __enter__(self):
        self.collated, selectors.BY_NAME = selectors.BY_NAME, ["user__family_name", "user__given_name", "pk"]

    def __exit__(self, *exc):
        selectors.BY_NAME = self.collated


def in_language(language, call):
    def run():
        with translation.override(language):
            return call()

    return run


def main():
    load_printed()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    grid, listed = populate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    settings.ALLOWED_HOSTS = ["*"]
    admin, created = User.objects.get_or_create(email="bench-collation-admin@example.test",
                                                defaults={"given_name": "Bench", "family_name": "Admin"})  # fmt: skip
    if created:
        role_grant(user=admin, role=Role.ADMINISTRATOR)
    if not mfa_set_up(admin):  # administrators must have one, or every page leads to its setup
        TOTP.activate(admin, generate_totp_secret())
    clients = {}
    for language in ("ro", "ru"):
        clients[language] = Client()
        clients[language].force_login(admin)
        clients[language].cookies[settings.LANGUAGE_COOKIE_NAME] = language
    last = (listed.enrollments.count() + 49) // 50
    pages = [
        ("participants p.1, ro", lambda: clients["ro"].get(f"/events/{listed.pk}/participants/")),
        (f"participants p.{last}, ro", lambda: clients["ro"].get(f"/events/{listed.pk}/participants/?page={last}")),
        ("participants p.1, ru", lambda: clients["ru"].get(f"/events/{listed.pk}/participants/")),
        ("attendance grid 200x5, ro", lambda: clients["ro"].get(f"/events/{grid.pk}/attendance/")),
    ]
    reads = [
        ("query: first 50 of 2,000, ro", in_language("ro", lambda: list(selectors.event_enrollments(listed)[:50]))),
        ("query: grid completions, ro", in_language("ro", lambda: selectors.event_completions(grid))),
    ]
    print(f"database: {connection.vendor}, runs: {RUNS}, times in ms (min / median / max)")
    print(f"{'page':<32}{'collated':>26}{'plain':>26}{'queries':>9}")
    for label, call in pages + reads:
        queries = "-"
        if (label, call) in pages:
            queries = query_count(call)
            with Plain():
                assert query_count(call) == queries
        collated_ms, plain_ms = spreads_ms(RUNS, call, plain_call(call))
        print(f"{label:<32}{fmt(collated_ms):>26}{fmt(plain_ms):>26}{queries:>9}")


def plain_call(call):
    def run():
        with Plain():
            return call()

    return run


def fmt(spread):
    return " / ".join(f"{ms:.1f}" for ms in spread)


if __name__ == "__main__":
    main()
