from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from courses import selectors as course_selectors
from courses.models import Event, Programme
from lms.roles import can, is_administrator
from lms.spreadsheets import csv_response

from . import charts, exports, figures
from .filters import StatsFilter


def _filters(request):
    if not can(request.user, "stats.view"):
        raise PermissionDenied
    institution = None if is_administrator(request.user) else request.user.institution
    return StatsFilter(request.GET or None, queryset=Event.objects.none(), institution=institution)


def _by(request):
    return "quarter" if request.GET.get("by") == "quarter" else "month"


@login_required
def stats(request):
    filterset = _filters(request)
    enrollments, events = filterset.enrollments(), filterset.events()
    tables = figures.breakdowns(enrollments, events, _by(request))
    charted = [(table, charts.table_chart(table, _by(request))) for table in tables]
    programme = filterset.data_clean().get("programme")
    context = {
        "filter": filterset,
        "summary": figures.summary(tables, events),
        "tables": charted,
        "by": _by(request),
        "query": request.GET.urlencode(),
        "donor_pack": programme if programme and can(request.user, "stats.donor_pack") else None,
    }
    return render(request, "stats/stats.html", context)


@login_required
def export(request, table, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = _filters(request)
    enrollments, events = filterset.enrollments(), filterset.events()
    tables = figures.breakdowns(enrollments, events, _by(request))
    if table == "summary":
        chosen = figures.summary_table(figures.summary(tables, events))
    else:
        chosen = next((t for t in tables if t.name == table), None)
        if chosen is None:
            raise Http404
    sheet = exports.table_sheet(chosen)
    name = f"sinergia-{chosen.name}"
    if fmt == "csv":
        return csv_response(name, sheet.header, sheet.rows)
    return exports.workbook_response(name, [sheet])


@login_required
def donor_pack(request, pk):
    if not can(request.user, "stats.donor_pack"):
        raise PermissionDenied
    programme = get_object_or_404(Programme.objects.select_related("funder", "lead_partner"), pk=pk)
    # The filters of /stats/ narrow the pack; its programme is the one in the address.
    data = request.GET.copy()
    data["programme"] = str(programme.pk)
    filterset = StatsFilter(data, queryset=Event.objects.none())
    cover, sheets = exports.donor_pack(programme, filterset, request.user)
    return exports.workbook_response(f"donor-pack-{programme.code.replace('/', '-')}", sheets, cover=cover)


def _report_institution(request, event):
    """None when the user sees the whole event (its trainers, administrators); else the institution whose
    people they see: a focal point's, in an event not drafted that people asked to join from it."""
    if can(request.user, "event.participants", event):
        return None
    institution = request.user.institution
    if (
        can(request.user, "stats.view")
        and event.status != Event.Status.DRAFT
        and event.enrollments.filter(institution=institution).exists()
    ):
        return institution
    # Refused like the event's other pages for outsiders (participants, attendance).
    raise PermissionDenied


@login_required
def event_attendance_report(request, pk):
    """Participants by days with their statuses and totals, for printing; a focal point sees their own people."""
    event = get_object_or_404(Event.objects.select_related("course"), pk=pk)
    rows = course_selectors.attendance_rows(event, institution=_report_institution(request, event))
    # The report names the institution each person asked from, read in one query.
    prefetch_related_objects([enrollment for enrollment, _result, _cells in rows], "institution")
    return render(request, "stats/attendance_report.html", {"event": event, "rows": rows})
