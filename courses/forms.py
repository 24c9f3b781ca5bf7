import functools
import re
import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from lms.collation import Collated
from lms.models import User
from lms.roles import Role

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
    """A session: only the title in the page's language is required; the other fields are grouped by the template."""

    class Meta:
        model = AgendaItem
        fields = ["date", "starts_at", "ends_at", *_localized("title"), "kind", "room", "facilitators", "moderator",
                  *_localized("description")]  # fmt: skip
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, event, facilitators=None, **kwargs):
        """`facilitators`: the registry in order, read once for a page that shows several of these forms."""
        super().__init__(*args, **kwargs)
        self.fields["date"] = EventDayField(event, label=_("Day"))
        if self.instance.pk:
            self.initial["date"] = self.instance.date.isoformat()
        self.title_field = build_localized_fieldname("title", get_language())
        for code, name in settings.LANGUAGES:
            field = self.fields[build_localized_fieldname("title", code)]
            field.required = code == get_language()
            field.label = _("Title") if field.required else _("Title in %(language)s") % {"language": name}
        for code, name in settings.LANGUAGES:
            self.fields[build_localized_fieldname("description", code)].label = _("Description in %(language)s") % {
                "language": name
            }
        # The chosen facilitators first, so that they are seen without scrolling a long registry.
        chosen = [person.pk for person in self.initial.get("facilitators") or []] if self.instance.pk else []
        if facilitators is not None:
            # Drawn from the list given, not read again for each form (the registry's order, nobody chosen yet).
            choices = [(person.pk, str(person)) for person in facilitators]
            self.fields["facilitators"].choices = choices
            self.fields["moderator"].choices = [("", self.fields["moderator"].empty_label), *choices]
            return
        self.fields["facilitators"].queryset = self.fields["facilitators"].queryset.order_by(
            Case(When(pk__in=chosen, then=0), default=1), Collated("name"), "pk"
        )

    def focus_title(self):
        """Put the cursor in the title, the one field every session needs typed."""
        self.fields[self.title_field].widget.attrs["autofocus"] = True

    @property
    def page_title(self):
        return self[self.title_field]

    @property
    def other_titles(self):
        return [self[name] for name in _localized("title") if name != self.title_field]

    @property
    def descriptions(self):
        return [self[name] for name in _localized("description")]

    @property
    def folded_errors(self):
        """Whether a field the template folds away has an error, so it must be shown unfolded."""
        return any(field.errors for field in [*self.other_titles, *self.descriptions, self["moderator"]])


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
        # Most often the last planned day is copied to the day after it.
        planned = set(event.agenda_items.values_list("date", flat=True))
        source = max((day for day in event.days[:-1] if day in planned), default=event.start_date)
        self.initial.setdefault("source_day", source.isoformat())
        self.initial.setdefault("target_day", min(source + timedelta(days=1), event.end_date).isoformat())


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        return f"{event.display_title} · {date_format(event.start_date, 'DATE_FORMAT')}"


class CopyAgendaForm(forms.Form):
    source = EventChoiceField(
        queryset=Event.objects.none(), label=_("Copy the agenda of"), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any earlier event the user may manage: another trainer's draft is not theirs to read.
        self.fields["source"].queryset = (
            selectors.events_managed_by(user)
            .filter(start_date__lt=event.start_date, agenda_items__isnull=False)
            .select_related("course")
            .distinct()
            .order_by("-start_date", "pk")
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


DEFAULT_TIME_ZONE = Event._meta.get_field("time_zone").default
_WINDOW_FORMAT = "%Y-%m-%dT%H:%M"


@functools.cache
def time_zone_choices():
    """Region/City zones in alphabetical order, the usual one first (read from the zone database once)."""
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and zone != DEFAULT_TIME_ZONE)
    return [(zone, zone.replace("_", " ")) for zone in [DEFAULT_TIME_ZONE, "UTC", *zones]]


class EventForm(forms.ModelForm):
    """An event's settings; the enrollment window is typed in the event's own time zone."""

    translated = ("venue_name", "city")
    time_zone = forms.ChoiceField(label=_("Time zone"), initial=DEFAULT_TIME_ZONE)
    trainers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Trainers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the Trainer role."),
    )

    class Meta:
        model = Event
        fields = ["course", "programme", "start_date", "end_date", "day_starts_at", "day_ends_at", "time_zone",
                  *_localized("venue_name"), "venue_address", *_localized("city"), "region", "format",
                  "working_language", "interpretation", "capacity", "requires_approval", "enrollment_opens_at",
                  "enrollment_closes_at", "trainers", "organisers"]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "day_starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "day_ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "enrollment_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_WINDOW_FORMAT),
            "enrollment_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_WINDOW_FORMAT),
            "organisers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["trainers"].queryset = User.objects.filter(groups__name=Role.TRAINER)
        closes = self.fields["enrollment_closes_at"]
        closes.required = False
        closes.help_text = _("Empty: two days before the first day, at 18:00. Both times are in the event's time zone.")
        # The page's language is required; the other languages are optional, folded away in the template.
        language = get_language()
        for name in self.translated:
            for code, _name in settings.LANGUAGES:
                self.fields[build_localized_fieldname(name, code)].required = code == language
        if self.instance.pk:
            for name in ("enrollment_opens_at", "enrollment_closes_at"):
                if moment := getattr(self.instance, name):
                    self.initial[name] = timezone.localtime(moment, self.instance.tz).replace(tzinfo=None)

    def page_language_fields(self):
        return [self[build_localized_fieldname(name, get_language())] for name in self.translated]

    def other_language_fields(self):
        return [
            self[build_localized_fieldname(name, code)]
            for name in self.translated
            for code, _name in settings.LANGUAGES
            if code != get_language()
        ]

    def _in_event_zone(self, name):
        """The typed wall-clock time, read in the chosen time zone rather than the site's."""
        moment = self.cleaned_data.get(name)
        zone = self.cleaned_data.get("time_zone")
        if moment and zone:
            return timezone.make_naive(moment).replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return moment

    def clean_enrollment_opens_at(self):
        return self._in_event_zone("enrollment_opens_at")

    def clean_enrollment_closes_at(self):
        return self._in_event_zone("enrollment_closes_at")

    def event_fields(self):
        """The event's own fields, for the services; people are passed apart."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name not in ("trainers", "organisers")}


class EventCloneForm(forms.Form):
    start_date = forms.DateField(
        label=_("First day of the copy"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The copy lasts as many days; its sessions move with it."),
    )
