"""Date, time and number formats per language (FORMAT_MODULE_PATH): day-month-year, 24-hour times.

What a language's module leaves out comes from Django's own formats for it.
"""

from django.utils import timezone
from django.utils.formats import date_format


def zoned_datetime(value, zone):
    """An aware `value` as the clock reads in `zone` (a ZoneInfo), the zone named: "4 June 2018, 18:00 (UTC)"."""
    return f"{date_format(timezone.localtime(value, zone), 'DATETIME_FORMAT')} ({zone.key})"
