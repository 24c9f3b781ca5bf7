"""Fields kept in English, Romanian and Russian (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Course, Event, Facilitator, Programme, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ["name", "description"]


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ["title", "description"]


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ["title", "summary", "objectives"]


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ["title", "description", "venue_name", "city"]


@register(Facilitator)
class FacilitatorTranslation(TranslationOptions):
    fields = ["position", "organisation", "bio"]


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ["title", "description"]
