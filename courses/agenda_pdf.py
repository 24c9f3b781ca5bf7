"""The printable agenda of an event (ReportLab), in the reader's language."""

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, TableStyle

from lms.pdf import FONT, FRAME_WIDTH, RowKeepingTable, markup, pdf_document, styles

from . import schedule
from .branding import logo_row

PADDING = 5  # points on either side of a cell's text


class KeepOnOnePage(KeepTogether):
    """Moves its content to the next page when it fits there whole; content taller than a page starts at once."""

    def split(self, aW, aH):
        parts = super().split(aW, aH)
        if parts and isinstance(parts[0], type(self.FrameBreak)):
            next_frame = self._doctemplateAttr("_peekNextFrame")()
            if next_frame._height < self._H:
                return [self.NullActionFlowable(), *parts[1:]]  # no page break
        return parts


def _hours(value):
    # One decimal at most, with the language's separator (7,5 in ro and ru), as on the event page.
    return _("%(hours)s h") % {"hours": floatformat(value, -1)}


def _zone_note(event):
    # The sessions' times are the event's wall clock: say whose, when readers here could take them as ours.
    return _("times in %(zone)s") % {"zone": event.time_zone} if event.time_zone != settings.TIME_ZONE else ""


def _place(event):
    return ", ".join(part for part in [event.venue_name, event.venue_address, event.city] if part)


def _title_block(event, total):
    """The first page's heading: the programme's logos, the event, its dates, place and scheduled hours."""
    style = styles()
    dates = date_format(event.start_date, "DATE_FORMAT")
    if event.end_date != event.start_date:
        dates += " – " + date_format(event.end_date, "DATE_FORMAT")
    lines = [" · ".join(part for part in [dates, _zone_note(event)] if part), _place(event)]
    lines.append(_("Scheduled hours: %(hours)s") % {"hours": _hours(total)})
    logos = logo_row(event)
    return [
        *([logos, Spacer(1, 4 * mm)] if logos else []),
        Paragraph(markup(event.display_title), style["h1"]),
        *(Paragraph(markup(line), style["body"]) for line in lines if line),
    ]


def _running_header(event):
    """The event, its dates (day.month.year) and place, on every page after the first."""
    dates = date_format(event.start_date, "SHORT_DATE_FORMAT")
    if event.end_date != event.start_date:
        dates += " – " + date_format(event.end_date, "SHORT_DATE_FORMAT")
    details = " · ".join(part for part in [dates, _zone_note(event), _place(event)] if part)
    return [event.display_title, details]


def _session_cell(item, style):
    note = f" ({markup(item.title_language_note)})" if item.title_language else ""
    lines = [f"<b>{markup(item.title)}</b>{note}", markup(item.get_kind_display())]
    people = [person.display_name for person in item.facilitators.all()]
    if people:
        lines.append(markup(", ".join(people)))
    if item.moderator:
        lines.append(markup(_("Moderator: %(name)s") % {"name": item.moderator.display_name}))
    if item.room:
        lines.append(markup(_("Room: %(room)s") % {"room": item.room}))
    return Paragraph("<br/>".join(lines), style)


def _day_table(day, sessions, hours):
    """A day's sessions under its heading, which is repeated above the rest when the day runs onto a new page."""
    style = styles()
    heading = f"{date_format(day, 'l')}, {date_format(day, 'DATE_FORMAT')} · {_hours(hours)}"
    rows = [[Paragraph(markup(heading), style["h2"]), ""]]
    if not sessions:
        rows.append([Paragraph(markup(_("No session scheduled.")), style["body"]), ""])
    for item in sessions:
        rows.append(
            [
                Paragraph(f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}", style["body"]),
                _session_cell(item, style["body"]),
            ]
        )
    time_width = stringWidth("00:00–00:00", FONT, style["body"].fontSize) + 2 * PADDING + 2
    table = RowKeepingTable(rows, colWidths=[time_width, FRAME_WIDTH - time_width], repeatRows=1)
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),  # of the empty cells too, or ReportLab adds Helvetica
            ("SPAN", (0, 0), (-1, 0)),
            *([("SPAN", (0, 1), (-1, 1))] if not sessions else []),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#cfd8e3")),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ])
    )  # fmt: skip
    return table


def agenda_document(event, items):
    """The agenda as PDF bytes: one table of sessions a day, with the day's scheduled hours."""
    days, total = schedule.agenda_days(event, list(items))
    story = _title_block(event, total)
    for day, sessions, hours in days:
        story += [Spacer(1, 4 * mm), KeepOnOnePage([_day_table(day, sessions, hours)])]
    return pdf_document(story, title=event.display_title, running_header=_running_header(event))
