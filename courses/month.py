"""The month grid of the public calendar."""

import calendar
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool = False


@dataclass
class Bar:
    """An event drawn once across the days it covers within one week (columns 1 to 7, Monday first)."""

    event: object
    column: int
    span: int
    continues_before: bool
    continues_after: bool


@dataclass
class Week:
    days: list
    bars: list = field(default_factory=list)


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


def month_weeks(first, events, today=None):
    """Weeks (Monday first) of Days, each with one Bar per event it shows, in the events' order."""
    weeks = [
        Week(days=[Day(date=day, in_month=day.month == first.month, is_today=day == today) for day in week])
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    for event in events:
        for week in weeks:
            monday, sunday = week.days[0].date, week.days[-1].date
            if event.end_date < monday or event.start_date > sunday:
                continue
            start, end = max(event.start_date, monday), min(event.end_date, sunday)
            week.bars.append(
                Bar(
                    event=event,
                    column=(start - monday).days + 1,
                    span=(end - start).days + 1,
                    continues_before=event.start_date < monday,
                    continues_after=event.end_date > sunday,
                )
            )
    return weeks
