"""The month grid of the public calendar."""

import calendar
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Day:
    date: date
    in_month: bool
    events: list = field(default_factory=list)


def parse_month(value):
    """'2026-06' -> date(2026, 6, 1); None when the value is not a month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else None
    except (ValueError, AttributeError):
        return None


def month_bounds(first):
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return first, last


def shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_weeks(first, events):
    """Weeks (Monday first) of Days; a multi-day event appears on each of its days."""
    weeks = [
        [Day(date=day, in_month=day.month == first.month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    by_date = {day.date: day for week in weeks for day in week}
    for event in events:
        for day in event.days:
            if day in by_date:
                by_date[day].events.append(event)
    return weeks
