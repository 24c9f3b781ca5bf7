"""The trainers' end-of-activity reports: what went well, problems, recommendations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from lms.roles import can

from .models import TrainerReport

PARTS = ("went_well", "problems", "recommendations")


def trainer_report_save(*, event, author, went_well="", problems="", recommendations=""):
    """Write (or rewrite) `author`'s report on `event`: theirs alone, once the activity is over, and not empty."""
    if not can(author, "evaluation.trainer_report", event):
        raise PermissionDenied
    parts = dict(zip(PARTS, (went_well.strip(), problems.strip(), recommendations.strip()), strict=True))
    if not any(parts.values()):
        raise ValidationError(_("Write at least one of the three parts of the report."))
    report, _created = TrainerReport.objects.update_or_create(event=event, author=author, defaults=parts)
    return report
