"""Filter fields shared by the catalog, the participant lists and the statistics."""

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from .collation import Collated


class _ReadOnceIterator(ModelChoiceIterator):
    # Django reads model choices through a server-side cursor on PostgreSQL,
    # three round trips for a dozen rows; a short list is cheaper read whole.
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (self.field.empty_label is not None) + (self.field.null_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class ShortListChoiceField(ModelChoiceField):
    """A choice among a short list of rows (regions, themes...), read in one query per form
    that serves both to check the choice and to draw the options."""

    iterator = _ReadOnceIterator

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value
        key = self.to_field_name or "pk"
        wanted = str(getattr(value, key, value))
        chosen = next((obj for obj in self.queryset if str(getattr(obj, key)) == wanted), None)
        if chosen is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return chosen


class ShortListChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ShortListChoiceField

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Rows kept in order of their name (regions, institutions) are listed in the alphabetical order of the
        # page's language (modeltranslation's default order is the language active when the queryset was made).
        if list(queryset.model._meta.ordering) == ["name"]:
            return queryset.order_by(Collated("name"), "pk")
        return queryset
