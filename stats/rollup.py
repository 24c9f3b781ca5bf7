"""The figures of completed events, counted once (Rollup) and read by /stats/ unfiltered.

Completed events are frozen: what changes their figures is rare (closing, an administrator's correction or
cancellation, a certificate issued or revoked, a person's recorded sex, a course's themes...), and each such
change calls `rollup_stale()` (stats/receivers.py). The Rollup rows are used only while no change happened since
they were built: two counters in the cache say so, and the page counts everything live otherwise (today's exact
figures, only slower) while a task builds them again.
"""

import logging
from datetime import date

from django.core.cache import cache
from django.db import transaction

from courses.models import Enrollment, Event
from lms.models import User

from . import figures
from .models import Rollup

log = logging.getLogger(__name__)

CHANGES, BUILT, BUILDING = "stats:rollup:changes", "stats:rollup:built", "stats:rollup:building"
# A build asked for is not asked for again within this many seconds.
BUILD_PENDING_SECONDS = 300
# Rollup's column for the key of each of its tables.
COLUMNS = {"sex": "sex", "profession": "profession", "institution": "institution_id", "region": "region_id",
           "theme": "theme_id", "month": "period", "quarter": "period"}  # fmt: skip
# Which count of a row a participation adds to, by the person's recorded sex (as figures.PARTICIPATION_METRICS).
SEX_COUNTS = {User.Sex.FEMALE: "women", User.Sex.MALE: "men"}
METRICS = ["participations", "women", "men", "sex_other", "persons", "closed", "attended", "scheduled", "completed",
           "hours", "certificates"]  # fmt: skip


def _changes_count():
    try:
        cache.incr(CHANGES)
    except ValueError:  # not there yet, or evicted: a value no build was made at
        cache.add(CHANGES, 1, timeout=None)
        cache.incr(CHANGES)


def rollup_stale():
    """A completed event's figures change in the current transaction: from now on the page counts them live,
    and after the commit Rollup is built again. Counted again after the commit too, so that a build that
    read the data before this change committed is not taken for a fresh one."""
    _changes_count()

    def after_commit():
        _changes_count()
        _build_ask()

    transaction.on_commit(after_commit)


def _build_ask():
    if cache.add(BUILDING, True, timeout=BUILD_PENDING_SECONDS):
        from .tasks import rollup_build_task

        rollup_build_task.delay()


def _completed_enrollments():
    return Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED, event__status=Event.Status.COMPLETED)


def rollup_build():
    """Count the completed events' participations again, for every table, and mark Rollup fresh."""
    cache.add(CHANGES, 0, timeout=None)
    changes = cache.get(CHANGES)  # read before the data: a change committed after it counts again
    rows = []
    for table in Rollup.Table.values:
        key_name, expression = next(iter(_key(table).items()))
        values = figures.grouped(_completed_enrollments(), {key_name: expression}, figures.PARTICIPATION_METRICS)
        rows += [Rollup(table=table, **{COLUMNS[table]: row[key_name]}, **{name: row[name] or 0 for name in METRICS})
                 for row in values]  # fmt: skip
    with transaction.atomic():
        Rollup.objects.all().delete()
        Rollup.objects.bulk_create(rows, batch_size=1000)
    cache.set(BUILT, changes, timeout=None)
    cache.delete(BUILDING)
    log.info("statistics of completed events counted again: %d rows", len(rows))
    return len(rows)


def _key(table):
    keys = figures.participation_keys("quarter" if table == Rollup.Table.QUARTER else "month")
    return keys["time" if table in (Rollup.Table.MONTH, Rollup.Table.QUARTER) else table]


def frozen_rows(by="month"):
    """{table name of figures: its participations' values, as figures' own queries give them}: those of the
    completed events counted once, then those of the open events; or None while Rollup is not fresh (a build is
    then asked for)."""
    found = cache.get_many([BUILT, CHANGES])
    if found.get(BUILT) is None or found.get(BUILT) != found.get(CHANGES):
        transaction.on_commit(_build_ask)
        return None
    time_table = Rollup.Table.QUARTER if by == "quarter" else Rollup.Table.MONTH
    names = {**figures.names("institution__name", "institution_name"), **figures.names("region__name", "region_name")}
    frozen = {name: [] for name in ("sex", "profession", "institution", "region", "theme", "time")}
    other_time_table = Rollup.Table.MONTH if by == "quarter" else Rollup.Table.QUARTER
    rows = Rollup.objects.exclude(table=other_time_table).annotate(**names)
    for row in rows.values("table", *set(COLUMNS.values()), *METRICS, *names):
        key_name = next(iter(_key(row["table"])))
        name = "time" if row["table"] == time_table else row["table"]
        frozen[name].append({key_name: row[COLUMNS[row["table"]]], **row})
    for name, rows in _open_rows(by).items():
        frozen[name] += rows
    return frozen


def _month(day):
    return date(day.year, day.month, 1)


def _quarter(day):
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _keys(row, period):
    """Each table's key of a participation read by _open_rows(), as (table, key)."""
    return [("sex", row["user__sex"]), ("profession", row["profession"]), ("institution", row["institution"]),
            ("region", row["event__region"]), ("theme", row["event__course__themes"]),
            ("time", period(row["event__start_date"]))]  # fmt: skip


def _open_rows(by):
    """The participations of the open (published) events by table, in Python: they are few, whatever the history.
    Their persons are those not counted in the same row among the completed events', so that both add up to the
    persons of all, exactly. Open events record no completion yet: their closed-event figures are empty."""
    period = _quarter if by == "quarter" else _month
    keys = figures.participation_keys(by)
    names = {**figures.names("institution__name", "institution_name"),
             **figures.names("event__region__name", "region_name")}  # fmt: skip
    fields = ["pk", "user", "user__sex", "profession", "institution", "event__region", "event__course__themes",
              "event__start_date"]  # fmt: skip
    # The open events named first, so that their participations are read by event, not found among all of history.
    open_events = list(Event.objects.filter(status=Event.Status.PUBLISHED).values_list("pk", flat=True))
    participations = Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED, event__in=open_events).order_by()
    open_rows = participations.annotate(**names).values(*fields, *names, "certificate", "certificate__revoked_at")
    # What the same persons are counted in already, among the completed events.
    counted = {
        (table, key, row["user"])
        for row in _completed_enrollments().filter(user__in=participations.values("user")).order_by().values(*fields)
        for table, key in _keys(row, period)
    }
    tables, seen = {}, set()
    for row in open_rows:
        sex = SEX_COUNTS.get(row["user__sex"], "sex_other")
        certified = row["certificate"] is not None and row["certificate__revoked_at"] is None
        for table, key in _keys(row, period):
            # A course's themes multiply its rows: each participation counts once in each other table.
            if table != "theme" and (table, row["pk"]) in seen:
                continue
            seen.add((table, row["pk"]))
            first, *others = keys[table]
            values = tables.setdefault((table, key), {
                first: key, **{name: row[name] for name in others}, **dict.fromkeys(METRICS, 0), "persons": set()
            })  # fmt: skip
            values["participations"] += 1
            values[sex] += 1
            values["certificates"] += certified
            if (table, key, row["user"]) not in counted:
                values["persons"].add(row["user"])
    result = {}
    for (table, _key), values in tables.items():
        values["persons"] = len(values["persons"])
        result.setdefault(table, []).append(values)
    return result
