"""Images in PDFs (logos, signatures, stamps), encoded once per process and drawn into any number of documents.

ReportLab's drawImage digests and compresses an image's pixels again in every document it is drawn into (about
3 ms for a logo); certificates are made by the thousand, so each image is encoded here once, and written out as PDF
once (a branded certificate's six images and their masks took 0.9 ms to write in every document).
"""

import copy
import functools
import hashlib
import io
import logging
import zlib
from dataclasses import dataclass

from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import NoEncryption, PDFImageXObject
from reportlab.platypus import Flowable

from .storage import stored_file_open

logger = logging.getLogger(__name__)
# The longest side of an image once prepared: 300 dpi over 85 mm, more than any logo or signature is drawn.
PICTURE_PIXELS = 1000


@dataclass(frozen=True)
class Picture:
    """An image encoded for PDF, with its transparency as a soft mask."""

    name: str
    image: PDFImageXObject
    mask: PDFImageXObject | None
    width: int
    height: int


class WrittenOnce(PDFImageXObject):
    """An image XObject whose PDF text is made by the first document that writes it and copied by the others.

    Only its mask's object number differs from one document to another: the text is kept for each.
    """

    @classmethod
    def of(cls, xobject):
        written = cls.__new__(cls)
        written.__dict__.update(xobject.__dict__, _texts={})
        return written

    def format(self, document):
        if not isinstance(document.encrypt, NoEncryption):  # an encrypted document's streams are its own
            return super().format(document)
        mask = getattr(self, "smask", None)
        key = mask.format(document) if mask is not None else b""
        if key not in self._texts:
            self._texts[key] = super().format(document)
        return self._texts[key]


def picture_of(image, key):
    """`image` (Pillow) prepared for drawing; `key` names its content."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.mode in ("LA", "PA") or "transparency" in image.info else "RGB")
    image.thumbnail((PICTURE_PIXELS, PICTURE_PIXELS))
    name = "Picture" + hashlib.sha256(key.encode()).hexdigest()[:24]
    xobject = PDFImageXObject(name, ImageReader(image), mask="auto")
    mask = xobject.__dict__.pop("_smask", None)
    if mask is not None:
        mask.name = name + "Mask"
    for part in (xobject, mask):
        # Compressed once, so compressed hard: every document carries these bytes.
        if part is not None and part._filters == ("FlateDecode",):
            part.streamContent = zlib.compress(zlib.decompress(part.streamContent), 9)
    return Picture(name, WrittenOnce.of(xobject), mask and WrittenOnce.of(mask), *image.size)


@functools.lru_cache(maxsize=64)
def stored_picture(name):
    """The stored image `name`, read and encoded once per process: stored images never change under a name."""
    with stored_file_open(name) as file, Image.open(io.BytesIO(file.read())) as image:
        image.load()
        return picture_of(image, f"stored:{name}")


def readable_picture(name, source=stored_picture):
    """`source(name)`, or None when the image is missing or unreadable (logged): the document is still made."""
    if not name:
        return None
    try:
        return source(name)
    except Exception:  # noqa: BLE001 - a lost or damaged image file must not stop a certificate or a report
        logger.exception("The image %s could not be read", name)
        return None


def draw_picture(canvas, picture, x, y, width, height, anchor="c"):
    """`picture` as large as fits the box at (x, y) of `width` x `height` without distortion; `anchor`
    "c" centres it, "s" sets it on the middle of the box's bottom.

    This registers the object encoded once the way canvas.drawImage registers the one it encodes.
    """
    scale = min(width / picture.width, height / picture.height)
    drawn_width, drawn_height = picture.width * scale, picture.height * scale
    x += (width - drawn_width) / 2
    if anchor == "c":
        y += (height - drawn_height) / 2
    document = canvas._doc
    registered = document.getXObjectName(picture.name)
    if registered not in document.idToObject:
        image = copy.copy(picture.image)
        if picture.mask is not None:
            image.smask = document.Reference(copy.copy(picture.mask), document.getXObjectName(picture.mask.name))
        document.Reference(image, registered)
        document.addForm(picture.name, image)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(drawn_width, drawn_height)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(picture.name)


class PictureRow(Flowable):
    """Logos side by side, each at most `height` tall and 45 mm wide, centred across the frame."""

    def __init__(self, pictures, height=16 * mm, gap=8 * mm):
        super().__init__()
        self.pictures, self.height, self.gap = pictures, height, gap

    def wrap(self, available_width, _available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self):
        slot = min(45 * mm, (self.width - self.gap * (len(self.pictures) - 1)) / len(self.pictures))
        widths = [min(slot, picture.width * self.height / picture.height) for picture in self.pictures]
        x = (self.width - sum(widths) - self.gap * (len(widths) - 1)) / 2
        for picture, width in zip(self.pictures, widths, strict=True):
            draw_picture(self.canv, picture, x, 0, width, self.height)
            x += width + self.gap
