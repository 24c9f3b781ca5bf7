"""Bar charts drawn as SVG by the server: no script, no CDN, readable when printed in black and white."""

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = "#1d4f91"
TEXT = "#1b2430"


def bar_chart(rows, value, title, width=640, bar_height=18, gap=6, label_width=220):
    """Horizontal bars of `value` (an attribute of each row), labelled with the row's label and the figure."""
    shown = [(row.label, getattr(row, value) or 0) for row in rows]
    if not shown:
        return ""
    largest = max(number for _label, number in shown) or 1
    plot = width - label_width - 60
    height = len(shown) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{escape(title)}</title>'
    ]
    for index, (label, number) in enumerate(shown):
        y = gap + index * (bar_height + gap)
        length = max(float(number) / float(largest) * plot, 1 if number else 0)
        shown_label = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height - 5}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(shown_label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height - 5}" font-size="12" fill="{TEXT}">'
            f"{escape(_figure(number))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _figure(number):
    """One decimal at most, with the language's separator (9,5 in ro and ru)."""
    return floatformat(number, -1)
