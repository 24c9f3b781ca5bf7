"""/stats/ over 200,000 enrollments and 1,000,000 attendance rows, against hand-written SQL.

    .venv/bin/python bench/stats.py [--scale 2]

Needs PostgreSQL (DATABASE_URL, default a database sinergia_bench_stats on
127.0.0.1; at --scale N a database of its own, suffixed _xN). Generates the data once with SQL: 4,000 events
over four years, those of the last 30 days still open (54, with 2,704 enrollments), the others
completed or cancelled; at --scale N, N times the people, the events and the enrollments, the added events
being completed ones of the four years before (history: the events still open stay as many). Then prints min-median-max time and the query count of
/stats/ unfiltered and filtered, and of hand-written SQL computing the same figures, timed in turn, with the
ratio. Targets: unfiltered at most 250 ms (and at most 1.3x that at --scale 2), filtered at most 2x the SQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database, load_printed, production_settings, spreads_ms  # noqa: E402

PARSER = argparse.ArgumentParser()
PARSER.add_argument("--scale", type=int, default=1, help="times the history (people, events, enrollments)")
PARSER.add_argument("--runs", type=int, default=7)
ARGS = PARSER.parse_args()
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergia_bench_stats")
if ARGS.scale != 1:
    os.environ["DATABASE_URL"] += f"_x{ARGS.scale}"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
production_settings()

# At scale 1: 200,000 x 5 = 1,000,000 attendance rows. The first RECENT events are those of 2022-2025, a tenth
# of them cancelled, those of their last OPEN_DAYS days still open (not closed yet), the others completed; at a
# larger scale the events added are the history before them, all completed.
RECENT, OPEN_DAYS, DAYS = 4_000, 30, 5
PEOPLE, EVENTS, ENROLLMENTS = 50_000 * ARGS.scale, RECENT * ARGS.scale, 200_000 * ARGS.scale


create_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from courses.models import Enrollment  # noqa: E402
from lms.models import User  # noqa: E402
from lms.roles import Role  # noqa: E402
from lms.services import role_grant  # noqa: E402

GENERATE = f"""
INSERT INTO lms_user (password, is_superuser, email, given_name, family_name, name_other_script, profession, position,
                      institution_id, region_id, sex, preferred_language, phone, is_staff, is_active, date_joined)
SELECT '!', false, 'stats' || n || '@example.test', 'Given', 'Family ' || n, '',
       (ARRAY['judge','prosecutor','police_officer','lawyer','social_worker','ngo','local_authority','other'])[1 + n % 8],
       '', (SELECT id FROM lms_institution ORDER BY id OFFSET n % (SELECT count(*) FROM lms_institution) LIMIT 1), NULL,
       (ARRAY['female','male','other','not_stated'])[1 + n % 4], 'ro', '', false, true, now()
FROM generate_series(1, {PEOPLE}) AS n;

INSERT INTO courses_event (course_id, programme_id, title, title_en, title_ro, title_ru, description, description_en,
                           description_ro, description_ru, start_date, end_date, day_starts_at, day_ends_at, time_zone,
                           venue_name, venue_address, city, region_id, format, working_language, interpretation,
                           capacity, requires_approval, enrollment_opens_at, enrollment_closes_at, status,
                           created_at, updated_at, closing_reason)
SELECT (SELECT id FROM courses_course ORDER BY id OFFSET n % (SELECT count(*) FROM courses_course) LIMIT 1),
       (SELECT id FROM courses_programme ORDER BY id OFFSET n % (SELECT count(*) FROM courses_programme) LIMIT 1),
       '', '', '', '', '', '', '', '', start, start + {DAYS - 1},
       '09:00', '17:00', 'Europe/Chisinau', 'bench', '', 'Chișinău',
       (SELECT id FROM lms_region ORDER BY id OFFSET n % (SELECT count(*) FROM lms_region) LIMIT 1),
       'in_person', 'ro', '', 60, false, NULL, now(), CASE WHEN n > {RECENT} THEN 'completed' WHEN n % 10 = 0 THEN
       'cancelled' WHEN n % 1400 >= {1400 - OPEN_DAYS} THEN 'published' ELSE 'completed' END, now(), now(), ''
FROM generate_series(1, {EVENTS}) AS n,
     LATERAL (SELECT DATE '2022-01-03' + (n % 1400) - 1400 * ((n - 1) / {RECENT}) AS start) AS dates;

WITH people AS (SELECT id, institution_id, profession, row_number() OVER (ORDER BY id) AS r FROM lms_user
                WHERE email LIKE 'stats%%'),
     events AS (SELECT id, row_number() OVER (ORDER BY id) AS r FROM courses_event WHERE venue_name = 'bench')
INSERT INTO courses_enrollment (event_id, user_id, institution_id, profession, status, awaits_endorsement, created_at,
                                updated_at, attended_days, scheduled_days, attendance_rate, credit_hours, completed)
SELECT e.id, p.id, p.institution_id, p.profession, 'confirmed', false, now(), now(), n % ({DAYS} + 1), {DAYS},
       (n % ({DAYS} + 1)) * 100.0 / {DAYS},
       (n % ({DAYS} + 1)) * 6.5, (n % ({DAYS} + 1)) * 100 >= 80 * {DAYS}
FROM generate_series(0, {ENROLLMENTS} - 1) AS n
JOIN people p ON p.r = 1 + n % {PEOPLE}
JOIN events e ON e.r = 1 + (n / {PEOPLE} * 997 + n) % {EVENTS};

INSERT INTO courses_attendance (enrollment_id, date, status, note, source, marked_by_id, marked_at)
SELECT en.id, ev.start_date + d, CASE WHEN d < en.attended_days THEN 'present' ELSE 'absent' END, '', 'trainer', NULL, now()
FROM courses_enrollment en JOIN courses_event ev ON ev.id = en.event_id, generate_series(0, {DAYS - 1}) AS d
WHERE ev.venue_name = 'bench';
ANALYZE;
"""

HAND_WRITTEN = [
    # Participations by sex, profession, institution, region, theme, month; events by region, theme, month;
    # trainers and facilitators: the figures /stats/ shows, as one would write them by hand.
    # Sex is the person's; profession and institution those recorded with each enrollment.
    """SELECT {group}, count(*), count(DISTINCT en.user_id), count(*) FILTER (WHERE ev.status = 'completed'),
              sum(en.attended_days) FILTER (WHERE ev.status = 'completed'),
              sum(en.scheduled_days) FILTER (WHERE ev.status = 'completed'),
              count(*) FILTER (WHERE ev.status = 'completed' AND en.completed),
              sum(en.credit_hours) FILTER (WHERE ev.status = 'completed'), count(c.id) FILTER (WHERE c.revoked_at IS NULL)
       FROM courses_enrollment en JOIN courses_event ev ON ev.id = en.event_id JOIN lms_user u ON u.id = en.user_id
       LEFT JOIN certificates_certificate c ON c.enrollment_id = en.id
       WHERE en.status = 'confirmed' AND ev.status IN ('published', 'completed') {where}
       GROUP BY {group}""",
]


def hand_written_sql(where=""):
    groups = ("u.sex", "en.profession", "en.institution_id")
    queries = [HAND_WRITTEN[0].format(group=group, where=where) for group in groups]
    queries += [
        f"""SELECT {group}, count(*), count(DISTINCT en.user_id), count(*) FILTER (WHERE ev.status = 'completed'),
                   sum(en.attended_days) FILTER (WHERE ev.status = 'completed'),
                   sum(en.scheduled_days) FILTER (WHERE ev.status = 'completed'),
                   count(*) FILTER (WHERE ev.status = 'completed' AND en.completed),
                   sum(en.credit_hours) FILTER (WHERE ev.status = 'completed'),
                   count(c.id) FILTER (WHERE c.revoked_at IS NULL)
            FROM courses_enrollment en JOIN courses_event ev ON ev.id = en.event_id {join}
            LEFT JOIN certificates_certificate c ON c.enrollment_id = en.id
            WHERE en.status = 'confirmed' AND ev.status IN ('published', 'completed') {where} GROUP BY {group}"""
        for group, join in [("ev.region_id", ""), ("date_trunc('month', ev.start_date)", ""),
                            ("ct.theme_id", "JOIN courses_course_themes ct ON ct.course_id = ev.course_id")]
    ]  # fmt: skip
    queries += [
        f"""SELECT {group}, count(*) FILTER (WHERE status = 'published'), count(*) FILTER (WHERE status = 'completed'),
                   count(*) FILTER (WHERE status = 'cancelled') FROM courses_event ev {join}
            WHERE ev.status <> 'draft' {where} GROUP BY {group}"""
        for group, join in [("ev.region_id", ""), ("date_trunc('month', ev.start_date)", ""),
                            ("ct.theme_id", "JOIN courses_course_themes ct ON ct.course_id = ev.course_id")]
    ]  # fmt: skip
    queries += [
        f"SELECT count(DISTINCT t.user_id) FROM courses_event_trainers t JOIN courses_event ev ON ev.id = t.event_id "
        f"WHERE ev.status <> 'draft' {where}",
        f"SELECT count(DISTINCT f.facilitator_id) FROM courses_agendaitem_facilitators f JOIN courses_agendaitem a "
        f"ON a.id = f.agendaitem_id JOIN courses_event ev ON ev.id = a.event_id WHERE ev.status <> 'draft' {where}",
    ]
    return queries


def run_sql(queries):
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query)
            cursor.fetchall()


def main():
    load_printed()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production without REDIS_URL caches in this table
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Enrollment.objects.filter(event__venue_name="bench").exists():
        call_command("seed_demo", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(GENERATE)
    # Completed events counted once, as after the migration's first request (or any change) it is done in a task.
    call_command("stats_rollup_build", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    admin = User.objects.get(email="admin@sinergia.test")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    region = (
        connection.cursor()
        .execute("SELECT region_id FROM courses_event WHERE venue_name = 'bench' LIMIT 1")
        .fetchone()[0]
    )
    enrollments, attendance = Enrollment.objects.count(), connection.cursor().execute(
        "SELECT count(*) FROM courses_attendance").fetchone()[0]  # fmt: skip
    print(f"PostgreSQL: {enrollments:,} enrollments, {attendance:,} attendance rows")
    print(f"scale {ARGS.scale}, {ARGS.runs} runs each, timed in turn; min-median-max ms")
    print(f"{'':<32}{'page':>16}{'queries':>9}{'its SQL':>16}{'hand-written SQL':>18}{'ratio':>16}")
    for label, params, where in [
        ("/stats/ unfiltered", {}, ""),
        ("/stats/ filtered (region, 2024)", {"region": region, "date_from": "2024-01-01", "date_to": "2024-12-31"},
         f"AND ev.region_id = {region} AND ev.start_date BETWEEN '2024-01-01' AND '2024-12-31'"),
    ]:  # fmt: skip
        # A first request draws the filter form into the cache: the captured one reads it, as most requests do.
        assert client.get("/stats/", params).status_code == 200
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/stats/", params).status_code == 200
        # Read now: later requests clear the log. "Its SQL" is the page's own statements run alone.
        statements = [query["sql"] for query in queries.captured_queries]
        times = {"page": [], "own": [], "sql": []}

        def timed(name, call, times=times):
            start = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - start) * 1000)

        spreads_ms(ARGS.runs, lambda params=params: timed("page", lambda: client.get("/stats/", params)),
                   lambda statements=statements: timed("own", lambda: run_sql(statements)),
                   lambda where=where: timed("sql", lambda: run_sql(hand_written_sql(where))))  # fmt: skip
        # Each run's page over the SQL timed next to it, so that a slow spell weighs on both; the warm-up run left out.
        ratios = [page / sql for page, sql in zip(times["page"][1:], times["sql"][1:], strict=True)]
        print(
            f"{label:<32}{spread(times['page'][1:]):>16}{len(statements):>9}{spread(times['own'][1:]):>16}"
            f"{spread(times['sql'][1:]):>18}{spread(ratios, '.2f'):>16}"
        )
    print("targets: unfiltered at most 250 ms (1.3x that at twice the data), filtered at most 2x the hand-written SQL")


def spread(values, form=".0f"):
    return "–".join(format(value, form) for value in (min(values), statistics.median(values), max(values)))


if __name__ == "__main__":
    main()
