"""What a certificate says, in the certificate's language and the grammatical gender of its holder, and text
that shrinks to fit its box instead of overflowing it."""

import copy
import functools
import unicodedata
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from lms.pdf import FONT, FONT_BOLD

from ..models import Certificate

Kind, Gender = Certificate.Kind, Certificate.Gender
TITLES = {
    Kind.COMPLETION: gettext_lazy("Certificate of completion"),
    Kind.ATTENDANCE: gettext_lazy("Certificate of attendance"),
    Kind.TRAINING_OF_TRAINERS: gettext_lazy("Certificate of training of trainers"),
}
# The sentences about the holder in each grammatical gender: the lead-in, then what they did for each kind. The
# neutral wording serves those whose sex is not recorded (Russian: a noun phrase instead of a gendered verb).
ABOUT_HOLDER = {
    Gender.FEMININE: (
        pgettext_lazy("female", "This certifies that"),
        {
            Kind.COMPLETION: pgettext_lazy("female", "has completed the training"),
            Kind.ATTENDANCE: pgettext_lazy("female", "has attended the training"),
            Kind.TRAINING_OF_TRAINERS: pgettext_lazy("female", "has completed the training of trainers"),
        },
    ),
    Gender.MASCULINE: (
        pgettext_lazy("male", "This certifies that"),
        {
            Kind.COMPLETION: pgettext_lazy("male", "has completed the training"),
            Kind.ATTENDANCE: pgettext_lazy("male", "has attended the training"),
            Kind.TRAINING_OF_TRAINERS: pgettext_lazy("male", "has completed the training of trainers"),
        },
    ),
    Gender.NEUTRAL: (
        pgettext_lazy("neutral", "This certifies that"),
        {
            Kind.COMPLETION: pgettext_lazy("neutral", "has completed the training"),
            Kind.ATTENDANCE: pgettext_lazy("neutral", "has attended the training"),
            Kind.TRAINING_OF_TRAINERS: pgettext_lazy("neutral", "has completed the training of trainers"),
        },
    ),
}


def nfc(value):
    return unicodedata.normalize("NFC", str(value or ""))


def number(value):
    """9.5 with the language's decimal separator (9,5 in ro and ru), without trailing zeros."""
    return number_format(Decimal(f"{value:.2f}".rstrip("0").rstrip(".")))


def dates(c):
    shown = date_format(c.start_date, "DATE_FORMAT")
    if c.end_date != c.start_date:
        shown += " – " + date_format(c.end_date, "DATE_FORMAT")
    return shown


def facts(c):
    """The paragraph on who organised, within which programme, funded by whom, led by whom."""
    parts = []
    if c.organisers:
        parts.append(_("Organised by %(organisers)s.") % {"organisers": ", ".join(c.organisers)})
    if c.programme:
        parts.append(_("Programme: %(programme)s.") % {"programme": c.programme})
    if c.funder:
        parts.append(_("Funded by %(funder)s.") % {"funder": c.funder})
    if c.facilitators:
        parts.append(_("Facilitators: %(names)s.") % {"names": ", ".join(c.facilitators)})
    return " ".join(parts)


class Line:
    """One piece of the text block: its words, its largest and smallest size, and how many lines it may take."""

    def __init__(self, text, size, font=FONT, color=None, gap=0, smallest=None, lines=1):
        self.text, self.size, self.font, self.color = nfc(text), size, font, color
        self.gap, self.smallest, self.lines = gap, smallest or size, lines


def block(certificate, colors):
    """The lines of a certificate's text block, top to bottom. `colors`: {"ink", "muted", "brand"}."""
    c = certificate
    kind = c.kind if c.kind in TITLES else Kind.COMPLETION
    lead_in, did = ABOUT_HOLDER.get(c.grammatical_gender, ABOUT_HOLDER[Gender.NEUTRAL])
    muted, ink = colors["muted"], colors["ink"]
    lines = [
        Line(lead_in, 12, color=muted),
        Line(c.printed_name, 30, FONT_BOLD, ink, gap=3, smallest=16, lines=2),
    ]
    if c.name_other_script:
        lines.append(Line(c.name_other_script, 15, color=muted, gap=1, smallest=10))
    lines.append(Line(did[kind], 12, color=muted, gap=6))
    lines.append(Line(c.course_title, 20, FONT_BOLD, ink, gap=3, smallest=12, lines=3))
    if c.event_title and c.event_title != c.course_title:
        lines.append(Line(c.event_title, 13, color=ink, gap=1, smallest=9, lines=2))
    when_where = " · ".join(part for part in [dates(c), c.place] if part)
    lines.append(Line(when_where, 12, color=ink, gap=4, smallest=9, lines=2))
    if kind != Kind.ATTENDANCE:
        figures = {"hours": number(c.credit_hours), "rate": number(c.attendance_rate)}
        lines.append(Line(_("%(hours)s training hours · attendance %(rate)s%%") % figures, 12, color=ink, gap=1))
    if text := facts(c):
        lines.append(Line(text, 9.5, color=muted, gap=5, smallest=7, lines=4))
    return lines


def fitted(line, width, scale=1.0, align=TA_CENTER):
    """A Paragraph of `line` at the largest size (times `scale`) where it takes at most its lines and no word is
    wider than `width`; below its smallest size it wraps further rather than overflow. Its height."""
    paragraph, height = _fitted(line.text, line.size, line.font, line.color, line.smallest, line.lines, width, scale,
                                align)  # fmt: skip
    # A copy to draw: drawing sets the canvas on the paragraph, and another thread may be drawing the same one.
    return copy.copy(paragraph), height


@functools.lru_cache(maxsize=1024)
def _fitted(text, size, font, color, smallest, lines, width, scale, align):
    # Kept per process: the certificates of an event say the same course, dates, place and organisers, so only
    # the holder's name is fitted anew for each of them.
    words = text.split() or [""]
    widest = max(stringWidth(word, font, size) for word in words)
    # No word wider than the box, whatever the size that takes.
    size = min(size * scale, size * width / max(widest, 1))
    smallest = min(smallest * scale, size)
    while True:
        style = ParagraphStyle("fit", fontName=font, fontSize=size, leading=size * 1.18, alignment=align,
                               textColor=color)  # fmt: skip
        paragraph = Paragraph(escape(text), style)
        _width, height = paragraph.wrap(width, 10_000)
        if size <= smallest or height <= lines * style.leading + 0.1:
            return paragraph, height
        size = max(smallest, size - 1)


def draw_block(canvas, lines, x, top, width, bottom, align=TA_CENTER):
    """The lines, shrunk together until they fit between `top` and `bottom`, centred in that height."""
    scale, room = 1.0, top - bottom
    while True:
        laid = [(line, *fitted(line, width, scale, align)) for line in lines]
        total = sum(height + line.gap * mm * scale for line, _p, height in laid)
        if total <= room or scale < 0.6:
            break
        # Shrinking text shortens the block at least in proportion; a little more when lines rejoin.
        scale *= max(0.6, min(0.97, room / total))
    y = top - max(0, (room - total) / 2)
    for line, paragraph, height in laid:
        y -= line.gap * mm * scale
        paragraph.drawOn(canvas, x, y - height)
        y -= height
