"""A day's sign-in sheet (ReportLab), for venues without connectivity."""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from lms.pdf import FONT, FONT_BOLD, page_footer, styles


def sign_in_sheet(event, day, enrollments):
    """PDF bytes: number, name (and the other script), institution, and an empty signature column."""
    style = styles()
    header = [_("No."), _("Name"), _("Institution"), _("Signature")]
    rows = [[Paragraph(escape(text), style["small"]) for text in header]]
    for number, enrollment in enumerate(enrollments, start=1):
        person = enrollment.user
        name = escape(person.get_full_name())
        if person.name_other_script:
            name += f"<br/>{escape(person.name_other_script)}"
        rows.append([
            Paragraph(str(number), style["body"]),
            Paragraph(name, style["body"]),
            Paragraph(escape(str(person.institution or "")), style["small"]),
            "",
        ])  # fmt: skip
    # Rows leave room to sign and grow with long names; a row taller than a page is split.
    table = Table(
        rows,
        colWidths=[12 * mm, 68 * mm, 55 * mm, None],
        repeatRows=1,
        minRowHeights=[0] + [13 * mm] * len(enrollments),
        splitInRow=1,
    )
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a97a8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ])
    )  # fmt: skip
    place = ", ".join(part for part in [event.venue_name, event.city] if part)
    when = f"{date_format(day, 'l')}, {date_format(day, 'DATE_FORMAT')}" + (f" · {place}" if place else "")
    story = [
        Paragraph(escape(event.display_title), style["h1"]),
        Paragraph(escape(_("Sign-in sheet")), style["h2"]),
        Paragraph(escape(when), style["body"]),
        table,
    ]
    buffer = io.BytesIO()
    title = f"{event.display_title} – {date_format(day, 'DATE_FORMAT')}"
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Sinergia",
                                 initialFontName=FONT, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=18 * mm)  # fmt: skip
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()
