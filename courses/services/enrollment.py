"""Enrollment: requests, nominations, endorsement, approval, seats, the waiting list, cancellations.

Seats are counted and given under a lock on the event row, in the same
transaction, so an event is never oversold, whatever arrives at once.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import audit
from lms.formats import zoned_datetime
from lms.models import User
from lms.roles import Role, has_role

from .. import notifications, transitions
from ..models import Enrollment, EnrollmentLog, Event
from ..signals import completion_changed
from .events import locked_event

Status = Enrollment.Status
Action = EnrollmentLog.Action


def enrollment_ineligibility(*, user, event, now=None):
    """Why `user` may not enroll in `event` on their own now, or None when they may."""
    now = now or timezone.now()
    if event.status != event.Status.PUBLISHED or event.starts_at <= now:
        return _("This event is not open for enrollment.")
    if event.enrollment_opens_at and now < event.enrollment_opens_at:
        return _("Enrollment opens on %(when)s.") % {"when": zoned_datetime(event.enrollment_opens_at, event.tz)}
    if now >= event.enrollment_closes_at:
        return _("Enrollment closed on %(when)s.") % {"when": zoned_datetime(event.enrollment_closes_at, event.tz)}
    return audience_ineligibility(user=user, event=event)


def audience_ineligibility(*, user, event):
    """Why `user` is not someone this event takes as a participant, or None."""
    if has_role(user, Role.TRAINER) and event.trainers.filter(pk=user.pk).exists():
        return _("You are a trainer of this event; trainers do not enroll in it.")
    audiences = [row.audience for row in event.course.audiences.all()]
    if not audiences or user.profession in audiences:
        return None
    course_for = ", ".join(str(label) for label in event.course.audience_labels())
    if not user.profession:
        return _("This course is for: %(audiences)s. Add your profession to your profile to enroll.") % {
            "audiences": course_for
        }
    return _("This course is for: %(audiences)s. Your profile says: %(profession)s.") % {
        "audiences": course_for,
        "profession": user.get_profession_display(),
    }


def _log(enrollment, action, actor=None, note=""):
    EnrollmentLog.objects.create(enrollment=enrollment, action=action, actor=actor, note=note.strip())


def _audit(enrollment, actor, decision, was):
    """A decision someone took about another's enrollment goes to the audit log (a person's own request or
    cancellation, and the waiting list moving up by itself, are nobody's decision about them)."""
    if actor is None or actor.pk == enrollment.user_id:
        return
    change = {"from": was, "to": enrollment.status}
    audit.audit_record(action=audit.Action.ENROLLMENT_DECIDED, actor=actor, subject=enrollment.user,
                       target=enrollment.event, decision=decision, **change)  # fmt: skip


def _seats_taken(event):
    return event.enrollments.filter(status=Status.CONFIRMED).count()


def _give_seat_or_wait(event, enrollment, actor=None, note=""):
    """Confirm when a seat is free, else put on the waiting list; the event row must be locked."""
    now = timezone.now()
    if _seats_taken(event) < event.capacity:
        enrollment.status, enrollment.confirmed_at = Status.CONFIRMED, now
        enrollment.save(update_fields=["status", "confirmed_at", "awaits_endorsement", "updated_at"])
        _log(enrollment, Action.CONFIRMED, actor, note)
        notifications.enrollment_notify(enrollment, "confirmed")
    else:
        enrollment.status, enrollment.waitlisted_at = Status.WAITLISTED, now
        enrollment.save(update_fields=["status", "waitlisted_at", "awaits_endorsement", "updated_at"])
        _log(enrollment, Action.WAITLISTED, actor, note)
        notifications.enrollment_notify(enrollment, "waitlisted")


def waitlist_promote(*, event):
    """Give free seats to the first people waiting, in order; returns those promoted."""
    with transaction.atomic():
        event = locked_event(event)
        free = event.capacity - _seats_taken(event)
        if free <= 0 or event.status != event.Status.PUBLISHED:
            return []
        promoted = list(
            event.enrollments.select_related("user")
            .filter(status=Status.WAITLISTED)
            .order_by("waitlisted_at", "pk")[:free]
        )
        for enrollment in promoted:
            enrollment.status, enrollment.confirmed_at = Status.CONFIRMED, timezone.now()
            enrollment.save(update_fields=["status", "confirmed_at", "updated_at"])
            _log(enrollment, Action.PROMOTED)
            notifications.enrollment_notify(enrollment, "promoted")
        return promoted


def _has_focal_point(institution):
    return (
        institution is not None
        and User.objects.filter(institution=institution, groups__name=Role.FOCAL_POINT, is_active=True).exists()
    )


def _start(event, user, actor, action, note=""):
    """A new enrollment row, or the person's cancelled one taken up again."""
    existing = event.enrollments.filter(user=user).first()
    if existing and existing.status != Status.CANCELLED:
        raise ValidationError(
            _("%(name)s is already enrolled in this event (%(status)s).")
            % {"name": user.get_full_name(), "status": existing.get_status_display()}
        )
    enrollment = existing or Enrollment(event=event, user=user)
    enrollment.status = Status.REQUESTED
    enrollment.institution_id, enrollment.profession = user.institution_id, user.profession
    enrollment.nominated_by = actor if action == Action.NOMINATED else None
    enrollment.awaits_endorsement = False
    enrollment.waitlisted_at = enrollment.confirmed_at = enrollment.reminder_sent_at = None
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # The same person's second click, an instant after the first.
        raise ValidationError(_("You are already enrolled in this event.")) from None
    _log(enrollment, action, actor, note)
    return enrollment


def enrollment_request(*, user, event):
    """An official asks for a seat: confirmed or waitlisted at once, or sent for approval."""
    with transaction.atomic():
        event = locked_event(event)
        reason = enrollment_ineligibility(user=user, event=event)
        if reason:
            raise ValidationError(reason)
        enrollment = _start(event, user, user, Action.REQUESTED)
        if event.requires_approval:
            enrollment.awaits_endorsement = _has_focal_point(enrollment.institution)
            enrollment.save(update_fields=["awaits_endorsement"])
            notifications.enrollment_notify(enrollment, "requested")
        else:
            _give_seat_or_wait(event, enrollment)
        return enrollment


def enrollment_nominate(*, event, emails, actor):
    """An administrator enrolls people directly; returns (enrolled, problems) with one line per address refused."""
    enrolled, problems = [], []
    wanted = []
    for raw in emails:
        email = raw.strip().strip(",;").lower()
        if email and email not in wanted:
            wanted.append(email)
    with transaction.atomic():
        event = locked_event(event)
        if event.status not in (event.Status.PUBLISHED, event.Status.DRAFT):
            raise ValidationError(_("Nobody can be nominated to a cancelled or completed event."))
        found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted, is_active=True)
        people = {user.email_lower: user for user in found}
        for email in wanted:
            user = people.get(email)
            if user is None:
                problems.append(_("%(email)s: nobody has an account with this address.") % {"email": email})
                continue
            reason = audience_ineligibility(user=user, event=event)
            if reason:
                problems.append(f"{email}: {reason}")
                continue
            try:
                enrollment = _start(event, user, actor, Action.NOMINATED)
            except ValidationError as error:
                problems.append(f"{email}: {' '.join(error.messages)}")
                continue
            # A nomination is a request the administrator decides at once.
            _give_seat_or_wait(event, enrollment, actor)
            _audit(enrollment, actor, "nominate", Status.REQUESTED)
            enrolled.append(enrollment)
    return enrolled, problems


def _locked_enrollment(enrollment, actor, action, note):
    """Lock the event, re-read the enrollment, and ask the workflow's table: a stale page or a
    forbidden step changes nothing and says why."""
    locked_event(enrollment.event)
    enrollment = Enrollment.objects.select_related("event__course", "user").get(pk=enrollment.pk)
    reason = transitions.refusal(actor, enrollment, action, note)
    if reason:
        raise ValidationError(reason)
    return enrollment


def enrollment_endorse(*, enrollment, actor, note=""):
    """The focal point of the participant's institution supports the request."""
    with transaction.atomic():
        enrollment = _locked_enrollment(enrollment, actor, "endorse", note)
        enrollment.awaits_endorsement = False
        enrollment.save(update_fields=["awaits_endorsement", "updated_at"])
        _log(enrollment, Action.ENDORSED, actor, note)
        _audit(enrollment, actor, "endorse", enrollment.status)
        notifications.enrollment_notify(enrollment, "endorsed")
        return enrollment


def enrollment_approve(*, enrollment, actor, note=""):
    """A trainer or administrator accepts a request: a seat, or the waiting list when full."""
    with transaction.atomic():
        enrollment = _locked_enrollment(enrollment, actor, "approve", note)
        was = enrollment.status
        enrollment.awaits_endorsement = False
        _log(enrollment, Action.APPROVED, actor, note)
        _give_seat_or_wait(enrollment.event, enrollment, actor)
        _audit(enrollment, actor, "approve", was)
        return enrollment


def _decline(enrollment, actor, note, action):
    with transaction.atomic():
        enrollment = _locked_enrollment(enrollment, actor, action, note)
        was = enrollment.status
        enrollment.status = Status.DECLINED
        enrollment.awaits_endorsement = False
        enrollment.save(update_fields=["status", "awaits_endorsement", "updated_at"])
        _log(enrollment, Action.DECLINED, actor, note)
        _audit(enrollment, actor, action, was)
        notifications.enrollment_notify(enrollment, "declined", note=note)
        return enrollment


def enrollment_decline(*, enrollment, actor, note=""):
    """The organisers refuse a request or someone waiting."""
    return _decline(enrollment, actor, note, "decline")


def enrollment_endorsement_decline(*, enrollment, actor, note=""):
    """The focal point refuses to endorse a request awaiting them."""
    return _decline(enrollment, actor, note, "endorse-decline")


def enrollment_promote(*, enrollment, actor, note=""):
    """Give a free seat to this person on the waiting list (ahead of their turn)."""
    with transaction.atomic():
        enrollment = _locked_enrollment(enrollment, actor, "promote", note)
        if _seats_taken(enrollment.event) >= enrollment.event.capacity:
            raise ValidationError(_("No seat is free: raise the capacity or cancel a participant first."))
        enrollment.status, enrollment.confirmed_at = Status.CONFIRMED, timezone.now()
        enrollment.save(update_fields=["status", "confirmed_at", "updated_at"])
        _log(enrollment, Action.PROMOTED, actor, note)
        _audit(enrollment, actor, "promote", Status.WAITLISTED)
        notifications.enrollment_notify(enrollment, "promoted")
        return enrollment


def enrollment_cancel(*, enrollment, actor, note=""):
    """Cancel; a seat it held goes to the first person waiting.

    After closing (administrators only, with a reason), hours the person had earned go with it:
    `completion_changed` tells the apps above, so a certificate does not outlive them.
    """
    with transaction.atomic():
        enrollment = _locked_enrollment(enrollment, actor, "cancel", note)
        was = enrollment.status
        held_seat = was == Status.CONFIRMED
        had_completed = bool(enrollment.completed)
        enrollment.status = Status.CANCELLED
        enrollment.awaits_endorsement = False
        if had_completed:
            enrollment.completed = False
        enrollment.save(update_fields=["status", "awaits_endorsement", "completed", "updated_at"])
        _log(enrollment, Action.CANCELLED, actor, note)
        _audit(enrollment, actor, "cancel", was)
        notifications.enrollment_notify(enrollment, "cancelled")
        if had_completed:
            completion_changed.send(
                sender=Enrollment, event=enrollment.event, actor=actor, completed=[], not_completed=[enrollment],
                reason=note.strip(),
            )  # fmt: skip
        if held_seat:
            waitlist_promote(event=enrollment.event)
        return enrollment


def enrollment_reminders_send(*, today=None):
    """Remind confirmed participants the day before their event; each once. Returns how many."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    sent = 0
    due = Enrollment.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__start_date=tomorrow,
        event__status=Event.Status.PUBLISHED,
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            enrollment = (
                Enrollment.objects.select_for_update().select_related("event__course", "user").filter(pk=pk).first()
            )
            if enrollment is None or enrollment.reminder_sent_at or enrollment.status != Status.CONFIRMED:
                continue
            enrollment.reminder_sent_at = timezone.now()
            enrollment.save(update_fields=["reminder_sent_at"])
            notifications.enrollment_notify(enrollment, "reminder")
            sent += 1
    return sent
