import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Event
from lms.models import Audience
from tests.factories import CourseFactory, EventFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
CALENDAR = reverse("courses:calendar")
FEED = reverse("courses:calendar_feed")
CHISINAU = ZoneInfo("Europe/Chisinau")


def bars_of(response, title):
    """(week index, first column, span) of each bar drawn for an event."""
    return [(n, bar.column, bar.span) for n, week in enumerate(response.context["weeks"]) for bar in week.bars
            if bar.event.display_title == title]  # fmt: skip


def days_with(response, title):
    """The days of the month an event's bars cover."""
    return [day.date.day for week in response.context["weeks"] for bar in week.bars
            if bar.event.display_title == title
            for day in week.days[bar.column - 1:bar.column - 1 + bar.span] if day.in_month]  # fmt: skip


def vevents(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_month_view_shows_a_multi_day_event_on_each_of_its_days(client):
    EventFactory(
        course=CourseFactory(title_en="Anti-trafficking"), start_date=date(2027, 3, 30), end_date=date(2027, 4, 1)
    )
    response = client.get(CALENDAR, {"month": "2027-03"})
    assert days_with(response, "Anti-trafficking") == [30, 31]
    assert days_with(client.get(CALENDAR, {"month": "2027-04"}), "Anti-trafficking") == [1]


def test_a_multi_day_event_is_one_bar_per_week_listed_once_with_its_dates(client):
    # Thursday 25 March to Tuesday 30 March 2027 crosses one week's end.
    EventFactory(course=CourseFactory(title_en="Anti-trafficking"), start_date=date(2027, 3, 25),
                 end_date=date(2027, 3, 30))  # fmt: skip
    response = client.get(CALENDAR, {"month": "2027-03"})
    assert bars_of(response, "Anti-trafficking") == [(3, 4, 4), (4, 1, 2)]
    page = response.content.decode()
    assert page.count(">Anti-trafficking</a>") == 2
    assert page.count("25 March 2027 – 30 March 2027") == 2
    assert 'class="bar col-4 span-4 continues-after"' in page


def test_today_is_marked(client):
    today = timezone.localdate()
    page = client.get(CALENDAR, {"month": today.strftime("%Y-%m")}).content.decode()
    assert page.count('aria-current="date"') == 1
    assert f'aria-current="date"><time datetime="{today:%Y-%m-%d}">' in page
    assert 'aria-current="date"' not in client.get(CALENDAR, {"month": "2027-01"}).content.decode()


@pytest.mark.parametrize(("language", "day"), [("en", "4 May 2027"), ("ro", "4 mai 2027")])
def test_an_empty_month_leads_to_the_next_event_with_the_same_filters(client, language, day):
    balti = RegionFactory(name="Bălți")
    EventFactory(course=CourseFactory(title_en="Anti-trafficking", title_ro="Anti-trafficking"),
                 start_date=date(2027, 5, 4), region=balti)  # fmt: skip
    EventFactory(course=CourseFactory(title_en="Elsewhere"), start_date=date(2027, 4, 20))
    client.cookies["django_language"] = language
    page = client.get(CALENDAR, {"month": "2027-02", "region": balti.pk}).content.decode()
    link = re.search(r'<p class="message">[^<]+ <a href="\?month=2027-05&amp;region=(\d+)">([^<]+)</a></p>', page)
    assert link, page
    assert link[1] == str(balti.pk)
    assert "Anti-trafficking" in link[2] and day in link[2]
    assert "Elsewhere" not in page


def test_an_empty_month_with_nothing_after_it_says_so(client):
    EventFactory(start_date=date(2027, 4, 20))
    page = client.get(CALENDAR, {"month": "2027-06"}).content.decode()
    assert "No event this month." in page
    assert "Next:" not in page


def test_month_view_filters_like_the_catalog(client):
    balti = RegionFactory(name="Bălți")
    EventFactory(course=CourseFactory(title_en="For judges", audiences=[Audience.JUDGE]), start_date=date(2027, 5, 4),
                 region=balti)  # fmt: skip
    EventFactory(course=CourseFactory(title_en="For police", audiences=[Audience.POLICE_OFFICER]),
                 start_date=date(2027, 5, 6))  # fmt: skip
    EventFactory(course=CourseFactory(title_en="Draft"), start_date=date(2027, 5, 6), status=Event.Status.DRAFT)
    response = client.get(CALENDAR, {"month": "2027-05", "audience": "police_officer"})
    assert days_with(response, "For police") == [6, 7]
    assert days_with(response, "For judges") == []
    response = client.get(CALENDAR, {"month": "2027-05", "region": balti.pk})
    assert days_with(response, "For judges") == [4, 5]
    assert days_with(response, "For police") == []
    assert days_with(client.get(CALENDAR, {"month": "2027-05"}), "Draft") == []
    assert 'href="?month=2027-06&amp;region=' in response.content.decode()


@pytest.mark.parametrize("month", ["2027-13", "bad", "99999-01", ""])
def test_a_bad_month_gives_the_current_month_with_a_message(client, month):
    response = client.get(CALENDAR, {"month": month})
    assert response.status_code == 200
    assert "That month was not understood" in response.content.decode()


def test_calendar_runs_the_same_number_of_queries_at_1_and_50_events(client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(CALENDAR, {"month": "2027-06", "audience": "judge"})
        return len(queries)

    EventFactory(start_date=date(2027, 6, 1))
    one = count()
    for day in range(49):
        EventFactory(start_date=date(2027, 6, 1) + timedelta(days=day % 28))
    assert count() == one


def test_feed_parses_and_keeps_local_times_across_the_daylight_saving_change(client):
    # Moldova moves its clocks forward on Sunday 28 March 2027.
    EventFactory(course=CourseFactory(title_en="Spring training"), start_date=date(2027, 3, 27),
                 end_date=date(2027, 3, 29))  # fmt: skip
    [vevent] = vevents(client.get(FEED))
    start = vevent.decoded("dtstart")
    assert start == datetime(2027, 3, 27, 9, 0, tzinfo=CHISINAU)
    assert vevent.decoded("dtend") == datetime(2027, 3, 27, 17, 0, tzinfo=CHISINAU)
    days = list(rrulestr(vevent["rrule"].to_ical().decode(), dtstart=start))
    assert [day.strftime("%d %H:%M") for day in days] == ["27 09:00", "28 09:00", "29 09:00"]
    assert [day.utcoffset() for day in days] == [timedelta(hours=2), timedelta(hours=3), timedelta(hours=3)]
    assert "Europe/Chisinau" in client.get(FEED).content.decode()  # a VTIMEZONE is included


def test_feed_accepts_the_same_filters_and_keeps_past_events(client):
    EventFactory(course=CourseFactory(title_en="Past", audiences=[Audience.JUDGE]), start_date=date(2018, 6, 4),
                 status=Event.Status.COMPLETED)  # fmt: skip
    EventFactory(course=CourseFactory(title_en="Police", audiences=[Audience.POLICE_OFFICER]))
    EventFactory(course=CourseFactory(title_en="Hidden draft"), status=Event.Status.DRAFT)
    assert sorted(str(v["summary"]) for v in vevents(client.get(FEED))) == ["Past", "Police"]
    assert [str(v["summary"]) for v in vevents(client.get(FEED, {"audience": "judge"}))] == ["Past"]


def test_cancelled_events_are_cancelled_in_the_feed(client):
    EventFactory(status=Event.Status.CANCELLED)
    [vevent] = vevents(client.get(FEED))
    assert vevent["status"] == "CANCELLED"


def test_one_event_ics_with_its_place_and_link(client):
    event = EventFactory(venue_name="General Police Inspectorate", city="Chișinău", start_date=date(2027, 6, 4),
                         end_date=date(2027, 6, 4))  # fmt: skip
    [vevent] = vevents(client.get(reverse("courses:event_ics", args=[event.pk])))
    assert str(vevent["location"]) == "General Police Inspectorate, Chișinău"
    assert str(vevent["url"]).endswith(f"/events/{event.pk}/")
    assert "rrule" not in vevent


def test_a_draft_event_ics_is_hidden_from_the_public_but_not_its_trainer(client):
    trainer = UserFactory(role="Trainer")
    event = EventFactory(status=Event.Status.DRAFT, trainers=[trainer])
    url = reverse("courses:event_ics", args=[event.pk])
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    assert client.get(url).status_code == 200
