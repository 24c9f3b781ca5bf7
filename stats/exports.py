"""CSV and XLSX of the statistics tables, and a programme's donor pack.

Text is spreadsheet-safe (never run as a formula); dates, numbers and percentages stay typed, shown in the
reader's language (d.m.yyyy in Romanian and Russian).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from certificates.models import Certificate
from courses.models import Attendance
from evaluation import figures as evaluation_figures
from evaluation.knowledge import gains_of
from lms.collation import Collated
from lms.models import User
from lms.spreadsheets import spreadsheet_cell

from . import figures
from .templatetags.stats_report import applied_filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
WRAPPED = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH = 8, 50  # characters; a longer text wraps
DECIMAL_FORMAT, PERCENT_FORMAT = "0.00", "0.0%"
# Django's date format letters and the spreadsheet's codes they stand for.
DATE_CODES = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}
# Characters a sheet's title may not hold.
TITLE_FORBIDDEN = re.compile(r"[][:*?/\\]")


class Percent(Decimal):
    """A percentage (83.3 is 83.3 %): the number itself in CSV, a percent cell in XLSX."""


def _share(part, whole):
    """`part` of `whole` as a Percent to one decimal, None when there is no whole."""
    return Percent((Decimal(part or 0) * 100 / whole).quantize(Decimal("0.1"))) if whole else None


def _as_percent(value):
    return None if value is None else Percent(value)


@dataclass
class Sheet:
    """A table: one header row, then the rows."""

    title: str
    header: list
    rows: list = field(default_factory=list)


@dataclass
class Cover:
    """The first sheet of a pack: a heading, then (label, value) lines."""

    heading: str
    lines: list


def table_sheet(table):
    """The Sheet of a statistics table (figures.Table), its columns those of /stats/."""
    columns = [attribute for _name, attribute in table.columns()]
    rows = [[row.label, *(_cell(row, attribute) for attribute in columns)] for row in table.rows]
    return Sheet(str(table.title), [str(cell) for cell in table.header()], rows)


def _cell(row, attribute):
    value = getattr(row, attribute)
    return _as_percent(value) if attribute in figures.RATES else value


def satisfaction_figures(satisfaction):
    """[(label, value)] of the questionnaires' figures (evaluation.figures.Satisfaction), typed."""
    ratings = satisfaction.ratings
    return [
        (_("Questionnaires counted"), satisfaction.counted),
        (_("Questionnaires left out (too few answers)"), satisfaction.left_out),
        (_("Responses"), satisfaction.responses),
        (_("Invited"), satisfaction.invited),
        (_("Response rate"), _as_percent(satisfaction.response_rate)),
        (_("Ratings"), ratings.count),
        (_("Mean rating (1–5)"), ratings.mean),
        (_("Satisfaction (4 or 5)"), _as_percent(ratings.satisfaction)),
    ]


def satisfaction_sheet(satisfaction):
    """The Sheet of the questionnaires' figures, in one row."""
    found = satisfaction_figures(satisfaction)
    return Sheet(_("Satisfaction"), [label for label, _value in found], [[value for _label, value in found]])


def _gain_groups(gains):
    """[(breakdown, Gain)] of evaluation.knowledge.gains_of(): all those who took both tests, then by
    profession and by sex (both may have an "Other": the breakdown tells them apart)."""
    if gains["all"] is None:
        return []
    return [(_("All"), gains["all"]), *((_("By profession"), gain) for gain in gains["by_profession"]),
            *((_("By sex"), gain) for gain in gains["by_sex"])]  # fmt: skip


def knowledge_sheet(gains):
    """The Sheet of the knowledge gain: the means of those who took both tests, by group."""
    header = [_("Breakdown"), _("Group"), _("Participants"), _("Before (%)"), _("After (%)"), _("Gain (points)")]
    rows = [[breakdown, gain.label, gain.count, Percent(gain.pre), Percent(gain.post), gain.gain]
            for breakdown, gain in _gain_groups(gains)]  # fmt: skip
    return Sheet(_("Knowledge, before and after"), header, rows)


# Writing XLSX


def _sheet_title(title):
    return TITLE_FORBIDDEN.sub("-", title)[:31]


def _date_format():
    """The reader's short date as a spreadsheet number format: d.m.Y (ro, ru) gives dd.mm.yyyy."""
    return "".join(DATE_CODES.get(char, char) for char in get_format("SHORT_DATE_FORMAT"))


def _typed(value, dates):
    """(value, number format or None) of a cell: dates, numbers and percentages typed, text spreadsheet-safe."""
    if isinstance(value, datetime):
        # Spreadsheets know no time zones: the time on the site's clock.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, second=0, microsecond=0), f"{dates} hh:mm"
    if isinstance(value, date):
        return value, dates
    if isinstance(value, Percent):
        return float(value) / 100, PERCENT_FORMAT
    if isinstance(value, Decimal):
        return float(value), DECIMAL_FORMAT
    return spreadsheet_cell(value), None


def _shown_width(value, number_format):
    """About how many characters a typed cell shows."""
    if number_format:
        return len(number_format) if isinstance(value, date) else len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write(sheet, row, column, value, dates):
    value, number_format = _typed(value, dates)
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format:
        cell.number_format = number_format
    return cell, _shown_width(value, number_format)


def _fit_columns(sheet, widths):
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _write_table(workbook, table, dates):
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    widths = {}
    for column, title in enumerate(table.header, start=1):
        cell, _width = _write(sheet, 1, column, title, dates)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        # A header wraps between words: its longest word sets its width.
        widths[column] = max((len(word) for word in str(title).split()), default=0)
    for row, values in enumerate(table.rows, start=2):
        for column, value in enumerate(values, start=1):
            cell, width = _write(sheet, row, column, value, dates)
            cell.alignment = WRAPPED
            widths[column] = max(widths.get(column, 0), width)
    _fit_columns(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _write_cover(workbook, cover, dates):
    sheet = workbook.create_sheet(title=_sheet_title(_("Cover")))
    heading, _width = _write(sheet, 1, 1, cover.heading, dates)
    heading.font = Font(bold=True, size=14)
    widths = {1: 0, 2: 0}
    for row, (label, value) in enumerate(cover.lines, start=3):
        cell, width = _write(sheet, row, 1, label, dates)
        cell.font, cell.alignment = HEADER_FONT, WRAPPED
        widths[1] = max(widths[1], width)
        cell, width = _write(sheet, row, 2, value, dates)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        widths[2] = max(widths[2], width)
    _fit_columns(sheet, widths)


def workbook_response(filename, sheets, cover=None):
    """An XLSX download: the cover first, if any, then one styled sheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    dates = _date_format()
    if cover:
        _write_cover(workbook, cover, dates)
    for sheet in sheets:
        _write_table(workbook, sheet, dates)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# The donor pack


@dataclass
class Indicator:
    """One figure of the indicators sheet; with `by_sex`, (women, men, other or not stated) of it."""

    label: str
    value: object
    by_sex: tuple = None

    def cells(self):
        if self.by_sex is None:
            return [self.label, self.value, None, None, None, None]
        women, men, others = self.by_sex
        # The share of all, those of another or no stated sex included.
        return [self.label, self.value, women, men, others, _share(women, self.value)]


def _by_sex(row):
    """(women, men, other or not stated) of a figures.Row's participations."""
    return row.women, row.men, row.sex_other


def _persons_by_sex(sex_table):
    """(women, men, other or not stated) of the persons, from the table by sex (one sex a person)."""
    persons = {row.key[0]: row.persons for row in sex_table.rows}
    women, men = persons.pop(User.Sex.FEMALE, 0), persons.pop(User.Sex.MALE, 0)
    return women, men, sum(persons.values())


def _breakdown(title, table):
    """A section of the participations in each row of a figures.Table, by sex."""
    return title, [Indicator(row.label, row.participations, _by_sex(row)) for row in table.rows]


def _evaluation_section(enrollments, events):
    """The questionnaires' figures (those with their minimum of answers) and the knowledge gained."""
    satisfaction = evaluation_figures.satisfaction(events)
    gain = gains_of(enrollments)["all"]
    return (
        _("Evaluation"),
        [
            *(Indicator(label, value) for label, value in satisfaction_figures(satisfaction)),
            Indicator(_("Participants who took both knowledge tests"), gain.count if gain else 0),
            Indicator(_("Mean score before (%)"), Percent(gain.pre) if gain else None),
            Indicator(_("Mean score after (%)"), Percent(gain.post) if gain else None),
            Indicator(_("Mean knowledge gain (points)"), gain.gain if gain else None),
        ],
    )


def indicator_sections(enrollments, events):
    """[(title, [Indicator])] of the donor pack, from the figures of /stats/ and the evaluation's."""
    tables = {table.name: table for table in figures.breakdowns(enrollments, events)}
    summary = figures.summary(list(tables.values()), events)
    totals = summary["totals"]
    return [
        (
            _("Events"),
            [
                Indicator(_("Events planned"), totals.planned),
                Indicator(_("Events held"), totals.held),
                Indicator(_("Events cancelled"), totals.cancelled),
                Indicator(_("Trainers"), summary["trainers"]),
                Indicator(_("Facilitators"), summary["facilitators"]),
            ],
        ),
        (
            _("Participants"),
            [
                Indicator(_("Participations"), totals.participations, _by_sex(totals)),
                Indicator(_("Persons"), totals.persons, _persons_by_sex(tables["sex"])),
            ],
        ),
        _breakdown(_("Participations by profession"), tables["profession"]),
        _breakdown(_("Participations by institution"), tables["institution"]),
        _breakdown(_("Participations by region"), tables["region"]),
        (
            _("Results"),
            [
                Indicator(_("Credit hours delivered"), totals.hours),
                Indicator(_("Completion rate"), _as_percent(totals.completion_rate)),
                Indicator(_("Certificates issued"), totals.certificates),
            ],
        ),
        _evaluation_section(enrollments, events),
    ]


def indicators_sheet(sections):
    header = [_("Section"), _("Indicator"), _("Value"), _("Women"), _("Men"), _("Other or not stated"),
              _("Share of women")]  # fmt: skip
    rows = [[title, *indicator.cells()] for title, indicators in sections for indicator in indicators]
    return Sheet(_("Indicators"), header, rows)


def _filters_applied(filterset):
    """The filters given, in words, the programme (the pack's own) aside."""
    programme = filterset.form.fields["programme"].label
    applied = [f"{label}: {value}" for label, value in applied_filters(filterset) if label != programme]
    return "; ".join(applied) or _("none")


def donor_pack_cover(programme, filterset, requested_by):
    period = " – ".join(date_format(day, "SHORT_DATE_FORMAT") for day in (programme.starts_on, programme.ends_on))
    return Cover(
        programme.title,
        [
            (_("Programme"), programme.title),
            (_("Code"), programme.code),
            (_("Funder"), programme.funder.name),
            (_("Lead partner"), programme.lead_partner.name if programme.lead_partner else ""),
            (_("Partners"), ", ".join(partner.name for partner in programme.partners.all())),
            (_("Period"), period),
            (_("Filters"), _filters_applied(filterset)),
            (_("Generated on"), timezone.now()),
            (_("Generated by"), requested_by.get_full_name() or requested_by.email),
        ],
    )


def _by_name(user):
    """Order by the names of the `user` path, in the reader's alphabetical order."""
    return [Collated(f"{user}__family_name"), Collated(f"{user}__given_name")]


def _events_sheet(events):
    events = events.select_related("course", "region").with_seats().order_by("start_date", "pk")
    rows = [
        [event.display_title, event.start_date, event.end_date, event.city, str(event.region or ""),
         event.get_status_display(), event.confirmed_count]
        for event in events
    ]  # fmt: skip
    header = [_("Event"), _("First day"), _("Last day"), _("City"), _("Region"), _("Status"), _("Participants")]
    return Sheet(_("Events"), header, rows)


def _participants_sheet(enrollments):
    rows = []
    for e in enrollments.select_related("event__course", "user", "institution", "certificate"):
        certificate = getattr(e, "certificate", None)
        rows.append(
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
                _as_percent(e.attendance_rate),
                e.credit_hours,
                {True: _("yes"), False: _("no")}.get(e.completed, ""),
                certificate.code if certificate else "",
            ]
        )
    header = [_("Event"), _("First day"), _("Family name"), _("Given name"), _("Name in the other script"),
              _("Sex"), _("Profession"), _("Institution"), _("Attendance (%)"), _("Credit hours"),
              pgettext("of a participant", "Completed"), _("Certificate")]  # fmt: skip
    return Sheet(_("Participants"), header, rows)


def _attendance_sheet(enrollments):
    marks = (
        Attendance.objects.filter(enrollment__in=enrollments)
        .select_related("enrollment__event__course", "enrollment__user")
        .order_by("enrollment__event__start_date", "enrollment__event", *_by_name("enrollment__user"), "date")
    )
    rows = [
        [a.enrollment.event.display_title, a.enrollment.user.get_full_name(), a.date, a.get_status_display()]
        for a in marks
    ]
    return Sheet(_("Attendance"), [_("Event"), _("Participant"), _("Day"), _("Status")], rows)


def _certificates_sheet(enrollments):
    certificates = (
        Certificate.objects.filter(enrollment__in=enrollments)
        .select_related("enrollment__event__course")
        .order_by("issued_at", "pk")
    )
    rows = [
        [
            c.code,
            c.printed_name,
            # The course in the reader's language, not in the one it was printed in.
            c.enrollment.event.course.title,
            c.start_date,
            # The day on the site's clock: just after midnight in Chișinău is still yesterday in UTC.
            timezone.localdate(c.issued_at),
            timezone.localdate(c.revoked_at) if c.revoked_at else None,
        ]
        for c in certificates
    ]
    header = [_("Code"), _("Name"), _("Course"), _("First day"), _("Issued"), _("Revoked")]
    return Sheet(_("Certificates"), header, rows)


def donor_pack(programme, filterset, requested_by):
    """(cover, sheets) of a programme's donor pack, of the events and participations `filterset` selects."""
    events, enrollments = filterset.events(), filterset.enrollments()
    ordered = enrollments.order_by("event__start_date", "event", *_by_name("user"), "pk")
    sheets = [
        indicators_sheet(indicator_sections(enrollments, events)),
        _events_sheet(events),
        _participants_sheet(ordered),
        _attendance_sheet(enrollments),
        _certificates_sheet(enrollments),
    ]
    return donor_pack_cover(programme, filterset, requested_by), sheets
