import re

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname

from . import selectors
from .models import AgendaItem, Event, Facilitator


def _localized(*fields):
    return [build_localized_fieldname(field, code) for field in fields for code, _name in settings.LANGUAGES]


class EventDayField(forms.TypedChoiceField):
    """One of an event's days."""

    def __init__(self, event, **kwargs):
        choices = [(day.isoformat(), date_format(day, "DATE_FORMAT")) for day in event.days]
        super().__init__(choices=choices, coerce=lambda value: forms.DateField().to_python(value), **kwargs)


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["date", "starts_at", "ends_at", "kind", *_localized("title"), "room", "facilitators", "moderator",
                  *_localized("description")]  # fmt: skip
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "facilitators": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"] = EventDayField(event, label=_("Day"))
        self.fields["facilitators"].help_text = _("Hold Ctrl (or ⌘) to choose several.")
        if self.instance.pk:
            self.initial["date"] = self.instance.date.isoformat()

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in _localized("title")):
            self.add_error(None, _("Give the title in at least one language."))
        return data


class FacilitatorForm(forms.ModelForm):
    class Meta:
        model = Facilitator
        fields = ["title", "name", "name_other_script", "position", "organisation", "country", *_localized("bio")]

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and not (len(country) == 2 and country.isalpha()):
            raise forms.ValidationError(_("Use the two-letter country code, e.g. LV."))
        return country


class DuplicateDayForm(forms.Form):
    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_day"] = EventDayField(event, label=_("Copy the sessions of"))
        self.fields["target_day"] = EventDayField(event, label=pgettext_lazy("copy a day", "to"))


class CopyAgendaForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Event.objects.none(), label=_("Copy the agenda of"))

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only events the user may manage: another trainer's draft is not theirs to read.
        self.fields["source"].queryset = (
            selectors.events_managed_by(user)
            .filter(course=event.course_id, start_date__lt=event.start_date, agenda_items__isnull=False)
            .distinct()
            .order_by("-start_date")
        )


class NoteForm(forms.Form):
    """The optional note recorded with a decision."""

    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.TextInput)


class NominationForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One or more addresses, separated by new lines, commas or spaces."),
    )

    def clean_emails(self):
        return [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]
