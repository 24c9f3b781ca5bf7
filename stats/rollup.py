"""The figures of completed events, counted once (Rollup) and read by /stats/ unfiltered.

Completed events are frozen: what changes their figures is rare (closing, an administrator's correction or
cancellation, a certificate issued or revoked, a person's recorded sex, a course's themes...), and each such
change calls `rollup_stale()` (stats/receivers.py). The Rollup rows are used only while no change happened since
they were built: two counters in the cache say so, and the page counts everything live otherwise (today's exact
figures, only slower) while a task builds them again.
"""

import logging

from django.core.cache import cache
from django.db import transaction

from courses.models import Enrollment, Event

from . import counting
from .models import Rollup

log = logging.getLogger(__name__)

CHANGES, BUILT, BUILDING = "stats:rollup:changes", "stats:rollup:built", "stats:rollup:building"
# A build asked for is not asked for again within this many seconds.
BUILD_PENDING_SECONDS = 300
# Rollup's column for the key of each of its tables.
COLUMNS = {"sex": "sex", "profession": "profession", "institution": "institution_id", "region": "region_id",
           "theme": "theme_id", "month": "period", "quarter": "period"}  # fmt: skip


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
    counted = {
        "month": counting.participations(_completed_enrollments(), "month"),
        "quarter": counting.participations(_completed_enrollments(), "quarter", tables=["time"]),
    }
    rows = []
    for table in Rollup.Table.values:
        by = "quarter" if table == Rollup.Table.QUARTER else "month"
        name = _name(table, by)
        rows += [Rollup(table=table, **{COLUMNS[table]: values[counting.KEYS[name][0]]},
                        **{count: values[count] or 0 for count in counting.PARTICIPATION_COUNTS})
                 for values in counted[by][name]]  # fmt: skip
    with transaction.atomic():
        Rollup.objects.all().delete()
        Rollup.objects.bulk_create(rows, batch_size=1000)
    cache.set(BUILT, changes, timeout=None)
    cache.delete(BUILDING)
    log.info("statistics of completed events counted again: %d rows", len(rows))
    return len(rows)


def _name(table, by):
    """The name of figures' table that Rollup's `table` holds the rows of, when time goes `by` month or quarter."""
    if table in (Rollup.Table.MONTH, Rollup.Table.QUARTER):
        return "time" if table == by else None
    return table


def frozen_rows(by="month"):
    """{table name of figures: its participations' values, as stats/counting.py gives them}: those of the
    completed events counted once, then those of the open events; or None while Rollup is not fresh (a build is
    then asked for)."""
    found = cache.get_many([BUILT, CHANGES])
    if found.get(BUILT) is None or found.get(BUILT) != found.get(CHANGES):
        transaction.on_commit(_build_ask)
        return None
    names = {**counting.names("institution__name", "institution_name"), **counting.names("region__name", "region_name")}
    frozen = {name: [] for name in counting.KEYS}
    other_time_table = Rollup.Table.MONTH if by == "quarter" else Rollup.Table.QUARTER
    rows = Rollup.objects.exclude(table=other_time_table).annotate(**names)
    for row in rows.values("table", *set(COLUMNS.values()), *counting.PARTICIPATION_COUNTS, *names):
        name = _name(row["table"], by)
        frozen[name].append({counting.KEYS[name][0]: row[COLUMNS[row["table"]]], **row})
    for name, values in _open_rows(by).items():
        frozen[name] += values
    return frozen


def _open_rows(by):
    """The participations of the open (published) events by table: they are few, whatever the history. Their
    persons are those not counted in the same row among the completed events', so that both add up to the
    persons of all, exactly. Open events record no completion yet: their closed-event figures are empty."""
    # The open events named first, so that their participations are read by event, not found among all of history.
    open_events = list(Event.objects.filter(status=Event.Status.PUBLISHED).values_list("pk", flat=True))
    participations = Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED, event__in=open_events)
    return counting.participations(participations, by, seen=_completed_enrollments())
