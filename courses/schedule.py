"""Agenda times: wall-clock in the event's time zone, durations computed in real time."""

from datetime import UTC, datetime, timedelta

from .models import AgendaItem


def aware(day, wall_time, tz):
    return datetime.combine(day, wall_time, tzinfo=tz)


def item_interval(item, tz):
    """(start, end) of a session as aware UTC datetimes, so a DST change counts right."""
    return aware(item.date, item.starts_at, tz).astimezone(UTC), aware(item.date, item.ends_at, tz).astimezone(UTC)


def covered(intervals):
    """Total time covered by possibly overlapping intervals (parallel tracks count once)."""
    total, current_end = timedelta(), None
    for start, end in sorted(intervals):
        if current_end is None or start >= current_end:
            total += end - start
            current_end = end
        elif end > current_end:
            total += end - current_end
            current_end = end
    return total


def scheduled_hours(event, items):
    """Hours per day (every day of the event, breaks excluded) and in total, as floats."""
    tz = event.tz
    per_day = {day: [] for day in event.days}
    for item in items:
        if item.kind != AgendaItem.Kind.BREAK and item.date in per_day:
            per_day[item.date].append(item_interval(item, tz))
    hours = {day: covered(intervals).total_seconds() / 3600 for day, intervals in per_day.items()}
    return hours, sum(hours.values())


def agenda_days(event, items):
    """[(day, its sessions, its hours)] for every day of the event, and the total hours."""
    hours, total = scheduled_hours(event, items)
    return [(day, [item for item in items if item.date == day], hours[day]) for day in event.days], total


def day_spans(event, items):
    """[(day, start, end)] for every day of the event: its sessions' first start and last end, else the typed hours."""
    spans = {}
    for item in items:
        start, end = spans.get(item.date, (item.starts_at, item.ends_at))
        spans[item.date] = (min(start, item.starts_at), max(end, item.ends_at))
    typed = (event.day_starts_at, event.day_ends_at)
    return [(day, *spans.get(day, typed)) for day in event.days]


def overlaps(first, second):
    return first[0] < second[1] and second[0] < first[1]
