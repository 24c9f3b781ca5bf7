"""Fields kept in English, Romanian and Russian (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, KnowledgeTest, Question, Questionnaire, Section, TestOption, TestQuestion


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ["title"]


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ["title"]


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ["text", "low_label", "high_label"]


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ["text"]


@register(KnowledgeTest)
class KnowledgeTestTranslation(TranslationOptions):
    fields = ["title"]


@register(TestQuestion)
class TestQuestionTranslation(TranslationOptions):
    fields = ["text"]


@register(TestOption)
class TestOptionTranslation(TranslationOptions):
    fields = ["text"]
