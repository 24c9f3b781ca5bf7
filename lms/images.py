"""Uploaded images (logos, signatures, stamps): checked as images, stored under names nobody can guess.

A stored image is never overwritten: a new upload gets a new name, so a certificate that printed an
image keeps pointing at the very file it printed.
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 2 MB file may still unpack into gigabytes
FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg"}


def image_format(file):
    """'PNG' or 'JPEG' read from the content (never the file's name), else None."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.verify()
            return image.format if image.format in FORMATS else None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on bad files; all mean "not an image"
        return None
    finally:
        file.seek(position)


def validate_image(file):
    if getattr(file, "_committed", False):
        return  # stored already: checked when it was uploaded, and not read back at every save
    if file.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 2 MB: make it smaller and upload it again."))
    if image_format(file) is None:
        raise ValidationError(_("Upload a PNG or JPEG image; this file is not one, or it is damaged."))


def branding_path(_instance, filename):
    """branding/<random>.<extension>: unguessable, and never the name of an earlier upload."""
    suffix = PurePosixPath(filename).suffix.lower().replace(".jpeg", ".jpg")
    return f"branding/{uuid.uuid4().hex}{suffix if suffix in CONTENT_TYPES else ''}"
