from django.dispatch import Signal

# Sent inside the closing transaction, once completion is recorded; `event` is the closed event.
event_closed = Signal()

# Sent inside the transaction of an administrator's attendance correction on a closed event, once
# completion is recorded again: `event`, `actor` (who corrected), `completed` and `not_completed`
# (enrollments whose completion changed to true, or to false).
completion_changed = Signal()
