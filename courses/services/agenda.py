from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from .. import schedule
from ..models import AgendaItem
from .events import locked_event


def _day_label(day):
    return date_format(day, "DATE_FORMAT")


def _time_range(item):
    return f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}"


def agenda_item_check(*, event, item):
    """Raise ValidationError when a session is not valid in its event; it need not be saved yet."""
    errors = {}
    if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if item.date not in event.days:
        errors["date"] = _("The day must be one of the event's days, from %(first)s to %(last)s.") % {
            "first": _day_label(event.start_date),
            "last": _day_label(event.end_date),
        }
    if errors:
        raise ValidationError(errors)
    same_room = event.agenda_items.filter(
        date=item.date, room__iexact=item.room.strip(), starts_at__lt=item.ends_at, ends_at__gt=item.starts_at
    ).exclude(pk=item.pk)
    clash = same_room.first()
    if clash:
        raise ValidationError(
            _("This session overlaps “%(title)s” (%(times)s) in the same room; give one of them another room.")
            % {"title": clash.title, "times": _time_range(clash)}
        )


def agenda_facilitator_clashes(*, event, item, facilitators):
    """Warnings, not errors: facilitators also leading a session elsewhere at the same time, across events."""
    interval = schedule.item_interval(item, event.tz)
    others = (
        AgendaItem.objects.filter(
            facilitators__in=facilitators,
            date__range=(item.date - timedelta(days=1), item.date + timedelta(days=1)),
        )
        .exclude(pk=item.pk)
        .select_related("event")
        .prefetch_related("facilitators")
        .distinct()
    )
    warnings = []
    wanted = {person.pk for person in facilitators}
    for other in others:
        if not schedule.overlaps(interval, schedule.item_interval(other, other.event.tz)):
            continue
        for person in other.facilitators.all():
            if person.pk in wanted:
                warnings.append(
                    _("%(name)s is also leading “%(title)s” (%(event)s, %(day)s %(times)s) at that time.")
                    % {
                        "name": person.display_name,
                        "title": other.title,
                        "event": other.event.display_title,
                        "day": _day_label(other.date),
                        "times": _time_range(other),
                    }  # fmt: skip
                )
    return warnings


def agenda_item_save(*, event, item, facilitators):
    """Create or update a session (fields already set on `item`); returns the facilitator warnings."""
    with transaction.atomic():
        event = locked_event(event)
        item.event = event
        item.room = item.room.strip()
        agenda_item_check(event=event, item=item)
        if item.pk is None:
            last = event.agenda_items.filter(date=item.date).order_by("-position").first()
            item.position = last.position + 1 if last else 0
        item.save()
        item.facilitators.set(facilitators)
    return agenda_facilitator_clashes(event=event, item=item, facilitators=facilitators)


DEFAULT_START = time(9)
DEFAULT_LENGTH = timedelta(minutes=90)


def agenda_next_slot(*, event, day, items=None):
    """What a new session on `day` most likely is: it starts when the day's last one ends, which it resembles.

    `items`: the day's sessions when the caller has read them already.
    """
    if items is None:
        previous = event.agenda_items.filter(date=day).order_by("-ends_at", "-position").first()
    else:
        previous = max(items, key=lambda item: (item.ends_at, item.position), default=None)
    if previous is None:
        return {"date": day.isoformat(), "starts_at": DEFAULT_START, "ends_at": _later(DEFAULT_START, DEFAULT_LENGTH)}
    length = datetime.combine(day, previous.ends_at) - datetime.combine(day, previous.starts_at)
    return {
        "date": day.isoformat(),
        "starts_at": previous.ends_at,
        "ends_at": _later(previous.ends_at, length),
        "kind": previous.kind,
        "room": previous.room,
    }


def _later(start, length):
    """`start` + `length`, kept on the same day (a session cannot run past midnight)."""
    end = datetime.combine(datetime.min, start) + length
    return end.time() if end.date() == datetime.min.date() else time(23, 59)


def agenda_item_delete(*, item):
    with transaction.atomic():
        locked_event(item.event)
        item.delete()


def agenda_item_move(*, item, direction):
    """Swap a session with the one before or after it on its day; each keeps its length and the gap between."""
    with transaction.atomic():
        event = locked_event(item.event)
        day = list(event.agenda_items.filter(date=item.date).order_by("starts_at", "position", "pk"))
        index = next(i for i, other in enumerate(day) if other.pk == item.pk)
        neighbour_index = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= neighbour_index < len(day):
            raise ValidationError(_("This session cannot move further."))
        first, second = sorted([day[index], day[neighbour_index]], key=lambda each: (each.starts_at, each.position))
        tz = event.tz
        start = schedule.aware(item.date, first.starts_at, tz)
        gap = schedule.aware(item.date, second.starts_at, tz) - schedule.aware(item.date, first.ends_at, tz)
        second_length = schedule.aware(item.date, second.ends_at, tz) - schedule.aware(item.date, second.starts_at, tz)
        first_length = schedule.aware(item.date, first.ends_at, tz) - schedule.aware(item.date, first.starts_at, tz)
        second_start, second_end = start, start + second_length
        first_start = second_end + max(gap, timedelta())
        first_end = first_start + first_length
        if first_end.date() != item.date:
            raise ValidationError(_("The sessions would run past midnight."))
        second.starts_at, second.ends_at = second_start.time(), second_end.time()
        first.starts_at, first.ends_at = first_start.time(), first_end.time()
        first.position, second.position = second.position, first.position
        # The two cannot overlap each other now; check each against the rest of the day.
        for moved, other in [(second, first), (first, second)]:
            rest = [each for each in day if each.pk not in (moved.pk, other.pk)]
            _check_against(moved, rest)
        second.save(update_fields=["starts_at", "ends_at", "position"])
        first.save(update_fields=["starts_at", "ends_at", "position"])


def agenda_item_place(*, item, index):
    """Move a session to the `index`-th place of its day (from 0), one neighbour at a time, as the arrows do."""
    with transaction.atomic():
        event = locked_event(item.event)
        day = list(event.agenda_items.filter(date=item.date).order_by("starts_at", "position", "pk"))
        current = next(i for i, other in enumerate(day) if other.pk == item.pk)
        if not 0 <= index < len(day):
            raise ValidationError(_("This session cannot move further."))
        direction = "up" if index < current else "down"
        for _step in range(abs(index - current)):
            agenda_item_move(item=item, direction=direction)


def _check_against(item, others):
    for other in others:
        if other.room.lower() == item.room.lower() and schedule.overlaps(
            (item.starts_at, item.ends_at), (other.starts_at, other.ends_at)
        ):
            raise ValidationError(
                _("Moving would make “%(title)s” overlap “%(other)s” in the same room.")
                % {"title": item.title, "other": other.title}
            )


def _copy_items(items, event, day_of):
    """Copy sessions into `event`, day by day as `day_of` says; all are checked first."""
    copies = []
    for item in items:
        facilitators = list(item.facilitators.all())
        copy = AgendaItem(
            event=event,
            date=day_of(item.date),
            position=item.position,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            kind=item.kind,
            moderator=item.moderator,
            room=item.room,
            **{field: getattr(item, field) for field in _translated_fields()},
        )
        agenda_item_check(event=event, item=copy)
        _check_against(copy, [made for made, _people in copies if made.date == copy.date])
        copies.append((copy, facilitators))
    for copy, facilitators in copies:
        copy.save()
        copy.facilitators.set(facilitators)
    return [copy for copy, _people in copies]


def _translated_fields():
    return [
        build_localized_fieldname(field, code)
        for field in ("title", "description")
        for code, _name in settings.LANGUAGES
    ]


def agenda_day_duplicate(*, event, source_day, target_day):
    """Copy one day's sessions to another day of the same event."""
    with transaction.atomic():
        event = locked_event(event)
        if source_day == target_day:
            raise ValidationError(_("Choose another day to copy to."))
        items = list(event.agenda_items.filter(date=source_day).prefetch_related("facilitators"))
        if not items:
            raise ValidationError(_("That day has no sessions to copy."))
        return _copy_items(items, event, lambda day: target_day)


def agenda_copy_from(*, event, source):
    """Copy the whole agenda of an earlier event (of any course), the dates shifted day by day."""
    with transaction.atomic():
        event = locked_event(event)
        if source.start_date >= event.start_date:
            raise ValidationError(_("Copy only from an earlier event."))
        if event.agenda_items.exists():
            raise ValidationError(_("This agenda already has sessions; copying needs an empty agenda."))
        shift = event.start_date - source.start_date
        items = [
            item for item in source.agenda_items.prefetch_related("facilitators") if item.date + shift <= event.end_date
        ]
        if not items:
            raise ValidationError(_("The earlier event has no sessions to copy."))
        return _copy_items(items, event, lambda day: day + shift)
