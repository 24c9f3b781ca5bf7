"""The catalog's and the calendar's filters: one set of fields, two querysets.

Course-level fields (text, audience, theme, activity type) narrow the courses;
event-level fields (region, format, language, dates, open now) narrow the
events. The catalog lists courses with their matching events; the calendar
and the .ics feed list the matching events themselves.
"""

from uuid import uuid4

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from lms.filters import ShortListChoiceFilter
from lms.models import Audience, Institution, Region

from .models import WORKING_LANGUAGES, Course, CourseAudience, Enrollment, Event, Theme, open_for_enrollment_q

COURSE_FIELDS = ["q", "audience", "theme", "activity_type"]
EVENT_FIELDS = ["region", "format", "language", "date_from", "date_to", "open_now"]


def course_conditions(data):
    """A Q on Course for the course-level fields of cleaned filter data."""
    condition = Q()
    if text := (data.get("q") or "").strip():
        for code, _name in settings.LANGUAGES:
            for field in ("title", "summary"):
                condition |= Q(**{f"{build_localized_fieldname(field, code)}__icontains": text})
    if audience := data.get("audience"):
        condition &= Q(Exists(CourseAudience.objects.filter(course=OuterRef("pk"), audience=audience)))
    if theme := data.get("theme"):
        condition &= Q(Exists(Course.themes.through.objects.filter(course=OuterRef("pk"), theme=theme)))
    if activity_type := data.get("activity_type"):
        condition &= Q(activity_type=activity_type)
    return condition


def event_conditions(data, now=None):
    """A Q on Event for the event-level fields of cleaned filter data."""
    condition = Q()
    if region := data.get("region"):
        condition &= Q(region=region)
    if event_format := data.get("format"):
        condition &= Q(format=event_format)
    if language := data.get("language"):
        condition &= Q(working_language=language)
    if date_from := data.get("date_from"):
        condition &= Q(end_date__gte=date_from)
    if date_to := data.get("date_to"):
        condition &= Q(start_date__lte=date_to)
    if data.get("open_now"):
        condition &= open_for_enrollment_q(now)
    return condition


ANY = _("Any")

# Filter forms' drawn fields are cached with the version of the choice lists they show. Saving or deleting a row of
# a list drops the version (receivers connected by each app for the lists of its forms: connect_choices()); a change
# made without signals (bulk updates) shows within the timeout.
CHOICES_VERSION_KEY = "filter-choices"
DRAWN_FIELDS_SECONDS = 600


def choices_changed(**kwargs):
    """A row of a filter form's choice list was saved or deleted."""
    # After the commit: a page drawn in between would otherwise be cached under a new version with old names.
    transaction.on_commit(lambda: cache.delete(CHOICES_VERSION_KEY))


def connect_choices(filterset_class):
    """Drop the drawn fields' version when a row of a list that `filterset_class`'s form chooses from changes."""
    listed = [getattr(each, "queryset", None) for each in filterset_class.base_filters.values()]
    for model in {queryset.model for queryset in listed if queryset is not None}:
        for signal in (post_save, post_delete):
            uid = f"courses.choices_changed.{model._meta.label}.{signal is post_save}"
            signal.connect(choices_changed, sender=model, dispatch_uid=uid)


class DrawnFieldsMixin:
    """A FilterSet whose form's fields are drawn once per form, language, fields shown and submitted values, and
    cached: drawing the widgets costs more than a cache read, and their choices rarely change. Its page draws
    `drawn_fields` (courses/includes/filter_form.html)."""

    @cached_property
    def drawn_fields_keys(self):
        """The cache keys of the drawn fields: the choice lists' version, then the fields drawn for this request."""
        fields = list(self.form.fields)
        submitted = [(name, self.data.getlist(name)) for name in fields] if self.is_bound else None
        key = make_template_fragment_key("filter_fields", [type(self).__name__, get_language(), fields, submitted])
        return [CHOICES_VERSION_KEY, key]

    @cached_property
    def drawn_fields_cached(self):
        """What the cache holds of drawn_fields_keys; a caller reading other keys too sets it, saving a cache call."""
        return cache.get_many(self.drawn_fields_keys)

    @cached_property
    def drawn_fields(self):
        """The form's fields as HTML, from the cache when drawn under the choice lists' current version."""
        _version_key, key = self.drawn_fields_keys
        found = self.drawn_fields_cached
        version = found.get(CHOICES_VERSION_KEY)
        if version is not None and found.get(key, (None,))[0] == version:
            return mark_safe(found[key][1])
        html = render_to_string("courses/includes/filter_fields.html", {"form": self.form})
        if version is None:
            version = uuid4().hex
            if not cache.add(CHOICES_VERSION_KEY, version, DRAWN_FIELDS_SECONDS):
                return html  # another request has just started a version: cache under it next time
        cache.set(key, (version, str(html)), DRAWN_FIELDS_SECONDS)
        return html


def _ignore(queryset, name, value):
    # Fields are applied together in filter_queryset(), not one by one.
    return queryset


class TrainingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_ignore, max_length=200)
    audience = django_filters.ChoiceFilter(empty_label=ANY, label=_("For"), choices=Audience.choices, method=_ignore)
    theme = ShortListChoiceFilter(empty_label=ANY, label=_("Theme"), queryset=Theme.objects.all(), method=_ignore)
    activity_type = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Activity type"), choices=Course.ActivityType.choices, method=_ignore
    )
    region = ShortListChoiceFilter(empty_label=ANY, label=_("Region"), queryset=Region.objects.all(), method=_ignore)
    format = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Format"), choices=Event.Format.choices, method=_ignore
    )
    language = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Language"), choices=WORKING_LANGUAGES, method=_ignore
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method=_ignore, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(label=_("To"), method=_ignore, widget=forms.DateInput(attrs={"type": "date"}))
    open_now = django_filters.BooleanFilter(
        label=_("Open for enrollment now"), method=_ignore, widget=forms.CheckboxInput
    )

    def get_form_class(self):
        # The same fields for every request (choices are read and labels translated when a form uses them): built
        # once per filter class and process; each form works on copies of them.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields["open_now"].required = False
            type(self)._form_class = form_class
        return form_class

    def clean_data(self):
        """The valid fields; a field that does not validate is left out (the view says so)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def active_fields(self):
        return {name for name, value in self.clean_data().items() if value not in (None, "", False)}


class EventFilter(TrainingFilter):
    """The calendar's filter: events matching every field."""

    class Meta:
        model = Event
        fields = []

    def filter_queryset(self, queryset):
        data = self.clean_data()
        queryset = queryset.filter(event_conditions(data))
        if set(COURSE_FIELDS) & self.active_fields:
            queryset = queryset.filter(course__in=Course.objects.filter(course_conditions(data)))
        return queryset


class CatalogFilter(DrawnFieldsMixin, TrainingFilter):
    """The catalog's filter: courses, and which of their events to show."""

    class Meta:
        model = Course
        fields = []

    def filter_queryset(self, queryset):
        return queryset.filter(course_conditions(self.clean_data()))

    @cached_property
    def matching_events(self):
        """The listed events to show under each course: upcoming ones unless dates were asked for."""
        events = Event.objects.listed().filter(event_conditions(self.clean_data()))
        if not {"date_from", "date_to"} & self.active_fields:
            events = events.filter(end_date__gte=timezone.localdate())
        return events

    @property
    def narrows_events(self):
        return bool(set(EVENT_FIELDS) & self.active_fields)


class ParticipantFilter(django_filters.FilterSet):
    """The participant list of one event, for its trainers and administrators."""

    q = django_filters.CharFilter(label=_("Name or email"), method="search", max_length=200)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Enrollment.Status.choices, empty_label=ANY)
    profession = django_filters.ChoiceFilter(
        label=_("Profession"), field_name="profession", choices=Audience.choices, empty_label=ANY
    )
    institution = ShortListChoiceFilter(
        label=_("Institution"), field_name="institution", queryset=Institution.objects.all(), empty_label=ANY
    )
    awaits_endorsement = django_filters.BooleanFilter(
        label=_("Awaiting endorsement only"), widget=forms.CheckboxInput, method="awaiting"
    )

    class Meta:
        model = Enrollment
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(user__given_name__icontains=value)
            | Q(user__family_name__icontains=value)
            | Q(user__name_other_script__icontains=value)
            | Q(user__email__icontains=value)
        )

    def awaiting(self, queryset, name, value):
        return queryset.filter(awaits_endorsement=True, status=Enrollment.Status.REQUESTED) if value else queryset
