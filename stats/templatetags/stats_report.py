from datetime import date

from django import template
from django.db.models import Model
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def applied_filters(filterset):
    """[(label, value)] of the filters given, as text: a printed report has no form to show them."""
    data = filterset.data_clean()
    applied = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, Model):
            text = str(value)
        elif isinstance(value, date):
            text = date_format(value)
        else:
            text = dict(field.choices).get(value, value)
        applied.append((field.label, text))
    return applied


@register.simple_tag
def table_rows(table):
    """The rows of a table of /stats/ (figures.Table), each cell named by its column for narrow screens.

    Drawn here rather than by the template engine: a page has thousands of cells, and drawing them one tag at a
    time took most of the time the page took to draw."""
    names = [conditional_escape(name) for name in table.header()[1:]]
    sexes = 3 if table.split_by_sex else 0
    drawn = []
    for row in table.rows:
        values = [
            row.participations,
            *([row.women, row.men, row.sex_other] if sexes else []),
            row.persons,
            _or_dash(row.attendance_rate),
            _or_dash(row.completion_rate),
            row.certificates,
            floatformat(row.hours, "-1"),
            *([row.planned, row.held, row.cancelled] if table.with_events else []),
        ]
        cells = [f'<td data-label="{name}">{conditional_escape(localize(value))}</td>'
                 for name, value in zip(names, values, strict=True)]  # fmt: skip
        persons = 1 + sexes
        # A line each: the participations, those by sex, the persons, the rates and totals, the events.
        lines = [
            f'<tr><th scope="row">{conditional_escape(row.label)}</th>{cells[0]}',
            "".join(cells[1:persons]),
            cells[persons],
            "".join(cells[persons + 1 : persons + 5]),
            "".join(cells[persons + 5 :]) + "</tr>",
        ]
        drawn.append("\n            " + "\n              ".join(lines) + "\n          ")
    return mark_safe("".join(drawn))


def _or_dash(value):
    return "–" if value is None else value
