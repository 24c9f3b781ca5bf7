"""CSV and XLSX of the statistics tables, and a programme's donor pack; every value spreadsheet-safe."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from certificates.models import Certificate
from courses.models import Attendance, Enrollment
from lms.spreadsheets import spreadsheet_cell, spreadsheet_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_sheet(table):
    """(header, rows) of a statistics table."""
    header = [table.title, _("Participations"), _("Persons"), _("Attendance (%)"), _("Completion (%)"),
              _("Certificates"), _("Credit hours")]  # fmt: skip
    if table.with_events:
        header += [_("Events planned"), _("Events held"), _("Events cancelled")]
    rows = []
    for row in table.rows:
        values = [row.label, row.participations, row.persons, row.attendance_rate, row.completion_rate,
                  row.certificates, row.hours]  # fmt: skip
        if table.with_events:
            values += [row.planned, row.held, row.cancelled]
        rows.append(values)
    return [str(cell) for cell in header], rows


def workbook_response(filename, sheets):
    """`sheets`: [(title, header, rows)] in one XLSX file."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=spreadsheet_safe(title)[:31].replace("/", "-"))
        sheet.append([spreadsheet_safe(value) for value in header])
        for row in rows:
            sheet.append([spreadsheet_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def donor_pack_sheets(programme, sex_table):
    """The sheets of a programme's donor pack: events, participants, attendance, certificates, totals by sex."""
    events = programme.events.listed().select_related("course", "region").order_by("start_date")
    event_rows = [
        [
            event.display_title,
            event.start_date,
            event.end_date,
            event.city,
            str(event.region or ""),
            event.get_status_display(),
            event.confirmed_count,
        ]
        for event in events.with_seats()
    ]
    enrollments = (
        Enrollment.objects.filter(event__programme=programme, status=Enrollment.Status.CONFIRMED)
        .select_related("event__course", "user", "institution", "certificate")
        .order_by("event__start_date", "user__family_name")
    )
    participant_rows = []
    for e in enrollments:
        certificate = getattr(e, "certificate", None)
        participant_rows.append(
            [
                e.event.display_title,
                e.event.start_date,
                e.user.family_name,
                e.user.given_name,
                e.user.name_other_script,
                e.user.get_sex_display(),
                # Profession and institution as recorded when they asked, not as the profile says today.
                e.get_profession_display(),
                str(e.institution or ""),
                e.attendance_rate,
                e.credit_hours,
                _("yes") if e.completed else _("no"),
                certificate.code if certificate else "",
            ]
        )
    attendance_rows = [
        [a.enrollment.event.display_title, a.enrollment.user.get_full_name(), a.date, a.get_status_display()]
        for a in Attendance.objects.filter(enrollment__in=enrollments)
        .select_related("enrollment__event__course", "enrollment__user")
        .order_by("enrollment__event__start_date", "date")
    ]
    certificate_rows = [
        [
            c.code,
            c.printed_name,
            c.course_title,
            c.start_date,
            # The day on the site's clock: just after midnight in Chișinău is still yesterday in UTC.
            timezone.localdate(c.issued_at),
            timezone.localdate(c.revoked_at) if c.revoked_at else "",
        ]
        for c in Certificate.objects.filter(enrollment__event__programme=programme).order_by("issued_at")
    ]
    sex_header, sex_rows = table_sheet(sex_table)
    return [
        (
            _("Events"),
            [_("Event"), _("First day"), _("Last day"), _("City"), _("Region"), _("Status"), _("Participants")],
            event_rows,
        ),
        (
            _("Participants"),
            [
                _("Event"),
                _("First day"),
                _("Family name"),
                _("Given name"),
                _("Name in the other script"),
                _("Sex"),
                _("Profession"),
                _("Institution"),
                _("Attendance (%)"),
                _("Credit hours"),
                _("Completed"),
                _("Certificate"),
            ],
            participant_rows,
        ),
        (_("Attendance"), [_("Event"), _("Participant"), _("Day"), _("Status")], attendance_rows),
        (
            _("Certificates"),
            [_("Code"), _("Name"), _("Course"), _("First day"), _("Issued"), _("Revoked")],
            certificate_rows,
        ),
        (_("Totals by sex"), sex_header, sex_rows),
    ]
