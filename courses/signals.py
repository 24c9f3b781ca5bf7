from django.dispatch import Signal

# Sent inside the closing transaction, once completion is recorded; `event` is the closed event.
event_closed = Signal()
