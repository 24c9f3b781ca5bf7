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
    drawn = []
    for row in table.rows:
        values = [
            row.participations,
            *([row.women, row.men, row.sex_other] if table.split_by_sex else []),
            row.persons,
            _or_dash(row.attendance_rate),
            _or_dash(row.completion_rate),
            row.certificates,
            floatformat(row.hours, "-1"),
            *([row.planned, row.held, row.cancelled] if table.with_events else []),
        ]
        cells = "".join(f'<td data-label="{name}">{conditional_escape(localize(value))}</td>'
                        for name, value in zip(names, values, strict=True))  # fmt: skip
        drawn.append(f'<tr><th scope="row">{conditional_escape(row.label)}</th>{cells}</tr>')
    return mark_safe("\n".join(drawn))


def _or_dash(value):
    return "–" if value is None else value
