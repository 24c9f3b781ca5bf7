"""Fonts and styles shared by every PDF the site makes (agendas, sign-in sheets, certificates).

Fira Sans, installed by pip (fontpkg-fira-sans), draws Latin-Extended
(ă â î ș ț ā ņ š ė ų) and Cyrillic; ReportLab embeds only the glyphs used.
"""

import functools

from django.utils.translation import gettext as _
from fontpkg_fira_sans import ROOT as FIRA_ROOT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "FiraSans"
FONT_BOLD = "FiraSans-Bold"
FONT_ITALIC = "FiraSans-Italic"


@functools.cache
def register_fonts():
    for name, filename in [(FONT, "Regular"), (FONT_BOLD, "Bold"), (FONT_ITALIC, "Italic")]:
        pdfmetrics.registerFont(TTFont(name, FIRA_ROOT / "files" / f"FiraSans-{filename}.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return FONT


@functools.cache
def styles():
    """Paragraph styles in the site's font: body, small, h1, h2."""
    register_fonts()
    sample = getSampleStyleSheet()
    return {
        "body": ParagraphStyle("body", parent=sample["BodyText"], fontName=FONT, fontSize=10, leading=13),
        "small": ParagraphStyle("small", parent=sample["BodyText"], fontName=FONT, fontSize=8.5, leading=11),
        "h1": ParagraphStyle("h1", parent=sample["Title"], fontName=FONT_BOLD, fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", parent=sample["Heading2"], fontName=FONT_BOLD, fontSize=13, leading=16),
    }


def page_footer(canvas, document):
    """ "Sinergia" and the page number at the foot of every page."""
    width = document.pagesize[0]
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(width - 18 * mm, 10 * mm, _("Page %(number)d") % {"number": document.page})
    canvas.drawString(18 * mm, 10 * mm, "Sinergia")
    canvas.restoreState()
