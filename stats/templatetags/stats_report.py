from datetime import date

from django import template
from django.db.models import Model
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from stats.figures import RATES

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
    columns = [(conditional_escape(name), attribute) for name, attribute in table.columns()]
    drawn = []
    for row in table.rows:
        cells = "".join(f'<td data-label="{name}">{conditional_escape(localize(_shown(row, attribute)))}</td>'
                        for name, attribute in columns)  # fmt: skip
        drawn.append(f'<tr><th scope="row">{conditional_escape(row.label)}</th>{cells}</tr>')
    return mark_safe("\n".join(drawn))


def _shown(row, attribute):
    value = getattr(row, attribute)
    if attribute == "hours":
        return floatformat(value, "-1")
    return "–" if value is None and attribute in RATES else value
