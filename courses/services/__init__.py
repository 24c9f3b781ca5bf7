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
from .attendance import attendance_grid_save, check_in, check_in_code_for_today, completion_freeze, event_close
from .enrollment import (
    audience_ineligibility,
    enrollment_approve,
    enrollment_cancel,
    enrollment_decline,
    enrollment_endorse,
    enrollment_ineligibility,
    enrollment_nominate,
    enrollment_promote,
    enrollment_reminders_send,
    enrollment_request,
    waitlist_promote,
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
    "attendance_grid_save",
    "audience_ineligibility",
    "check_in",
    "check_in_code_for_today",
    "completion_freeze",
    "event_close",
    "enrollment_approve",
    "enrollment_cancel",
    "enrollment_decline",
    "enrollment_endorse",
    "enrollment_ineligibility",
    "enrollment_nominate",
    "enrollment_promote",
    "enrollment_reminders_send",
    "enrollment_request",
    "waitlist_promote",
    "event_cancel",
    "event_publish",
    "facilitator_create",
    "locked_event",
]
