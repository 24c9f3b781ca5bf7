import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.filters import DrawnFieldsMixin
from courses.models import Course, Enrollment, Event, Programme, Theme
from lms.filters import ShortListChoiceFilter
from lms.models import Audience, Institution, Region

EACH = {"method": "_ignore", "empty_label": _("Any")}
DATE = forms.DateInput(attrs={"type": "date"})


class StatsFilter(DrawnFieldsMixin, django_filters.FilterSet):
    """One form; `events()` and `enrollments()` give the two scopes the figures are read from.

    An institution is the one recorded on each enrollment when it was asked for, so a person who moves
    leaves their past participations with the institution they came from.
    """

    date_from = django_filters.DateFilter(label=_("From"), method="_ignore", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), method="_ignore", widget=DATE)
    programme = ShortListChoiceFilter(label=_("Programme"), queryset=Programme.objects.all(), **EACH)
    theme = ShortListChoiceFilter(label=_("Theme"), queryset=Theme.objects.all(), **EACH)
    course = ShortListChoiceFilter(label=_("Course"), queryset=Course.objects.all(), **EACH)
    activity_type = django_filters.ChoiceFilter(label=_("Activity type"), choices=Course.ActivityType.choices, **EACH)
    region = ShortListChoiceFilter(label=_("Region"), queryset=Region.objects.all(), **EACH)
    institution = ShortListChoiceFilter(label=_("Institution"), queryset=Institution.objects.all(), **EACH)
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices, **EACH)

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A focal point's statistics are those of their institution, whatever the form says.
        self.forced_institution = institution
        if institution is not None:
            del self.form.fields["institution"]

    def _ignore(self, queryset, name, value):
        return queryset

    def data_clean(self):
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    def narrows(self):
        """Whether any filter (or a focal point's institution) narrows the figures."""
        return self.scoped_institution() is not None or any(self.data_clean().values())

    def scoped_institution(self):
        return self.forced_institution or self.data_clean().get("institution")

    def event_q(self, prefix=""):
        data = self.data_clean()
        conditions = Q()
        lookups = [("date_from", "start_date__gte"), ("date_to", "start_date__lte"), ("programme", "programme"),
                   ("course", "course"), ("activity_type", "course__activity_type"), ("region", "region")]  # fmt: skip
        for name, lookup in lookups:
            if data.get(name):
                conditions &= Q(**{prefix + lookup: data[name]})
        if data.get("theme"):
            conditions &= Q(**{prefix + "course__in": Course.objects.filter(themes=data["theme"])})
        if data.get("audience"):
            conditions &= Q(**{prefix + "course__in": Course.objects.filter(audiences__audience=data["audience"])})
        return conditions

    def enrollments(self):
        """Participations: confirmed enrollments in events not drafted nor cancelled."""
        scope = Enrollment.objects.filter(
            self.event_q("event__"),
            status=Enrollment.Status.CONFIRMED,
            event__status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        )
        if self.scoped_institution():
            scope = scope.filter(institution=self.scoped_institution())
        return scope

    def events(self):
        """Events not drafted; for one institution, those its people asked to join from it."""
        scope = Event.objects.listed().filter(self.event_q())
        if self.scoped_institution():
            scope = scope.filter(
                pk__in=Enrollment.objects.filter(institution=self.scoped_institution()).values("event")
            )
        return scope
