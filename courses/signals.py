from django.dispatch import Signal

# Sent inside the closing transaction, once completion is recorded; `event` is the closed event.
event_closed = Signal()

# Sent inside the transaction of an administrator's attendance correction on a closed event, once
# completion is recorded again, and when an administrator cancels a completed participant of a
# closed event: `event`, `actor` (who did it), `completed` and `not_completed` (enrollments whose
# completion changed to true, or to false), and optionally `reason` (the administrator's words).
completion_changed = Signal()
