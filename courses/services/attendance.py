"""Attendance: the trainer's grid, self check-in, and closing an event (which freezes completion)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import audit, ratelimit
from lms.roles import can

from .. import selectors
from ..models import Attendance, CheckInCode, Enrollment, Event
from ..signals import completion_changed, event_closed
from .events import locked_event

CHECK_IN_MINUTES = 20
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = 15 * 60


def attendance_grid_save(*, event, marks, actor):
    """Save a whole grid at once. `marks` maps (enrollment id, day) to (status or "", note).

    Anything wrong (another event's enrollment, a day outside the event, an
    unknown status, a mark or a note for a day still to come) refuses the whole
    grid: nothing is saved. Blank cells of days still to come are left alone.
    """
    with transaction.atomic():
        event = locked_event(event)
        confirmed = set(event.enrollments.filter(status=Enrollment.Status.CONFIRMED).values_list("pk", flat=True))
        days = set(event.days)
        today = timezone.localdate(timezone=event.tz)
        for (enrollment_id, day), (status, note) in marks.items():
            if enrollment_id not in confirmed or day not in days:
                raise ValidationError(_("The grid names a participant or a day that is not part of this event."))
            if status and status not in Attendance.Status.values:
                raise ValidationError(_("“%(status)s” is not an attendance status.") % {"status": status})
            if day > today and (status or note):
                raise ValidationError(_("Days still to come cannot be marked yet; nothing was saved."))
        marks = {key: value for key, value in marks.items() if key[1] <= today}
        existing = {(a.enrollment_id, a.date): a for a in Attendance.objects.filter(enrollment_id__in=confirmed)}
        if event.status == Event.Status.COMPLETED:
            _corrections_record(event, marks, existing, actor)
        changed, created, removed = [], [], []
        for key, (status, note) in marks.items():
            row = existing.get(key)
            if not status:
                if row:
                    removed.append(row.pk)
            elif row is None:
                created.append(Attendance(enrollment_id=key[0], date=key[1], status=status, note=note, marked_by=actor))
            elif (row.status, row.note) != (status, note):
                row.status, row.note, row.marked_by, row.source = status, note, actor, Attendance.Source.TRAINER
                row.marked_at = timezone.now()
                changed.append(row)
        Attendance.objects.filter(pk__in=removed).delete()
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["status", "note", "marked_by", "source", "marked_at"])
        if event.status == Event.Status.COMPLETED:
            # An administrator's correction after closing: completion follows it, and certificates
            # follow completion through the signal (the certificates app listens).
            completed, not_completed = completion_freeze(event=event)
            if completed or not_completed:
                completion_changed.send(
                    sender=Event, event=event, actor=actor, completed=completed, not_completed=not_completed
                )
        return len(created) + len(changed) + len(removed)


def _corrections_record(event, marks, existing, actor):
    """Each status changed on a closed event goes to the audit log: whose, which day, from what to what (a note
    changed alone is no correction of the attendance, and its text is never logged)."""
    corrections = []
    for key, (status, _note) in sorted(marks.items()):
        was = existing[key].status if key in existing else None
        if was != (status or None):
            corrections.append((key, {"from": was, "to": status or None}))
    if not corrections:
        return
    people = event.enrollments.select_related("user").in_bulk({key[0] for key, _change in corrections})
    audit.audit_record_many([
        {"action": audit.Action.ATTENDANCE_CORRECTED, "actor": actor, "subject": people[enrollment_id].user,
         "target": event, "day": day.isoformat(), **change}
        for (enrollment_id, day), change in corrections
    ])  # fmt: skip


def completion_freeze(*, event):
    """Record each confirmed participant's completion and credit hours on their enrollment.

    Returns (completed, not_completed): the enrollments whose completion changed to true, or to false
    (not yet recorded counts as false).
    """
    completed, not_completed = [], []
    for enrollment, result in selectors.event_completions(event):
        if bool(enrollment.completed) != result.completed:
            (completed if result.completed else not_completed).append(enrollment)
        enrollment.attended_days = result.attended_days
        enrollment.scheduled_days = result.scheduled_days
        enrollment.attendance_rate = result.rate
        enrollment.credit_hours = result.credit_hours
        enrollment.completed = result.completed
        frozen = ["attended_days", "scheduled_days", "attendance_rate", "credit_hours", "completed", "updated_at"]
        enrollment.save(update_fields=frozen)
    return completed, not_completed


def event_close(*, event, actor, reason=""):
    """Close the event: completion is frozen and only administrators change it afterwards.

    Its trainers close it once its last day has ended; before that only an
    administrator may, and says why.
    """
    reason = reason.strip()
    with transaction.atomic():
        event = locked_event(event)
        if event.status != Event.Status.PUBLISHED:
            raise ValidationError(_("Only a published event can be closed."))
        if timezone.localdate(timezone=event.tz) < event.start_date:
            raise ValidationError(_("An event can be closed once it has started."))
        ended = event.last_day_ended
        if not can(actor, "event.close", event):
            raise ValidationError(
                _("Only the event's trainers and administrators can close it.")
                if ended
                else _("Until its last day has ended, only an administrator can close this event.")
            )
        if not ended and not reason:
            raise ValidationError(_("Say why the event is closed before its last day has ended."))
        event.status = Event.Status.COMPLETED
        event.closed_at, event.closed_by, event.closing_reason = timezone.now(), actor, reason
        event.save(update_fields=["status", "closed_at", "closed_by", "closing_reason", "updated_at"])
        completion_freeze(event=event)
        event_closed.send(sender=Event, event=event)
        return event


def check_in_code_for_today(*, event, actor, renew=False):
    """Today's code of an event: the one still valid, or a new one for the next minutes."""
    today = timezone.localdate(timezone=event.tz)
    if today not in event.days:
        raise ValidationError(_("Check-in codes exist only on the days of the event."))
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Check-in is open only for a published event."))
    with transaction.atomic():
        event = locked_event(event)
        current = event.check_in_codes.filter(date=today, valid_until__gt=timezone.now()).first()
        if current and not renew:
            return current
        if current:
            event.check_in_codes.filter(date=today, valid_until__gt=timezone.now()).update(valid_until=timezone.now())
        return CheckInCode.objects.create(
            event=event, date=today, created_by=actor, valid_until=timezone.now() + timedelta(minutes=CHECK_IN_MINUTES)
        )


def check_in(*, user, code):
    """A confirmed participant enters today's code and is marked present for today."""
    wrong_codes = f"check-in-wrong:{user.pk}"
    if ratelimit.reached(wrong_codes, WRONG_CODES_ALLOWED, WRONG_CODES_WINDOW):
        raise ValidationError(_("Too many wrong codes. Try again in a few minutes."))
    entered = "".join(code.split()).upper()
    found = CheckInCode.objects.select_related("event").filter(code=entered).first()
    if found is None:
        ratelimit.hit(wrong_codes, WRONG_CODES_ALLOWED, WRONG_CODES_WINDOW)
        raise ValidationError(_("This code is not valid. Check it and try again."))
    event = found.event
    if found.date != timezone.localdate(timezone=event.tz):
        raise ValidationError(_("This code is for another day."))
    if timezone.now() >= found.valid_until:
        raise ValidationError(_("This code has expired. Ask the trainer for a new one."))
    with transaction.atomic():
        # Read under the lock: a closing (or cancelling) under way finishes first.
        if locked_event(event).status != Event.Status.PUBLISHED:
            raise ValidationError(_("Check-in has ended: this event is closed or cancelled."))
        enrollment = event.enrollments.filter(user=user, status=Enrollment.Status.CONFIRMED).first()
        if enrollment is None:
            raise ValidationError(_("You are not a confirmed participant of this event."))
        row = Attendance.objects.filter(enrollment=enrollment, date=found.date).first()
        if row and row.status == Attendance.Status.PRESENT:
            return row, False
        if row:
            row.status, row.source, row.marked_by = Attendance.Status.PRESENT, Attendance.Source.CHECK_IN, user
            row.save(update_fields=["status", "source", "marked_by", "marked_at"])
        else:
            row = Attendance.objects.create(
                enrollment=enrollment, date=found.date, status=Attendance.Status.PRESENT,
                source=Attendance.Source.CHECK_IN, marked_by=user,
            )  # fmt: skip
        return row, True
