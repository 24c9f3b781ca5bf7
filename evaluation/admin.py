"""Authoring, in three languages: knowledge tests (a test with its questions, a question with its options) and
questionnaires (with their sections, questions and choices)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .models import Choice, KnowledgeTest, Question, Questionnaire, Section, TestOption, TestQuestion


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


# Questionnaires: a questionnaire with its sections, a section with its questions, a question with its choices.
# Surveys, invitations and answers have no admin page: none may set an answer beside a person.


class SectionInline(TranslationTabularInline):
    model = Section
    fields = ["position", "title", "per_session", "asked_of"]
    show_change_link = True  # its questions are edited on the section's own page
    extra = 0


class QuestionnaireForm(forms.ModelForm):
    def clean(self):
        """A programme's events have one questionnaire of each kind: refuse a programme another one claims."""
        data = super().clean()
        others = Questionnaire.objects.filter(kind=data.get("kind")).exclude(pk=self.instance.pk)
        taken = [str(programme) for programme in data.get("programmes") or [] if others.filter(programmes=programme)]
        if taken:
            message = _("Already given another questionnaire of this kind: %(programmes)s.")
            self.add_error("programmes", message % {"programmes": ", ".join(taken)})
        return data


@admin.register(Questionnaire)
class QuestionnaireAdmin(TranslationAdmin):
    form = QuestionnaireForm
    list_display = ["title", "kind", "is_default", "updated_at"]
    list_filter = ["kind", "is_default"]
    search_fields = ["title_en", "title_ro", "title_ru"]
    filter_horizontal = ["programmes"]
    inlines = [SectionInline]


class QuestionInline(TranslationStackedInline):
    model = Question
    fields = ["position", "text", "kind", "required", "about", "low_label", "high_label"]
    show_change_link = True  # the choices of a question of choices are edited on its own page
    extra = 0


@admin.register(Section)
class SectionAdmin(TranslationAdmin):
    list_display = ["title", "questionnaire", "position", "per_session", "asked_of"]
    list_select_related = ["questionnaire"]
    inlines = [QuestionInline]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    fields = ["position", "text"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["text", "section", "kind", "required"]
    list_select_related = ["section"]
    inlines = [ChoiceInline]
