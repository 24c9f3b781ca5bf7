from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from lms.roles import can

from .models import RetentionRun
from .records import processing_records, run_result


@login_required
def records(request):
    """The records of processing, with the retention periods as configured and what their last run did."""
    if not can(request.user, "privacy.records"):
        raise PermissionDenied
    run = RetentionRun.objects.first()
    report = run.report if run else {}
    rows = [(record, run_result(record, report)) for record in processing_records()]
    return render(request, "privacy/records.html", {"rows": rows, "run": run})
