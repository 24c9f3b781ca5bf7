from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import pgettext_lazy

from courses import selectors as course_selectors
from courses.branding import event_logos
from courses.completion import THERE
from courses.models import Attendance, Event, Programme
from evaluation import figures as evaluation_figures
from evaluation.knowledge import gains_of
from lms.export_audit import export_record
from lms.roles import can, is_administrator
from lms.spreadsheets import csv_response

from . import charts, exports, figures, rollup
from .filters import StatsFilter

# The printed attendance report turns to landscape past this many days, so that the day columns fit.
PORTRAIT_DAYS = 2
# Printed, a day's mark is one letter, explained on every page, so that many days fit across it.
MARK_CODES = {
    Attendance.Status.PRESENT: pgettext_lazy("attendance mark: present", "P"),
    Attendance.Status.LATE: pgettext_lazy("attendance mark: late", "L"),
    Attendance.Status.EXCUSED: pgettext_lazy("attendance mark: excused", "E"),
    Attendance.Status.ABSENT: pgettext_lazy("attendance mark: absent", "A"),
}


def _filters(request):
    if not can(request.user, "stats.view"):
        raise PermissionDenied
    institution = None if is_administrator(request.user) else request.user.institution
    return StatsFilter(request.GET or None, queryset=Event.objects.none(), institution=institution)


def _by(request):
    return "quarter" if request.GET.get("by") == "quarter" else "month"


def _breakdowns(filterset, enrollments, events, by):
    """The tables of `filterset`'s enrollments and events; unfiltered, the completed events' participations are
    read from what was counted once."""
    frozen = None if filterset.narrows() else rollup.frozen_rows(by)
    return figures.breakdowns(enrollments, events, by, frozen)


@login_required
def stats(request):
    filterset = _filters(request)
    enrollments, events, by = filterset.enrollments(), filterset.events(), _by(request)
    tables = _breakdowns(filterset, enrollments, events, by)
    charted = [(table, charts.table_chart(table, by)) for table in tables]
    programme = filterset.data_clean().get("programme")
    context = {
        "filter": filterset,
        "summary": figures.summary(tables, events),
        "satisfaction": evaluation_figures.satisfaction(events),
        "gains": gains_of(enrollments),
        # Answers to questionnaires name no one: narrowed to an institution, they are those of its events.
        "answers_by_event": filterset.scoped_institution() is not None,
        "tables": charted,
        "by": by,
        "query": request.GET.urlencode(),
        "donor_pack": programme if programme and can(request.user, "stats.donor_pack") else None,
    }
    return render(request, "stats/stats.html", context)


def _export_sheet(table, filterset, by):
    """The Sheet of the table of /stats/ named `table`, or None."""
    enrollments, events = filterset.enrollments(), filterset.events()
    if table == "satisfaction":
        return exports.satisfaction_sheet(evaluation_figures.satisfaction(events))
    if table == "knowledge":
        return exports.knowledge_sheet(gains_of(enrollments))
    tables = _breakdowns(filterset, enrollments, events, by)
    if table == "summary":
        return exports.table_sheet(figures.summary_table(figures.summary(tables, events)))
    chosen = next((t for t in tables if t.name == table), None)
    return exports.table_sheet(chosen) if chosen else None


@login_required
def export(request, table, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = _filters(request)
    sheet = _export_sheet(table, filterset, _by(request))
    if sheet is None:
        raise Http404
    # A focal point's figures are their institution's, whatever the form says.
    forced = filterset.forced_institution
    export_record(actor=request.user, export=f"statistics/{table}.{fmt}",
                  target=filterset.data_clean().get("programme") or "", filterset=filterset,
                  filters={"institution": forced.pk} if forced else None)  # fmt: skip
    name = f"sinergia-{table}"
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
    export_record(actor=request.user, export="donor-pack.xlsx", target=programme, filterset=filterset)
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


@dataclass
class ReportTotals:
    """The report's last row: on each day, those who were there (present or late); then the sums."""

    present: list  # [(day, count)]
    attended_days: int
    scheduled_days: int
    hours: Decimal
    completed: int

    @property
    def rate(self):
        return Decimal(self.attended_days * 100) / self.scheduled_days if self.scheduled_days else None


def _report_totals(event, rows):
    present = dict.fromkeys(event.days, 0)
    for _enrollment, _result, cells in rows:
        for day, mark in cells:
            present[day] += mark is not None and mark.status in THERE
    results = [result for _enrollment, result, _cells in rows]
    return ReportTotals(
        present=list(present.items()),
        attended_days=sum(result.attended_days for result in results),
        scheduled_days=sum(result.scheduled_days for result in results),
        hours=sum((result.credit_hours for result in results), Decimal(0)),
        completed=sum(result.completed for result in results),
    )


@login_required
def event_attendance_report(request, pk):
    """Participants by days with their statuses and totals, for printing; a focal point sees their own people."""
    events = Event.objects.select_related("course", "programme__funder", "programme__lead_partner")
    event = get_object_or_404(events.prefetch_related("trainers", "organisers", "programme__partners"), pk=pk)
    rows = course_selectors.attendance_rows(event, institution=_report_institution(request, event))
    context = {
        "event": event,
        "rows": [
            (enrollment, result, [(day, mark, MARK_CODES[mark.status] if mark else "") for day, mark in cells])
            for enrollment, result, cells in rows
        ],
        "legend": [(MARK_CODES[status], label) for status, label in Attendance.Status.choices],
        "totals": _report_totals(event, rows),
        # An empty line to sign when the event has no trainer yet.
        "trainer_names": [trainer.get_full_name() for trainer in event.trainers.all()] or [""],
        "landscape": len(event.days) > PORTRAIT_DAYS,
        "logos": event_logos(event),
    }
    return render(request, "stats/attendance_report.html", context)
