"""Every write of the courses app, as keyword-only functions inside transactions."""

from .agenda import (
    agenda_copy_from,
    agenda_day_duplicate,
    agenda_facilitator_clashes,
    agenda_item_check,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_save,
)
from .events import event_cancel, event_publish, facilitator_create, locked_event

__all__ = [
    "agenda_copy_from",
    "agenda_day_duplicate",
    "agenda_facilitator_clashes",
    "agenda_item_check",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_save",
    "event_cancel",
    "event_publish",
    "facilitator_create",
    "locked_event",
]
