"""Who may do what: the one place the rest of the code asks.

Roles are Django groups (created by a data migration). Rules are small
functions registered by action name; `can(user, "action", obj)` answers.
The enrollment workflow's rules ("enrollment.<action>") are registered by its
table, courses/transitions.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The values are the names of the groups.
    PARTICIPANT = "Participant", _("Participant")
    TRAINER = "Trainer", _("Trainer")
    FOCAL_POINT = "Focal point", _("Focal point")
    ADMINISTRATOR = "Administrator", _("Administrator")


def roles_of(user):
    """The set of roles of a user, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        user._roles = frozenset(Role(name) for name in names if name in Role.values)
    return user._roles


def has_role(user, role):
    return role in roles_of(user)


def is_administrator(user):
    return has_role(user, Role.ADMINISTRATOR)


def is_focal_point_of(user, institution):
    return institution is not None and has_role(user, Role.FOCAL_POINT) and user.institution_id == institution.pk


RULES = {}


def rule(action):
    def register(func):
        RULES[action] = func
        return func

    return register


def can(user, action, obj=None):
    """May `user` do `action` (to `obj`)? Unknown actions are refused."""
    if not user.is_authenticated or not user.is_active:
        return False
    check = RULES.get(action)
    return bool(check and check(user, obj))


@rule("profile.change")
def _profile_change(user, profile):
    return profile is not None and (profile.pk == user.pk or is_administrator(user))


@rule("profile_changes.decide")
def _profile_changes_decide(user, _obj):
    return is_administrator(user)


@rule("profile.view")
def _profile_view(user, profile):
    return _profile_change(user, profile) or (profile is not None and is_focal_point_of(user, profile.institution))


@rule("mfa.required")
def _mfa_required(user, _obj):
    """Two-factor authentication is required of those who see other people's data: administrators and focal points.

    Everyone else may set it up, from their profile.
    """
    return is_administrator(user) or has_role(user, Role.FOCAL_POINT)


@rule("institution.view_reports")
def _institution_view_reports(user, institution):
    return is_administrator(user) or is_focal_point_of(user, institution)


def trains(user, event):
    """Is `user` a trainer of `event`? Asked of the database once per user object and event."""
    if event is None or not has_role(user, Role.TRAINER):
        return False
    known = user.__dict__.setdefault("_trains", {})
    if event.pk not in known:
        known[event.pk] = event.trainers.filter(pk=user.pk).exists()
    return known[event.pk]


@rule("event.manage")
def _event_manage(user, event):
    """Administrators, and the trainers assigned to the event."""
    return is_administrator(user) or trains(user, event)


@rule("event.create")
@rule("event.change")
def _event_create(user, _event):
    """Create, edit, clone, publish and cancel events: administrators."""
    return is_administrator(user)


@rule("agenda.change")
@rule("attendance.change")
def _event_records_change(user, event):
    """A completed event's agenda and attendance are history: only administrators still correct them."""
    return _event_manage(user, event) and (event.status != event.Status.COMPLETED or is_administrator(user))


@rule("event.close")
def _event_close(user, event):
    """Administrators close a published event at any time; its trainers once its last day has ended."""
    if event.status != event.Status.PUBLISHED:
        return False
    return is_administrator(user) or (event.last_day_ended and _event_manage(user, event))


@rule("event.participants")
def _event_participants(user, event):
    return _event_manage(user, event)


@rule("event.participant_list")
def _event_participant_list(user, event):
    """The "Who else takes part" list on an event's page: its confirmed participants see it (it names those who
    agreed to appear on it), as its trainers and administrators may, who see everybody on the participants' page."""
    if event is None:
        return False
    confirmed = event.enrollments.model.Status.CONFIRMED
    return _event_manage(user, event) or event.enrollments.filter(user=user, status=confirmed).exists()


@rule("event.nominate")
def _event_nominate(user, event):
    return is_administrator(user)


@rule("knowledge_test.take")
def _knowledge_test_take(user, enrollment):
    """A knowledge test is one's own: a confirmed participant of a published or closed event."""
    return (
        enrollment is not None
        and enrollment.user_id == user.pk
        and enrollment.status == enrollment.Status.CONFIRMED
        and enrollment.event.status in (enrollment.event.Status.PUBLISHED, enrollment.event.Status.COMPLETED)
    )


@rule("endorsements.view")
def _endorsements_view(user, _obj):
    return has_role(user, Role.FOCAL_POINT) and user.institution_id is not None


@rule("certificate.download")
def _certificate_download(user, certificate):
    """The holder's and administrators'; a certificate withdrawn at its holder's request is nobody's any more."""
    if certificate.withdrawn_at:
        return False
    return certificate.enrollment.user_id == user.pk or is_administrator(user)


@rule("certificates.manage")
def _certificates_manage(user, event):
    return is_administrator(user)


@rule("certificates.design")
def _certificates_design(user, _obj):
    return is_administrator(user)


@rule("evaluation.view")
def _evaluation_view(user, event):
    """An event's evaluation report: its trainers and administrators."""
    return _event_manage(user, event)


@rule("evaluation.trainer_report")
def _evaluation_trainer_report(user, event):
    """Each trainer of the event writes their own end-of-activity report, once the activity is over."""
    if event is None or not trains(user, event):
        return False
    return event.status == event.Status.COMPLETED or (event.status == event.Status.PUBLISHED and event.last_day_ended)


@rule("evaluation.scorecards")
def _evaluation_scorecards(user, _obj):
    """Facilitators' scorecards are for administrators alone, never public."""
    return is_administrator(user)


@rule("privacy.export")
def _privacy_export(user, person):
    """A copy of someone's personal data: their own, or anyone's for an administrator answering a request."""
    return person is not None and (person.pk == user.pk or is_administrator(user))


@rule("privacy.erasure_decide")
def _privacy_erasure_decide(user, _obj):
    return is_administrator(user)


@rule("privacy.records")
def _privacy_records(user, _obj):
    """The records of processing and the retention runs: administrators."""
    return is_administrator(user)


@rule("stats.view")
def _stats_view(user, _obj):
    """Administrators see everything; a focal point, their own institution's figures."""
    return is_administrator(user) or (has_role(user, Role.FOCAL_POINT) and user.institution_id is not None)


@rule("stats.donor_pack")
def _stats_donor_pack(user, _obj):
    return is_administrator(user)


@rule("catalog.manage")
def _catalog_manage(user, _obj):
    return is_administrator(user)
