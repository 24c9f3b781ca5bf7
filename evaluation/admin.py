"""Authoring knowledge tests: a test with its questions, a question with its options, in three languages."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import KnowledgeTest, TestOption, TestQuestion


class QuestionInline(TranslationTabularInline):
    model = TestQuestion
    fields = ["position", "text"]
    show_change_link = True  # its options are edited on the question's own page
    extra = 0


@admin.register(KnowledgeTest)
class KnowledgeTestAdmin(TranslationAdmin):
    list_display = ["title", "course"]
    list_select_related = ["course"]
    search_fields = ["title_en", "title_ro", "title_ru"]
    autocomplete_fields = ["course"]
    inlines = [QuestionInline]


class OptionFormSet(BaseInlineFormSet):
    """A question is scored against exactly one correct option."""

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if sum(bool(form.cleaned_data.get("correct")) for form in kept) != 1:
            raise ValidationError(_("Mark exactly one option as correct."))


class OptionInline(TranslationTabularInline):
    model = TestOption
    formset = OptionFormSet
    fields = ["position", "text", "correct"]
    extra = 0


@admin.register(TestQuestion)
class TestQuestionAdmin(TranslationAdmin):
    list_display = ["text", "test", "position"]
    list_select_related = ["test"]
    list_filter = ["test"]
    inlines = [OptionInline]
