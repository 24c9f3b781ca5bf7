"""Charts of participations drawn as SVG by the server (bars by row, columns over time): no script, no CDN.

Lengths across are percentages of the width the page gives a chart and lengths down are in em, so its
labels stay at the size of the page's body text on a phone, a desktop and paper alike. The colours are
Okabe and Ito's, told apart with any colour vision; each share of a bar also has its own pattern and,
where it fits, its figure written on it, so a black-and-white print still reads.
"""

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (Row field, legend, colour, pattern drawn over the colour in an 8 x 8 tile).
SEXES = [
    ("women", gettext_lazy("Women"), "#e69f00", ""),
    ("men", gettext_lazy("Men"), "#0072b2", '<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="#fff" stroke-width="2"/>'),
    ("sex_other", gettext_lazy("Other or not stated"), "#cc79a7", '<circle cx="4" cy="4" r="1.8" fill="#fff"/>'),
]
ALL = ("participations", "", "#0072b2", "")
TEXT = "#1b2430"
LIMIT = 20  # rows shown at most, the largest: a longer chart would not fit on a printed page
ROW, LABEL, BAR = 3.3, 1.1, 1.45  # em: from a row's top to the next one's, to its label's baseline, to its bar
BAR_HEIGHT = 1.4  # em
SCALE = 85  # % of the width the longest bar takes; the rest is for its figure
# Time axis: room above the columns for their figures, the columns' full height (em).
COLUMN_TOP, COLUMN_HEIGHT = 1.5, 9
# The width (em) a chart has at least on a phone, a tablet or A4 paper, and a desktop. A label drawn for
# some of them only is marked data-at="<their names>" and hidden at the others by the stylesheet.
WIDTHS = {"phone": 18, "tablet": 34, "desktop": 58}
NARROW = WIDTHS["phone"]
CHAR = 0.62  # em: the width of a character of the body font, about
# Every how many periods the axis is labelled: the first of these at which labels do not touch.
MONTH_STEPS, QUARTER_STEPS = (1, 2, 3, 6, 12, 24, 60, 120), (1, 2, 4, 8, 20, 40)


def table_chart(table, by):
    """The chart of a table of /stats/: the time axis as columns; the others as bars, in shares of each sex
    where the table counts them, and in the sex table itself (one colour a sex)."""
    if table.name == "time":
        return time_chart(table, by)
    return participation_chart(table, by_sex=table.split_by_sex or table.name == "sex")


def participation_chart(table, *, by_sex=False):
    """Participations of each row of `table`, one bar a row, the LIMIT largest at most; `by_sex`: each bar
    in shares of women, men and other."""
    rows = table.rows
    if not rows:
        return ""
    if len(rows) > LIMIT:
        rows = sorted(rows, key=lambda row: -row.participations)[:LIMIT]
    series = SEXES if by_sex else [ALL]
    prefix = f"chart-{table.name}"
    largest = max(row.participations for row in rows) or 1
    title = _("%(table)s: participations") % {"table": table.title}
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" height="{height}em" '
            'aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{title}</title>'
            '<desc id="{id}-desc">{description}</desc><defs>{patterns}</defs>',
            height=f"{len(rows) * ROW:.1f}",
            id=prefix,
            title=title,
            description=_description(rows, by_sex),
            patterns=_patterns(prefix, series),
        )
    ]
    for index, row in enumerate(rows):
        parts.append(_bar(row, index * ROW, largest, series, prefix))
    parts.append(mark_safe("</svg>"))
    legend = _legend(prefix) if by_sex else ""
    trimmed = ""
    if len(rows) < len(table.rows):
        trimmed = format_html(
            "<figcaption>{}</figcaption>",
            _("The %(shown)d largest of %(count)d; the table lists them all.")
            % {"shown": len(rows), "count": len(table.rows)},
        )
    return format_html('<figure class="chart">{}{}{}</figure>', legend, mark_safe("".join(parts)), trimmed)


def _patterns(prefix, series):
    return format_html_join(
        "",
        '<pattern id="{}-{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="{}"/>{}</pattern>',
        ((prefix, name, colour, mark_safe(tile)) for name, _legend, colour, tile in series),
    )


def _bar(row, top, largest, series, prefix):
    """A row: its label, its bar in shares of `series` with the figures that fit on them, its total after it."""
    # Written as plain strings (a page draws hundreds of these): only the label is text to escape.
    parts = [
        f'<text{_at(names)} x="0" y="{top + LABEL:.2f}em" fill="{TEXT}">{conditional_escape(label)}</text>'
        for label, names in _cut(row.label).items()
    ]
    start, bar_top, baseline = 0.0, f"{top + BAR:.2f}", f"{top + BAR + 1.05:.2f}"
    for name, _legend, _colour, _tile in series:
        count = getattr(row, name)
        if not count:
            continue
        width = count * SCALE / largest
        parts.append(
            f'<rect x="{start:.2f}%" y="{bar_top}em" width="{width:.2f}%" height="{BAR_HEIGHT}em" '
            f'fill="url(#{prefix}-{name})" stroke="{TEXT}" stroke-width="1"/>'
        )
        if len(series) > 1 and width / 100 * NARROW >= CHAR * len(str(count)) + 0.8:
            # White on a dark outline: legible on every colour and pattern, and in grey.
            parts.append(
                f'<text x="{start + width / 2:.2f}%" y="{baseline}em" text-anchor="middle" fill="#fff" '
                f'stroke="{TEXT}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{count}</text>'
            )
        start += width
    total = row.participations
    parts.append(f'<text x="{start:.2f}%" dx=".4em" y="{baseline}em" fill="{TEXT}" font-weight="bold">{total}</text>')
    return mark_safe("".join(parts))


def _cut(label):
    """{the label as it fits across the chart: [the names of the widths it is drawn at]}, cut short with an
    ellipsis where it does not fit (the table beside names it in full)."""
    cuts = {}
    for name, width in WIDTHS.items():
        longest = int(width / CHAR)
        cuts.setdefault(label if len(label) <= longest else label[: longest - 1] + "…", []).append(name)
    return cuts


def _description(rows, by_sex):
    """The chart in words, for those who do not see it."""
    if by_sex:
        text = _("%(label)s: %(count)d (women %(women)d, men %(men)d, other or not stated %(other)d)")
        lines = [text % {"label": row.label, "count": row.participations, "women": row.women, "men": row.men,
                         "other": row.sex_other} for row in rows]  # fmt: skip
    else:
        lines = [_("%(label)s: %(count)d") % {"label": row.label, "count": row.participations} for row in rows]
    return "; ".join(lines)


def _legend(prefix):
    """Swatches painted with the chart's own patterns."""
    items = format_html_join(
        "",
        '<li><svg width="1.6em" height="1em" aria-hidden="true" focusable="false"><rect width="100%" '
        'height="100%" fill="url(#{}-{})" stroke="{}"/></svg> {}</li>',
        ((prefix, name, TEXT, legend) for name, legend, _colour, _tile in SEXES),
    )
    return format_html('<ul class="chart-legend">{}</ul>', items)


def time_chart(table, by):
    """Participations over time: one column a period, every period of the table (none skipped), on an axis
    labelled as often as the labels fit."""
    rows = table.rows
    if not rows:
        return ""
    prefix, per_year = f"chart-{table.name}", 4 if by == "quarter" else 12
    most = max(row.participations for row in rows)
    largest = most or 1
    slot = 100 / len(rows)  # % of the width for each period
    axis = COLUMN_TOP + COLUMN_HEIGHT
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" height="{height}em" '
            'aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{title}</title>'
            '<desc id="{id}-desc">{description}</desc>'
            '<line x1="0" x2="100%" y1="{axis}em" y2="{axis}em" stroke="{text}" stroke-width="1"/>',
            height=axis + 2.2,
            id=prefix,
            title=_("%(table)s: participations") % {"table": table.title},
            description=_description(rows, by_sex=False),
            axis=axis,
            text=TEXT,
        )
    ]
    # Events without anyone yet have columns of nothing, and no peak.
    peak = next((index for index, row in enumerate(rows) if row.participations == most), None) if most else None
    for index, row in enumerate(rows):
        if not row.participations:
            continue
        height = row.participations / largest * COLUMN_HEIGHT
        parts.append(
            format_html(
                '<rect x="{x}%" y="{y}em" width="{width}%" height="{height}em" fill="{colour}"/>',
                x=f"{(index + 0.15) * slot:.3f}",
                y=f"{axis - height:.2f}",
                width=f"{0.7 * slot:.3f}",
                height=f"{height:.2f}",
                colour=ALL[2],
            )
        )
        # Its figure above it where it is no wider than the column, and always above the highest one
        # (nothing as high beside it), kept inside the chart at its edges.
        fits = [name for name, em in WIDTHS.items() if em * slot / 100 >= CHAR * len(str(row.participations))]
        if fits or index == peak:
            middle = (index + 0.5) * slot
            parts.append(
                format_html(
                    '<text{at} x="{x}%" y="{y}em" text-anchor="{anchor}" fill="{text}">{count}</text>',
                    at=_at(WIDTHS if index == peak else fits),
                    x=f"{middle:.3f}",
                    y=f"{axis - height - 0.3:.2f}",
                    anchor="start" if middle < 5 else "end" if middle > 95 else "middle",
                    text=TEXT,
                    count=row.participations,
                )
            )
    parts.append(_ticks(rows, slot, axis, per_year))
    parts.append(mark_safe("</svg>"))
    return format_html('<figure class="chart">{}</figure>', mark_safe("".join(parts)))


def _ticks(rows, slot, axis, per_year):
    """The axis's labels: the first period's, then every few periods, calendar-aligned (the years alone when
    that is a year or more), as often as they fit without touching, at each of the widths a chart has."""
    shown = {}  # (index, text): the names of the widths it is shown at
    for name, width in WIDTHS.items():
        for step in QUARTER_STEPS if per_year == 4 else MONTH_STEPS:
            texts = [str(row.key[0].year) if step >= per_year else row.label for row in rows]
            if step * width * slot / 100 >= CHAR * max(map(len, texts)) + 0.8:
                break
        texts[0] = rows[0].label
        free = 0  # em from the left where the next label may start
        for index, (row, text) in enumerate(zip(rows, texts, strict=True)):
            start, end = index * slot / 100 * width, index * slot / 100 * width + CHAR * len(text)
            if (index == 0 or _period_number(row.key[0], per_year) % step == 0) and start >= free and end <= width:
                shown.setdefault((index, text), []).append(name)
                free = end + 0.8
    return format_html_join(
        "",
        '<g{}><line x1="{}%" x2="{}%" y1="{}em" y2="{}em" stroke="{}"/><text x="{}%" y="{}em" fill="{}">{}</text></g>',
        (
            (_at(names), f"{index * slot:.3f}", f"{index * slot:.3f}", axis, axis + 0.4, TEXT, f"{index * slot:.3f}",
             axis + 1.6, TEXT, text)
            for (index, text), names in sorted(shown.items())
        ),
    )  # fmt: skip


def _at(names):
    """The attribute naming the widths where an element shows, none when it shows at all of them."""
    return "" if len(names) == len(WIDTHS) else format_html(' data-at="{}"', " ".join(names))


def _period_number(moment, per_year):
    return moment.year * per_year + (moment.month - 1) * per_year // 12
