"""Every download of people's data goes to the audit log: which export, by whom, with which filters."""

import datetime

import django_filters
from django.db import models

from .audit import Action, audit_record


def filters_applied(filterset):
    """The filters a FilterSet applied, as JSON facts: ids, codes, dates. A search's words are free text, perhaps a
    person's name: the log keeps only that there was one."""
    if filterset is None or not filterset.is_bound:
        return {}
    filterset.form.is_valid()  # a field that is not valid is not applied: cleaned_data holds the others
    applied = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False):
            continue
        if isinstance(filterset.filters.get(name), django_filters.CharFilter):
            applied[name] = True
        else:
            applied[name] = _fact(value)
    return applied


def _fact(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export_record(*, actor, export, target="", filterset=None, filters=None):
    """A file about many people: `export` names its kind (e.g. "participants.csv"), `target` the event or programme
    it is about; `filters` adds those applied outside the form (a focal point's own institution)."""
    filters = {**filters_applied(filterset), **(filters or {})}
    audit_record(action=Action.DATA_EXPORTED, actor=actor, target=target, export=export, filters=filters)
