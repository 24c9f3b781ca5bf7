"""What changes the figures of completed events marks Rollup stale (stats/rollup.py). courses sends
event_closed and completion_changed; the rest are Django's model signals, for changes made elsewhere
(a certificate revoked, a person's sex corrected, a course's themes, a row deleted)."""

from courses.models import Event

from .rollup import rollup_stale

# Saving these fields of an enrollment changes what it counts for.
ENROLLMENT_COUNTED = {"status", "attended_days", "scheduled_days", "credit_hours", "completed", "institution",
                      "profession"}  # fmt: skip


def _touches(update_fields, counted):
    return update_fields is None or bool(counted & set(update_fields))


def stale_on_signal(sender, **kwargs):
    rollup_stale()


def enrollment_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if _touches(update_fields, ENROLLMENT_COUNTED) and instance.event.status == Event.Status.COMPLETED:
        rollup_stale()


def enrollment_deleted(sender, instance, **kwargs):
    if instance.event.status == Event.Status.COMPLETED:
        rollup_stale()


def event_changed(sender, instance, update_fields=None, **kwargs):
    # A completed event's region, dates or course; its status, whatever it becomes.
    if instance.status == Event.Status.COMPLETED or _touches(update_fields, {"status"}):
        rollup_stale()


def certificate_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or _touches(update_fields, {"revoked_at"}):
        rollup_stale()


def person_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if not created and _touches(update_fields, {"sex"}):
        rollup_stale()
