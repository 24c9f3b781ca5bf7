"""The certificate PDF (ReportLab), drawn from its snapshot only: in the certificate's language, in the layout of
its design, with the logos, signatures and stamp it was issued with, and its QR code.

The QR code is encoded by zxing-cpp (in C: a third of segno's time, mask search included) and drawn as filled
runs, one path for the whole symbol. Images are encoded once per process (lms.pictures.stored_picture).
"""

import io
import re
from xml.sax.saxutils import escape

import zxingcpp
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from lms.pdf import FONT, FONT_BOLD, fonts_seeded, register_fonts
from lms.pictures import readable_picture, stored_picture

from .layouts import LAYOUTS, classic
from .texts import nfc

ALERT = colors.HexColor("#a11b1b")
DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: one byte a module, 0 where it is dark


def draw_qr(canvas, data, x, y, size):
    """A QR code of `data`, `size` points wide, lower-left corner at (x, y).

    Each row's dark runs become one rectangle in module units, written as a
    single PDF path: far fewer operators than one shape per module.
    """
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    count = image.shape[0]
    pixels = image.tobytes()
    operators = [
        f"{run.start() - start} {count - row - 1} {run.end() - run.start()} 1 re"
        for row, start in enumerate(range(0, count * count, count))
        for run in DARK_RUN.finditer(pixels, start, start + count)
    ]
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.setFillColor(colors.black)
    canvas.addLiteral(" ".join(operators) + " f")
    canvas.restoreState()


def certificate_pdf(certificate, draw_qr_code=draw_qr, revoked=False, pictures=stored_picture):
    """PDF bytes of a certificate, drawn from its snapshot only (never from live data).

    With `revoked`, a copy marked across the page as revoked, when and why: never stored nor sent.
    `pictures` gives the image of a stored name (a preview passes images not stored yet).
    """
    register_fonts()
    with translation.override(certificate.language):
        return _render(certificate, draw_qr_code, revoked, lambda name: readable_picture(name, pictures))


def _draw_revoked(canvas, c, page):
    """A large diagonal mark over the whole page, and when and why below it."""
    width, height = page
    canvas.saveState()
    canvas.setFillColor(ALERT)
    canvas.setFillAlpha(0.35)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(25)
    canvas.setFont(FONT_BOLD, 110 if width > height else 80)
    canvas.drawCentredString(0, -30, nfc(_("Revoked").upper()))
    canvas.setFillAlpha(1)
    since = _("Revoked since %(since)s.") % {"since": date_format(timezone.localtime(c.revoked_at), "DATE_FORMAT")}
    style = ParagraphStyle("r", fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER, textColor=ALERT)
    paragraph = Paragraph(escape(nfc(f"{since} {c.revocation_reason}")), style)
    wide = min(180 * mm, width - 40 * mm)
    _w, lines = paragraph.wrap(wide, 60 * mm)
    paragraph.drawOn(canvas, -wide / 2, -45 - lines)
    canvas.restoreState()


def _draw_duplicate(canvas, c, x, y):
    canvas.setFont(FONT_BOLD, 11)
    canvas.setFillColor(ALERT)
    label = _("Duplicate") if c.duplicate_number == 1 else _("Duplicate %(number)d") % {"number": c.duplicate_number}
    canvas.drawRightString(x, y, nfc(label))


def _render(c, draw_qr_code, revoked, pictures):
    layout = LAYOUTS.get((c.design or {}).get("layout"), classic)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page, initialFontName=FONT, pageCompression=1)
    canvas.setTitle(nfc(f"{c.printed_name} – {c.course_title}"))
    canvas.setAuthor(nfc(c.issuer))
    # The certificates of an event embed the same font subsets (lms.pdf.fonts_seeded).
    with fonts_seeded(canvas, (c.language, c.course_title, c.event_title, c.start_date, c.place)):
        layout.draw(canvas, c, draw_qr_code, pictures)
        if c.duplicate_number:
            _draw_duplicate(canvas, c, *layout.duplicate_at)
        if revoked:
            _draw_revoked(canvas, c, layout.page)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
