"""A day's sign-in sheet (ReportLab), printed for the participants to sign, in the reader's language."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, Spacer, TableStyle

from lms.pdf import FONT, FONT_BOLD, FRAME_WIDTH, RULE, RowKeepingTable, markup, pdf_document, styles

from .branding import logo_row

PADDING = 4  # points on either side of a cell's text
# Shares of the width left after the number column: name, institution, position and profession, signature.
SHARES = [0.3, 0.28, 0.18, 0.24]


def _when_and_where(event, day):
    """The day (weekday, day.month.year in the reader's language) and the venue, one line."""
    place = ", ".join(part for part in [event.venue_name, event.city] if part)
    when = f"{date_format(day, 'l')}, {date_format(day, 'SHORT_DATE_FORMAT')}"
    return f"{when} · {place}" if place else when


def _title_block(event, day):
    """The first page's heading: the programme's logos, the event, what this sheet is, its day and venue."""
    style = styles()
    logos = logo_row(event)
    return [
        *([logos, Spacer(1, 4 * mm)] if logos else []),
        Paragraph(markup(event.display_title), style["h1"]),
        Paragraph(markup(_("Sign-in sheet")), style["h2"]),
        Paragraph(markup(_when_and_where(event, day)), style["body"]),
        Spacer(1, 3 * mm),
    ]


def _column_widths(header, rows):
    """Widths that fill the frame exactly: the number column as wide as its widest text, the rest shared."""
    widest = max(
        stringWidth(header, FONT_BOLD, styles()["small"].fontSize),
        stringWidth(str(rows), FONT, styles()["body"].fontSize),
    )
    number = widest + 2 * PADDING + 1
    return [number] + [(FRAME_WIDTH - number) * share for share in SHARES]


def _person_cells(number, enrollment, style):
    """A participant's row: institution and profession as recorded when they asked to take part."""
    person = enrollment.user
    name = markup(person.get_full_name())
    if person.name_other_script:
        name += f"<br/>{markup(person.name_other_script)}"
    # A judge whose position reads "Judge" is named so once.
    work = [markup(text) for text in dict.fromkeys([person.position, enrollment.get_profession_display()]) if text]
    return [
        Paragraph(str(number), style["body"]),
        Paragraph(name, style["body"]),
        Paragraph(markup(enrollment.institution or ""), style["small"]),
        Paragraph("<br/>".join(work), style["small"]),
        "",
    ]


def _participants_table(enrollments):
    style = styles()
    labels = [_("No."), _("Name"), _("Institution"), f"{_('Position')} / {_('Profession')}", _("Signature")]
    rows = [[Paragraph(f"<b>{markup(label)}</b>", style["small"]) for label in labels]]
    rows += [_person_cells(number, e, style) for number, e in enumerate(enrollments, start=1)]
    # Rows leave room to sign and grow with long names; the header row is repeated on every page.
    table = RowKeepingTable(
        rows,
        colWidths=_column_widths(labels[0], len(rows) - 1),
        repeatRows=1,
        minRowHeights=[0] + [13 * mm] * (len(rows) - 1),
    )
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),  # of the empty cells too, or ReportLab adds Helvetica
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ])
    )  # fmt: skip
    return table


def _signature_lines(event):
    """A line to sign for each trainer and one for the organisers, each with the names under it."""
    style = styles()
    blocks = [(_("Trainer"), trainer.get_full_name()) for trainer in event.trainers.all()] or [(_("Trainer"), "")]
    blocks.append((_("Organiser"), ", ".join(str(institution) for institution in event.organisers.all())))
    cells = [
        [
            Spacer(1, 14 * mm),
            HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=1 * mm),
            Paragraph(markup(name) or "&nbsp;", style["body"]),  # an unknown name keeps the labels level
            Paragraph(markup(label), style["small"]),
        ]
        for label, name in blocks
    ]
    if len(cells) % 2:
        cells.append("")
    table = RowKeepingTable([cells[n : n + 2] for n in range(0, len(cells), 2)], colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12 * mm),  # between the two lines of a row
        ])
    )  # fmt: skip
    return KeepTogether([Spacer(1, 6 * mm), table])


def sign_in_sheet(event, day, enrollments):
    """PDF bytes: one numbered row per participant with an empty signature cell, then the signatories' lines."""
    story = [*_title_block(event, day), _participants_table(enrollments), _signature_lines(event)]
    title = f"{event.display_title} – {date_format(day, 'SHORT_DATE_FORMAT')}"
    details = f"{_('Sign-in sheet')} · {_when_and_where(event, day)}"
    return pdf_document(story, title=title, running_header=[event.display_title, details])
