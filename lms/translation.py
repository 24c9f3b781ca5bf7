"""Names and the privacy notice kept in English, Romanian and Russian (django-modeltranslation): each page shows
the reader's language, else whichever language the text was given in (MODELTRANSLATION_FALLBACK_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Institution, PrivacyNotice, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ["name"]


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ["name"]


@register(PrivacyNotice)
class PrivacyNoticeTranslation(TranslationOptions):
    fields = ["text"]
