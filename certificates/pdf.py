"""The certificate PDF (ReportLab): A4 landscape, in the certificate's language, with its QR code.

The QR code is drawn from segno's module matrix as filled runs, one path for
the whole symbol; its mask is fixed, which skips the costly mask search.
"""

import io
import unicodedata
from decimal import Decimal
from xml.sax.saxutils import escape

import segno
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from lms.pdf import FONT, FONT_BOLD, register_fonts

from .models import Certificate

BRAND = colors.HexColor("#1d4f91")
INK = colors.HexColor("#1b2430")
MUTED = colors.HexColor("#4a5666")
ALERT = colors.HexColor("#a11b1b")
PAGE = landscape(A4)

Gender = Certificate.Gender
# The sentences about the holder, in each grammatical gender: (lead-in, completed, attended). The neutral
# wording serves those whose sex is not recorded (Russian: a noun phrase instead of a gendered verb).
ABOUT_HOLDER = {
    Gender.FEMININE: (
        pgettext_lazy("female", "This certifies that"),
        pgettext_lazy("female", "has completed the training"),
        pgettext_lazy("female", "has attended the training"),
    ),
    Gender.MASCULINE: (
        pgettext_lazy("male", "This certifies that"),
        pgettext_lazy("male", "has completed the training"),
        pgettext_lazy("male", "has attended the training"),
    ),
    Gender.NEUTRAL: (
        pgettext_lazy("neutral", "This certifies that"),
        pgettext_lazy("neutral", "has completed the training"),
        pgettext_lazy("neutral", "has attended the training"),
    ),
}


def nfc(value):
    return unicodedata.normalize("NFC", str(value or ""))


def draw_qr(canvas, data, x, y, size):
    """A QR code of `data`, `size` points wide, lower-left corner at (x, y).

    Each row's dark runs become one rectangle in module units, written as a
    single PDF path: far fewer operators than one shape per module.
    """
    matrix = segno.make(data, error="m", mask=0).matrix
    count = len(matrix)
    operators = []
    for row_index, row in enumerate(matrix):
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                operators.append(f"{start} {count - row_index - 1} {column - start} 1 re")
            else:
                column += 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.setFillColor(colors.black)
    canvas.addLiteral(" ".join(operators) + " f")
    canvas.restoreState()


def _centered(canvas, text, y, size, font=FONT, color=INK, width=PAGE[0] - 60 * mm):
    """A centred paragraph (wrapping when long); returns the y below it."""
    style = ParagraphStyle("c", fontName=font, fontSize=size, leading=size * 1.2, alignment=TA_CENTER, textColor=color)
    paragraph = Paragraph(escape(nfc(text)), style)
    _w, height = paragraph.wrap(width, 200 * mm)
    paragraph.drawOn(canvas, (PAGE[0] - width) / 2, y - height)
    return y - height


def _number(value):
    """9.5 with the language's decimal separator (9,5 in ro and ru), without trailing zeros."""
    return number_format(Decimal(f"{value:.2f}".rstrip("0").rstrip(".")))


def certificate_pdf(certificate, draw_qr_code=draw_qr, revoked=False):
    """PDF bytes of a certificate, drawn from its snapshot only (never from live data).

    With `revoked`, a copy marked across the page as revoked, when and why: never stored nor sent.
    """
    register_fonts()
    with translation.override(certificate.language):
        return _render(certificate, draw_qr_code, revoked)


def _draw_revoked(canvas, c):
    """A large diagonal mark over the whole page, and when and why below it."""
    width, height = PAGE
    canvas.saveState()
    canvas.setFillColor(ALERT)
    canvas.setFillAlpha(0.35)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(25)
    canvas.setFont(FONT_BOLD, 110)
    canvas.drawCentredString(0, -30, nfc(_("Revoked").upper()))
    canvas.setFillAlpha(1)
    since = _("Revoked since %(since)s.") % {"since": date_format(timezone.localtime(c.revoked_at), "DATE_FORMAT")}
    style = ParagraphStyle("r", fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER, textColor=ALERT)
    paragraph = Paragraph(escape(nfc(f"{since} {c.revocation_reason}")), style)
    _w, lines = paragraph.wrap(180 * mm, 60 * mm)
    paragraph.drawOn(canvas, -90 * mm, -45 - lines)
    canvas.restoreState()


def _render(c, draw_qr_code, revoked=False):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, initialFontName=FONT, pageCompression=1)
    canvas.setTitle(nfc(f"{c.printed_name} – {c.course_title}"))
    canvas.setAuthor(nfc(c.issuer))
    width, height = PAGE
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)

    y = height - 26 * mm
    y = _centered(canvas, c.issuer, y, 12, color=MUTED)
    title = _("Certificate of completion") if c.kind == "completion" else _("Certificate of attendance")
    y = _centered(canvas, title.upper(), y - 4 * mm, 26, FONT_BOLD, BRAND)
    if c.duplicate_number:
        canvas.setFont(FONT_BOLD, 11)
        canvas.setFillColor(ALERT)
        label = (
            _("Duplicate") if c.duplicate_number == 1 else _("Duplicate %(number)d") % {"number": c.duplicate_number}
        )
        canvas.drawRightString(width - 20 * mm, height - 22 * mm, nfc(label))
    lead_in, completed, attended = ABOUT_HOLDER.get(c.grammatical_gender, ABOUT_HOLDER[Gender.NEUTRAL])
    y = _centered(canvas, lead_in, y - 8 * mm, 12, color=MUTED)
    y = _centered(canvas, c.printed_name, y - 3 * mm, 28, FONT_BOLD)
    if c.name_other_script:
        y = _centered(canvas, c.name_other_script, y - 1 * mm, 14, color=MUTED)
    done = completed if c.kind == "completion" else attended
    y = _centered(canvas, done, y - 6 * mm, 12, color=MUTED)
    y = _centered(canvas, c.course_title, y - 3 * mm, 18, FONT_BOLD)
    if c.event_title and c.event_title != c.course_title:
        y = _centered(canvas, c.event_title, y - 1 * mm, 13)
    dates = date_format(c.start_date, "DATE_FORMAT")
    if c.end_date != c.start_date:
        dates += " – " + date_format(c.end_date, "DATE_FORMAT")
    y = _centered(canvas, " · ".join(part for part in [dates, c.place] if part), y - 4 * mm, 12)
    figures = {"hours": _number(c.credit_hours), "rate": _number(c.attendance_rate)}
    y = _centered(canvas, _("%(hours)s training hours · attendance %(rate)s%%") % figures, y - 1 * mm, 12)
    facts = []
    if c.organisers:
        facts.append(_("Organised by %(organisers)s.") % {"organisers": ", ".join(c.organisers)})
    if c.programme:
        facts.append(_("Programme: %(programme)s.") % {"programme": c.programme})
    if c.funder:
        facts.append(_("Funded by %(funder)s.") % {"funder": c.funder})
    if c.facilitators:
        facts.append(_("Facilitators: %(names)s.") % {"names": ", ".join(c.facilitators)})
    if facts:
        _centered(canvas, " ".join(facts), y - 4 * mm, 9.5, color=MUTED, width=width - 90 * mm)

    # Signatures, bottom left.
    x = 25 * mm
    for signatory in c.signatories[:3]:
        canvas.setStrokeColor(MUTED)
        canvas.line(x, 40 * mm, x + 60 * mm, 40 * mm)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(x, 35 * mm, nfc(signatory.get("name")))
        canvas.setFont(FONT, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(x, 31 * mm, nfc(signatory.get("role")))
        x += 68 * mm

    # Verification, bottom right.
    qr_size = 30 * mm
    qr_x, qr_y = width - 20 * mm - qr_size, 20 * mm
    url = c.verification_url
    if draw_qr_code:
        draw_qr_code(canvas, url, qr_x, qr_y, qr_size)
    canvas.setFont(FONT_BOLD, 11)
    canvas.setFillColor(INK)
    canvas.drawRightString(qr_x - 4 * mm, qr_y + 18 * mm, c.code)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(qr_x - 4 * mm, qr_y + 13 * mm, nfc(_("Verify this certificate:")))
    canvas.drawRightString(qr_x - 4 * mm, qr_y + 9 * mm, url.split("/verify/")[0] + f"/verify/{c.code}/")
    # The day of issue where the site is: just before midnight UTC it is already the next day in Chișinău.
    issued = _("Issued on %(date)s") % {"date": date_format(timezone.localtime(c.issued_at), "DATE_FORMAT")}
    version = _("template %(version)s") % {"version": c.template_version}
    canvas.drawString(20 * mm, 16 * mm, nfc(f"{issued} · {version} · {c.uuid}"))
    if revoked:
        _draw_revoked(canvas, c)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
