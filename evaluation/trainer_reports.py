"""The trainers' end-of-activity reports: what went well, problems, recommendations."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from courses.models import Event
from lms.roles import can

from .models import TrainerReport

PARTS = ("went_well", "problems", "recommendations")
# A report not written this long after the activity is no longer asked for on the dashboard.
ASKED_FOR_DAYS = 60


def trainer_report_save(*, event, author, went_well="", problems="", recommendations=""):
    """Write (or rewrite) `author`'s report on `event`: theirs alone, once the activity is over, and not empty."""
    if not can(author, "evaluation.trainer_report", event):
        raise PermissionDenied
    parts = dict(zip(PARTS, (went_well.strip(), problems.strip(), recommendations.strip()), strict=True))
    if not any(parts.values()):
        raise ValidationError(_("Write at least one of the three parts of the report."))
    report, _created = TrainerReport.objects.update_or_create(event=event, author=author, defaults=parts)
    return report


def reports_to_write(user, today):
    """The activities `user` trained, over within the last ASKED_FOR_DAYS, without their report; one query."""
    over = Q(status=Event.Status.COMPLETED) | Q(status=Event.Status.PUBLISHED, end_date__lt=today)
    written = TrainerReport.objects.filter(event=OuterRef("pk"), author=user)
    return (
        user.trained_events.filter(over, end_date__gte=today - timedelta(days=ASKED_FOR_DAYS))
        .exclude(Exists(written))
        .select_related("course")
        .order_by("end_date", "pk")
    )
