"""Images the demo draws for itself (emblems, signatures, a stamp), so that its certificates look finished
without shipping anyone's real logo or signature."""

import io
import math
import random

from fontpkg_fira_sans import ROOT as FIRA_ROOT
from PIL import Image, ImageDraw, ImageFont

BOLD = FIRA_ROOT / "files" / "FiraSans-Bold.ttf"


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def emblem(initials, colour, accent="#f2c200"):
    """A round emblem with `initials` beside it on a transparent background (PNG bytes)."""
    image = Image.new("RGBA", (720, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=colour)
    draw.ellipse((40, 40, 200, 200), outline=accent, width=10)
    for index in range(12):  # a ring of stars, as on many institutional emblems
        angle = index * math.pi / 6
        x, y = 120 + 80 * math.cos(angle), 120 + 80 * math.sin(angle)
        draw.regular_polygon((x, y, 9), 5, fill=accent)
    font = ImageFont.truetype(str(BOLD), 120 if len(initials) <= 4 else 96)
    draw.text((262, 120), initials, font=font, fill=colour, anchor="lm")
    return _png(image)


def signature(seed):
    """A hand-drawn-looking flourish, different for each `seed` (PNG bytes, transparent)."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points, x = [], 30.0
    while x < 560:
        points.append((x, 100 + rng.uniform(-55, 55)))
        x += rng.uniform(18, 34)
    smooth = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        for step in range(8):
            t = step / 8
            smooth.append((x1 + (x2 - x1) * t, y1 + (y2 - y1) * (3 * t * t - 2 * t * t * t)))
    draw.line(smooth, fill=(20, 40, 110, 255), width=5, joint="curve")
    draw.line([(60, 160), (520, 150)], fill=(20, 40, 110, 255), width=4)
    return _png(image)


def stamp(text, colour=(30, 70, 170, 200)):
    """A round stamp with `text` around its edge (PNG bytes, transparent)."""
    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=colour, width=10)
    draw.ellipse((70, 70, size - 70, size - 70), outline=colour, width=5)
    draw.regular_polygon((size / 2, size / 2, 60), 5, fill=colour)
    font = ImageFont.truetype(str(BOLD), 30)
    letters = f"{text} · "
    for index, letter in enumerate(letters):
        angle = 2 * math.pi * index / len(letters) - math.pi / 2
        glyph = Image.new("RGBA", (44, 44), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((22, 22), letter, font=font, fill=colour, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x, y = size / 2 + 162 * math.cos(angle) - 22, size / 2 + 162 * math.sin(angle) - 22
        image.alpha_composite(glyph, (round(x), round(y)))
    return _png(image)
