"""The enrollment workflow as one table: from which state, which action, by whom, to which state.

The services refuse what the table forbids, the views ask it before calling them, and the
templates draw their buttons from it (`decisions_for`, the `enrollment_decisions` tag).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lms.roles import Role, has_role, is_administrator, rule, trains

from .models import Enrollment, Event

Status = Enrollment.Status
# Who acts, besides the roles: the participant the enrollment is about.
SELF = "self"
TRAINER, FOCAL_POINT, ADMINISTRATOR = Role.TRAINER, Role.FOCAL_POINT, Role.ADMINISTRATOR
# A request still waiting for the focal point of the participant's institution.
AWAITING_ENDORSEMENT = "awaiting_endorsement"
# The next state of an approval: a seat when one is free, else the waiting list.
SEAT_OR_WAITLIST = "seat_or_waitlist"
# On a completed or cancelled event only administrators change enrollments, with a reason, and
# only to take someone out: nobody gets a seat in an event that is over.
CLOSED_EVENT = (Event.Status.COMPLETED, Event.Status.CANCELLED)
AFTER_CLOSING = {"cancel", "decline"}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    done: str


ACTIONS = {
    action.name: action
    for action in [
        Action("endorse", _("Endorse"), _("Endorsed.")),
        Action("endorse-decline", pgettext_lazy("endorsement", "Decline"), _("Declined.")),
        Action("approve", _("Approve"), _("Approved.")),
        Action("decline", _("Decline"), _("Declined.")),
        Action("promote", _("Promote"), _("Promoted from the waiting list.")),
        Action("cancel", _("Cancel"), _("The enrollment was cancelled.")),
    ]
}

# (state, action): (who may, next state)
TABLE = {
    (AWAITING_ENDORSEMENT, "endorse"): ({FOCAL_POINT, ADMINISTRATOR}, Status.REQUESTED),
    (AWAITING_ENDORSEMENT, "endorse-decline"): ({FOCAL_POINT, ADMINISTRATOR}, Status.DECLINED),
    # Administrators may approve without waiting for an endorsement.
    (AWAITING_ENDORSEMENT, "approve"): ({ADMINISTRATOR}, SEAT_OR_WAITLIST),
    (AWAITING_ENDORSEMENT, "decline"): ({TRAINER, ADMINISTRATOR}, Status.DECLINED),
    (AWAITING_ENDORSEMENT, "cancel"): ({SELF, TRAINER, ADMINISTRATOR}, Status.CANCELLED),
    (Status.REQUESTED, "approve"): ({TRAINER, ADMINISTRATOR}, SEAT_OR_WAITLIST),
    (Status.REQUESTED, "decline"): ({TRAINER, ADMINISTRATOR}, Status.DECLINED),
    (Status.REQUESTED, "cancel"): ({SELF, TRAINER, ADMINISTRATOR}, Status.CANCELLED),
    (Status.WAITLISTED, "promote"): ({TRAINER, ADMINISTRATOR}, Status.CONFIRMED),
    (Status.WAITLISTED, "decline"): ({TRAINER, ADMINISTRATOR}, Status.DECLINED),
    (Status.WAITLISTED, "cancel"): ({SELF, TRAINER, ADMINISTRATOR}, Status.CANCELLED),
    (Status.CONFIRMED, "cancel"): ({SELF, TRAINER, ADMINISTRATOR}, Status.CANCELLED),
}


def state_of(enrollment):
    if enrollment.status == Status.REQUESTED and enrollment.awaits_endorsement:
        return AWAITING_ENDORSEMENT
    return enrollment.status


def capacities(user, enrollment):
    """In which capacities `user` may act on `enrollment`: SELF and roles that concern it."""
    if not user.is_authenticated or not user.is_active:
        return set()
    found = set()
    if user.pk == enrollment.user_id:
        found.add(SELF)
    if is_administrator(user):
        found.add(ADMINISTRATOR)
    if trains(user, enrollment.event):
        found.add(TRAINER)
    # The institution recorded on the enrollment, not the person's current one.
    if has_role(user, FOCAL_POINT) and enrollment.institution_id and user.institution_id == enrollment.institution_id:
        found.add(FOCAL_POINT)
    return found


def who_may(action):
    """Everyone the table lets take `action` from some state."""
    return set().union(*(allowed for (_state, name), (allowed, _next) in TABLE.items() if name == action))


def concerns(user, enrollment, action):
    """May `user` ever take `action` on `enrollment`, in some state? If not, it is none of their business."""
    return bool(capacities(user, enrollment) & who_may(action))


def _refusal(user, enrollment, action, now=None):
    """Why `user` may not take `action` on `enrollment` (ignoring the reason a closed event needs), or None."""
    if action not in ACTIONS:
        return gettext("This is not an action on enrollments.")
    entry = TABLE.get((state_of(enrollment), action))
    if entry is None:
        return gettext("This enrollment is now “%(status)s”; nothing was changed.") % {
            "status": enrollment.get_status_display()
        }
    allowed, _next = entry
    acting = capacities(user, enrollment)
    if SELF in acting and action != "cancel":
        return gettext("Nobody decides on their own request.")
    if enrollment.event.status in CLOSED_EVENT:
        if action not in AFTER_CLOSING or ADMINISTRATOR not in acting:
            return gettext("This event is closed: only administrators change its enrollments.")
        return None
    if not acting & allowed:
        if (state_of(enrollment), action) == (AWAITING_ENDORSEMENT, "approve"):
            return gettext("The focal point of the participant's institution has not endorsed it yet.")
        return gettext("You may not do this.")
    if acting & allowed == {SELF} and (now or timezone.now()) >= enrollment.event.starts_at:
        return gettext("The event has started; ask its organisers to cancel your enrollment.")
    return None


def refusal(user, enrollment, action, note=""):
    """Why `user` may not take `action` on `enrollment` with this note, or None when they may."""
    reason = _refusal(user, enrollment, action)
    if reason is None and needs_reason(enrollment) and not note.strip():
        reason = gettext("This event is closed: say why you change this enrollment.")
    return reason


def next_state(enrollment, action):
    return TABLE[(state_of(enrollment), action)][1]


def decisions_for(user, enrollment):
    """The actions `user` may take on `enrollment` now, in the table's order, for drawing buttons."""
    return [ACTIONS[name] for name in ACTIONS if _refusal(user, enrollment, name) is None]


def needs_reason(enrollment):
    return enrollment.event.status in CLOSED_EVENT


for _name in ACTIONS:
    # can(user, "enrollment.approve", enrollment) and so on, answered by the table.
    rule(f"enrollment.{_name}")(lambda user, enrollment, name=_name: _refusal(user, enrollment, name) is None)
