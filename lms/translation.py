"""Names kept in English, Romanian and Russian (django-modeltranslation): each page shows the reader's
language, else whichever language the name was given in (MODELTRANSLATION_FALLBACK_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Institution, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ["name"]


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ["name"]
