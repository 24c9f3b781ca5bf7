"""Fields kept in English, Romanian and Russian (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import DesignSignatory


@register(DesignSignatory)
class DesignSignatoryTranslation(TranslationOptions):
    fields = ["name", "title"]
