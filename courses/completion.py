"""Completion and credit hours: attended days over ALL scheduled days of the event.

A day counts as attended when the participant was present or late, and also
when excused if the course says so. Credit hours are the scheduled hours
(agenda, breaks excluded) of the days the participant was there: present or late.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Attendance

THERE = {Attendance.Status.PRESENT, Attendance.Status.LATE}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Completion:
    attended_days: int
    scheduled_days: int
    rate: Decimal  # percent, two decimals
    credit_hours: Decimal
    completed: bool


def completion(course, days, day_hours, statuses):
    """`statuses`: {day: Attendance.Status} of one participant; unmarked days are simply missing."""
    attended_statuses = THERE | ({Attendance.Status.EXCUSED} if course.excused_count_as_attended else set())
    attended = sum(1 for day in days if statuses.get(day) in attended_statuses)
    hours = sum((Decimal(str(day_hours.get(day, 0))) for day in days if statuses.get(day) in THERE), Decimal(0))
    scheduled = len(days)
    rate = (Decimal(attended * 100) / scheduled).quantize(CENT, ROUND_HALF_UP) if scheduled else Decimal(0)
    return Completion(
        attended_days=attended,
        scheduled_days=scheduled,
        rate=rate,
        credit_hours=hours.quantize(CENT, ROUND_HALF_UP),
        # Compared in whole numbers, so 4 days of 5 against 80% is exactly complete.
        completed=scheduled > 0 and attended * 100 >= course.attendance_threshold * scheduled,
    )
