"""iCalendar (RFC 5545) for events, made with the icalendar library.

A multi-day event is one VEVENT repeated daily (RRULE COUNT = its days), from
the daily start to the daily end in the event's own time zone, so every day
keeps its local hours across a daylight-saving change.
"""

from datetime import datetime
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone

PRODUCT_ID = "-//Sinergia//Training events//EN"


def event_component(event, site_url):
    tz = event.tz
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@{urlsplit(site_url).hostname}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    vevent.add("summary", event.display_title)
    vevent.add("dtstart", datetime.combine(event.start_date, event.day_starts_at, tzinfo=tz))
    vevent.add("dtend", datetime.combine(event.start_date, event.day_ends_at, tzinfo=tz))
    days = len(event.days)
    if days > 1:
        vevent.add("rrule", {"freq": "daily", "count": days})
    place = ", ".join(part for part in [event.venue_name, event.venue_address, event.city] if part)
    if place:
        vevent.add("location", place)
    url = site_url + event.get_absolute_url()
    vevent.add("url", url)
    vevent.add("description", "\n\n".join(part for part in [event.course.summary, url] if part))
    vevent.add("status", "CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED")
    return vevent


def calendar_bytes(events, site_url, name):
    """An iCalendar file of `events`; `site_url` (no trailing slash) makes their links."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event_component(event, site_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
