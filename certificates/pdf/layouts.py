"""The page layouts a design chooses from. Each draws the same parts (logos, title, text block, signatures and
stamp, verification, day of issue) in its own places; the text block shrinks to fit whatever it holds."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from lms.pdf import FONT, FONT_BOLD
from lms.pictures import draw_picture

from .texts import TITLES, Line, block, draw_block, fitted, nfc

BRAND = colors.HexColor("#1d4f91")
INK = colors.HexColor("#1b2430")
MUTED = colors.HexColor("#4a5666")
COLORS = {"ink": INK, "muted": MUTED}
LANDSCAPE, PORTRAIT = landscape(A4), A4


@dataclass(frozen=True)
class Layout:
    page: tuple
    draw: Callable
    duplicate_at: tuple  # where "Duplicate" is written, right-aligned


def _shrunk(text, font, size, width):
    """The largest size up to `size` at which `text` fits `width` on one line."""
    return min(size, size * width / max(stringWidth(text, font, size), 1))


def _logos(canvas, c, pictures, x, y, width, height):
    """The logos side by side across `width`, each in an equal slot."""
    shown = [(logo, pictures(logo.get("image"))) for logo in c.design.get("logos", [])] if c.design else []
    shown = [picture for _logo, picture in shown if picture]
    if not shown:
        return False
    gap = 8 * mm
    slot = min(48 * mm, (width - gap * (len(shown) - 1)) / len(shown))
    start = x + (width - slot * len(shown) - gap * (len(shown) - 1)) / 2
    for index, picture in enumerate(shown):
        draw_picture(canvas, picture, start + index * (slot + gap), y, slot, height)
    return True


def _title(canvas, c, x, top, width, size, align=TA_CENTER, color=BRAND):
    """The kind of certificate, in capitals; returns the y below it."""
    title = str(TITLES.get(c.kind, TITLES["completion"])).upper()
    paragraph, height = fitted(Line(title, size, FONT_BOLD, color, smallest=size * 0.6, lines=2), width, align=align)
    paragraph.drawOn(canvas, x, top - height)
    return top - height


def _issuer(canvas, c, x, top, width, align=TA_CENTER, color=MUTED):
    paragraph, height = fitted(Line(c.issuer, 12, color=color, smallest=8, lines=2), width, align=align)
    paragraph.drawOn(canvas, x, top - height)
    return top - height


def _signatures(canvas, c, pictures, x, line_y, width, stamp_width=34 * mm):
    """Up to three people sign side by side: their signature on the line, their name and role below; the stamp,
    if any, after them."""
    stamp = pictures((c.design or {}).get("stamp"))
    signing = c.signatories[:3]
    room = width - (stamp_width if stamp else 0)
    if signing:
        slot = min(70 * mm, room / len(signing))
        for index, person in enumerate(signing):
            left = x + index * slot
            inner = slot - 8 * mm
            signature = pictures(person.get("signature"))
            if signature:
                draw_picture(canvas, signature, left, line_y + 1 * mm, inner, 16 * mm, anchor="s")
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(left, line_y, left + inner, line_y)
            name = nfc(person.get("name"))
            size = _shrunk(name, FONT_BOLD, 10, inner)
            canvas.setFillColor(INK)
            canvas.setFont(FONT_BOLD, size)
            canvas.drawCentredString(left + inner / 2, line_y - 5 * mm, name)
            role, _height = fitted(Line(person.get("role"), 8.5, color=MUTED, smallest=6.5, lines=2), inner)
            role.drawOn(canvas, left, line_y - 6.5 * mm - role.height)
    if stamp:
        draw_picture(canvas, stamp, x + width - stamp_width, line_y - 12 * mm, stamp_width, stamp_width)


def _verification(canvas, c, draw_qr_code, x, y, size, right=None, below=0, color=INK, muted=MUTED):
    """The QR code at (x, y), the code centred under it, and the address to type it in under that: centred too,
    or ending at `right`. `below`: extra room between the QR code and the texts."""
    if draw_qr_code:
        draw_qr_code(canvas, c.verification_url, x, y, size)
    centre = x + size / 2
    y -= below
    canvas.setFillColor(color)
    canvas.setFont(FONT_BOLD, 10.5)
    canvas.drawCentredString(centre, y - 4.5 * mm, c.code)
    address = c.verification_url.split("/verify/")[0] + f"/verify/{c.code}/"
    canvas.setFillColor(muted)
    for text, line_y in [(nfc(_("Verify this certificate:")), y - 8.5 * mm), (address, y - 11.8 * mm)]:
        canvas.setFont(FONT, _shrunk(text, FONT, 7.5, 62 * mm))
        if right is None:
            canvas.drawCentredString(centre, line_y, text)
        else:
            canvas.drawRightString(right, line_y, text)


def _issued(canvas, c, x, y, color=MUTED, centred=False):
    # The day of issue where the site is: just before midnight UTC it is already the next day in Chișinău.
    text = nfc(_("Issued on %(date)s") % {"date": date_format(timezone.localtime(c.issued_at), "DATE_FORMAT")})
    canvas.setFillColor(color)
    canvas.setFont(FONT, 8)
    (canvas.drawCentredString if centred else canvas.drawString)(x, y, text)


def _frame(canvas, page):
    width, height = page
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)


def _framed(canvas, c, pictures, page, margin, title_size, block_bottom):
    """The upper part of the framed layouts: the frame, the logos across the top, the issuer, the title, and the
    text block centred down to `block_bottom`."""
    width, height = page
    _frame(canvas, page)
    text_width = width - 2 * margin
    logos_at = height - 42 * mm
    has_logos = _logos(canvas, c, pictures, margin, logos_at, text_width, 20 * mm)
    y = _issuer(canvas, c, margin, logos_at - 5 * mm if has_logos else height - 22 * mm, text_width)
    y = _title(canvas, c, margin, y - 3.5 * mm, text_width, title_size)
    draw_block(canvas, block(c, COLORS), margin, y - 3.5 * mm, text_width, block_bottom)


def _draw_classic(canvas, c, draw_qr_code, pictures):
    width, _height = LANDSCAPE
    _framed(canvas, c, pictures, LANDSCAPE, 30 * mm, 26, 64 * mm)
    qr, right = 26 * mm, width - 17 * mm
    _verification(canvas, c, draw_qr_code, right - 4 * mm - qr, 30 * mm, qr, right=right)
    _signatures(canvas, c, pictures, 24 * mm, 42 * mm, width - 24 * mm - qr - 50 * mm)
    _issued(canvas, c, 24 * mm, 17.5 * mm)


def _draw_sidebar(canvas, c, draw_qr_code, pictures):
    width, height = LANDSCAPE
    column = 80 * mm
    canvas.setFillColor(BRAND)
    canvas.rect(0, 0, column, height, stroke=0, fill=1)
    shown = [p for p in (pictures(logo.get("image")) for logo in (c.design or {}).get("logos", [])) if p]
    # One above the other, down to where the verification begins.
    gap = 4 * mm
    box_width, box_height = 60 * mm, min(24 * mm, (height - 96 * mm - gap * (len(shown) - 1)) / max(len(shown), 1))
    for index, picture in enumerate(shown):
        x, y = 10 * mm, height - 14 * mm - (index + 1) * box_height - index * gap
        canvas.setFillColor(colors.white)
        canvas.roundRect(x, y, box_width, box_height, 2 * mm, stroke=0, fill=1)
        draw_picture(canvas, picture, x + 2.5 * mm, y + 2.5 * mm, box_width - 5 * mm, box_height - 5 * mm)
    qr = 36 * mm
    canvas.setFillColor(colors.white)
    canvas.roundRect(column / 2 - qr / 2 - 3 * mm, 31 * mm, qr + 6 * mm, qr + 6 * mm, 2 * mm, stroke=0, fill=1)
    _verification(canvas, c, draw_qr_code, column / 2 - qr / 2, 34 * mm, qr, below=3 * mm, color=colors.white,
                  muted=colors.white)  # fmt: skip
    left, text_width = column + 16 * mm, width - column - 32 * mm
    y = _issuer(canvas, c, left, height - 18 * mm, text_width, TA_LEFT)
    y = _title(canvas, c, left, y - 4 * mm, text_width, 28, TA_LEFT)
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(1.5)
    canvas.line(left, y - 3 * mm, left + 40 * mm, y - 3 * mm)
    draw_block(canvas, block(c, COLORS), left, y - 6 * mm, text_width, 66 * mm, TA_LEFT)
    _signatures(canvas, c, pictures, left, 42 * mm, text_width)
    _issued(canvas, c, left, 16 * mm)


def _draw_portrait(canvas, c, draw_qr_code, pictures):
    width, _height = PORTRAIT
    _framed(canvas, c, pictures, PORTRAIT, 25 * mm, 24, 96 * mm)
    _signatures(canvas, c, pictures, 22 * mm, 72 * mm, width - 44 * mm)
    qr = 24 * mm
    _verification(canvas, c, draw_qr_code, width / 2 - qr / 2, 30 * mm, qr)
    _issued(canvas, c, 22 * mm, 17.5 * mm)


classic = Layout(LANDSCAPE, _draw_classic, (LANDSCAPE[0] - 20 * mm, LANDSCAPE[1] - 19 * mm))
LAYOUTS = {
    "classic": classic,
    "sidebar": Layout(LANDSCAPE, _draw_sidebar, (LANDSCAPE[0] - 16 * mm, LANDSCAPE[1] - 12 * mm)),
    "portrait": Layout(PORTRAIT, _draw_portrait, (PORTRAIT[0] - 20 * mm, PORTRAIT[1] - 19 * mm)),
}
