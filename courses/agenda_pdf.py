"""The printable agenda of an event (ReportLab), in the reader's language."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.pdf import FONT, page_footer, styles

from . import schedule


def _hours(value):
    # One decimal at most, with the language's separator (7,5 in ro and ru), as on the event page.
    return _("%(hours)s h") % {"hours": floatformat(value, -1)}


def _session_cell(item, style):
    note = f" ({escape(str(item.title_language_note))})" if item.title_language else ""
    lines = [f"<b>{escape(item.title)}</b>{note}", escape(item.get_kind_display())]
    people = [person.display_name for person in item.facilitators.all()]
    if people:
        lines.append(escape(", ".join(people)))
    if item.moderator:
        lines.append(escape(_("Moderator: %(name)s") % {"name": item.moderator.display_name}))
    if item.room:
        lines.append(escape(_("Room: %(room)s") % {"room": item.room}))
    return Paragraph("<br/>".join(lines), style)


def agenda_document(event, items):
    """The agenda as PDF bytes: one table of sessions a day, with the day's scheduled hours."""
    style = styles()
    items = list(items)
    days, total = schedule.agenda_days(event, items)
    place = ", ".join(part for part in [event.venue_name, event.venue_address, event.city] if part)
    dates = date_format(event.start_date, "DATE_FORMAT")
    if event.end_date != event.start_date:
        dates += " – " + date_format(event.end_date, "DATE_FORMAT")
    if event.time_zone != settings.TIME_ZONE:
        # The sessions' times are the event's wall clock: say whose, when readers here could take them as ours.
        dates += " · " + _("times in %(zone)s") % {"zone": event.time_zone}
    story = [
        Paragraph(escape(event.display_title), style["h1"]),
        Paragraph(escape(dates), style["body"]),
    ]
    if place:
        story.append(Paragraph(escape(place), style["body"]))
    story.append(Paragraph(escape(_("Scheduled hours: %(hours)s") % {"hours": _hours(total)}), style["body"]))
    for day, sessions, hours in days:
        heading = Paragraph(
            escape(f"{date_format(day, 'l')}, {date_format(day, 'DATE_FORMAT')} · {_hours(hours)}"), style["h2"]
        )
        if not sessions:
            story += [heading, Paragraph(escape(_("No session scheduled.")), style["body"])]
            continue
        rows = [
            [
                Paragraph(f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}", style["body"]),
                _session_cell(item, style["body"]),
            ]
            for item in sessions
        ]
        # A session with many facilitators may be taller than a page: its row then splits.
        table = Table(rows, colWidths=[28 * mm, None], splitInRow=1)
        table.setStyle(
            TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#cfd8e3")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ])
        )  # fmt: skip
        story += [Spacer(1, 4 * mm), KeepTogether([heading, table])]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=event.display_title,
        author="Sinergia",
        initialFontName=FONT,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()
