"""Fonts, styles and the page layout shared by every PDF the site makes (agendas, sign-in sheets, certificates).

Fira Sans, installed by pip (fontpkg-fira-sans), draws Latin-Extended
(ă â î ș ț ā ņ š ė ų) and Cyrillic; ReportLab embeds only the glyphs used.
"""

import contextlib
import functools
import io
import unicodedata
import zlib
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from fontpkg_fira_sans import ROOT as FIRA_ROOT
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table

FONT = "FiraSans"
FONT_BOLD = "FiraSans-Bold"
FONT_ITALIC = "FiraSans-Italic"
GREY = colors.HexColor("#5b6778")
RULE = colors.HexColor("#8a97a8")

# A4 portrait; what is drawn stays inside the margins, the footer in the bottom one.
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
BOTTOM_MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN


class QuickFlate(pdfdoc.PDFStreamFilterZCompress):
    """zlib at its fastest level. Font subsets and page operators come out hardly larger than at its default (a
    certificate 1.5% larger), in half the time."""

    def encode(self, text):
        return _deflated(text.encode() if isinstance(text, str) else text)


@functools.lru_cache(maxsize=16)
def _deflated(content):
    # Documents seeded alike (fonts_seeded) carry the same font subsets and character maps: each is compressed once.
    return zlib.compress(content, 1)


# ReportLab reads the filter of every stream it compresses (fonts, pages) from here; images are compressed apart.
pdfdoc.PDFZCompress = QuickFlate()


class SubsetKeepingFace(TTFontFace):
    """A font file that makes each subset (a list of characters) once per process."""

    def makeSubset(self, subset):
        return _subset(self, tuple(subset))


@functools.lru_cache(maxsize=64)
def _subset(face, characters):
    return TTFontFace.makeSubset(face, list(characters))


@functools.cache
def register_fonts():
    for name, filename in [(FONT, "Regular"), (FONT_BOLD, "Bold"), (FONT_ITALIC, "Italic")]:
        # Not "ASCII-readable": a document embeds the glyphs it uses, not all of ASCII besides (a certificate is
        # 8 KB smaller and 0.8 ms quicker to write); text is still extracted through the fonts' ToUnicode maps.
        font = TTFont(name, FIRA_ROOT / "files" / f"FiraSans-{filename}.ttf", asciiReadable=False)
        font.face.__class__ = SubsetKeepingFace  # the face TTFont read, its subsets now kept
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return FONT


# The characters documents of a kind drew, per font, in the order each font numbered them: {(kind, font): text}.
_alphabets = {}
ALPHABET_KINDS = 512  # kinds remembered; all are forgotten past that, and learnt again
ALPHABET_LETTERS = 200  # an alphabet stops growing there: one subset holds 256 characters


@contextlib.contextmanager
def fonts_seeded(canvas, kind):
    """Within it, the canvas's fonts first number the characters the documents of `kind` drew before, in the same
    order; after it, those this document drew besides join them.

    Documents alike (the certificates of one event) thus embed the very same font subsets, which are made and
    compressed once per process instead of for each document (2 ms of a certificate's 7), at the cost of a few
    glyphs a document does not use.
    """
    document, fonts = canvas._doc, [pdfmetrics.getFont(name) for name in (FONT, FONT_BOLD)]
    for font in fonts:
        if alphabet := _alphabets.get((kind, font.fontName)):
            font.splitString(alphabet, document)
    yield
    if len(_alphabets) >= ALPHABET_KINDS:
        _alphabets.clear()
    for font in fonts:
        numbered = font.state[document].assignments if document in font.state else {}
        drawn = "".join(chr(character) for character in sorted(numbered, key=numbered.get) if character not in (0, 32))
        if len(drawn) <= ALPHABET_LETTERS:
            _alphabets[(kind, font.fontName)] = drawn


@functools.cache
def styles():
    """Paragraph styles in the site's font: body, small, h1, h2, and the running header's header_title, header."""
    register_fonts()
    sample = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sample["BodyText"], fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "h1": ParagraphStyle("h1", parent=sample["Title"], fontName=FONT_BOLD, fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", parent=sample["Heading2"], fontName=FONT_BOLD, fontSize=13, leading=16),
        "header_title": ParagraphStyle("header_title", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11),
        "header": ParagraphStyle("header", parent=body, fontSize=8, leading=10, textColor=GREY),
    }


def markup(value):
    """`value` as Paragraph text: escaped, and NFC so that every letter is one glyph of the font."""
    return escape(unicodedata.normalize("NFC", str(value)))


class RowKeepingTable(Table):
    """A table that breaks between its rows; a row itself is cut only when it is taller than a whole page."""

    def split(self, availWidth, availHeight):
        # Left to itself, ReportLab also cuts a row that merely lacks room at the foot of a page.
        self._calc(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        self.splitInRow = int(frame is None or frame._atTop or max(self._rowHeights) > frame._height)
        return super().split(availWidth, availHeight)


class _CountingCanvas(Canvas):
    """Holds every page until the document ends, so that each footer can say how many pages there are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, page in enumerate(self._held_pages, start=1):
            self.__dict__.update(page)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(GREY)
            self.drawString(MARGIN, 10 * mm, "Sinergia")
            label = _("Page %(number)s of %(total)s") % {"number": number, "total": total}
            self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, label)
            self.restoreState()
            super().showPage()
        super().save()


def pdf_document(story, *, title, running_header):
    """PDF bytes of `story` on A4 pages ending in "Sinergia" and "Page X of Y".

    The first page begins with the story's own title block; every later page repeats `running_header`
    (lines of text, the first in bold) above the story, wrapped to the page's width.
    """
    style = styles()
    header = [
        Paragraph(markup(line), style["header_title" if number == 0 else "header"])
        for number, line in enumerate(running_header)
    ]
    heights = [paragraph.wrap(FRAME_WIDTH, PAGE_HEIGHT)[1] for paragraph in header]
    header_bottom = PAGE_HEIGHT - MARGIN - sum(heights) - 2 * mm

    def draw_header(canvas, document):
        top = PAGE_HEIGHT - MARGIN
        for paragraph, height in zip(header, heights, strict=True):
            top -= height
            paragraph.drawOn(canvas, MARGIN, top)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, header_bottom, PAGE_WIDTH - MARGIN, header_bottom)
        canvas.restoreState()

    def frame(top, name):
        return Frame(MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, top - BOTTOM_MARGIN, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Sinergia",
        initialFontName=FONT,
        pageTemplates=[
            PageTemplate("first", [frame(PAGE_HEIGHT - MARGIN, "first")], autoNextPageTemplate="later"),
            PageTemplate("later", [frame(header_bottom - 3 * mm, "later")], onPage=draw_header),
        ],
    )
    document.build(story, canvasmaker=_CountingCanvas)
    return buffer.getvalue()
