from datetime import date

from django import template
from django.db.models import Model
from django.utils.formats import date_format

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
