"""The answer form of a survey, built from its questionnaire and the event's agenda."""

from dataclasses import dataclass

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from courses.models import AgendaItem

from .models import Question, Questionnaire, Respondent, Section, TrainerReport

TEXT_LIMIT = 3000  # characters of free text


@dataclass(frozen=True)
class Item:
    """One question as asked: about the event, or about a session (and one of its facilitators)."""

    key: str
    question: Question
    session: AgendaItem | None = None
    facilitator: object = None


def survey_items(survey, respondent=Respondent.PARTICIPANT):
    """[(heading, [Item])] asked of `respondent`, in the questionnaire's order; a section asked about each session
    is repeated for each session of the agenda (breaks aside), and its facilitator questions for each of the
    session's facilitators."""
    sessions = list(survey.event.agenda_items.exclude(kind=AgendaItem.Kind.BREAK).prefetch_related("facilitators"))
    sections = survey.questionnaire.sections.filter(asked_of__in=[Section.AskedOf.EVERYONE, respondent])
    groups = []
    for section in sections.prefetch_related("questions__choices"):
        questions = list(section.questions.all())
        if not section.per_session:
            groups.append((section.title, [Item(f"q{q.pk}", q) for q in questions]))
            continue
        for session in sessions:
            items = []
            for question in questions:
                if question.about == Question.About.FACILITATOR:
                    items += [Item(f"q{question.pk}-s{session.pk}-f{person.pk}", question, session, person)
                              for person in session.facilitators.all()]  # fmt: skip
                else:
                    items.append(Item(f"q{question.pk}-s{session.pk}", question, session))
            if items:
                groups.append((f"{section.title}: {session.title}", items))
    return groups


def _field(item):
    question = item.question
    label = question.text if item.facilitator is None else f"{question.text}: {item.facilitator}"
    if question.kind == Question.Kind.SCALE:
        ends = {1: question.low_label, 5: question.high_label}
        choices = [(str(n), f"{n} – {ends[n]}" if ends.get(n) else str(n)) for n in range(1, 6)]
        return forms.TypedChoiceField(label=label, choices=choices, coerce=int, widget=forms.RadioSelect,
                                      required=question.required)  # fmt: skip
    if question.kind == Question.Kind.SINGLE:
        return forms.ModelChoiceField(label=label, queryset=question.choices.all(), widget=forms.RadioSelect,
                                      required=question.required, empty_label=None)  # fmt: skip
    if question.kind == Question.Kind.MULTIPLE:
        return forms.ModelMultipleChoiceField(
            label=label, queryset=question.choices.all(), widget=forms.CheckboxSelectMultiple,
            required=question.required,
        )  # fmt: skip
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT,
                           required=question.required)  # fmt: skip


class AnswerForm(forms.Form):
    """The questions of `link`'s survey asked of its respondent; a follow-up's participant may also name their
    supervisor, to be sent a copy."""

    def __init__(self, link, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = survey_items(link.survey, link.respondent)
        for _heading, items in self.groups:
            for item in items:
                self.fields[item.key] = _field(item)
        for field in self.fields.values():
            field.error_messages["required"] = _("Please answer this question.")
        if link.survey.kind == Questionnaire.Kind.FOLLOW_UP and link.respondent == Respondent.PARTICIPANT:
            self.fields["supervisor_email"] = forms.EmailField(
                label=_("Your supervisor's email address"), required=False,
                help_text=_("Optional. We send them a short copy of these questions about your work; they answer "
                            "anonymously, and you do not see their answers."),
            )  # fmt: skip

    def sections(self):
        """[(heading, [bound field])], for the template."""
        return [(heading, [self[item.key] for item in items]) for heading, items in self.groups]

    def answers(self):
        """[(question, session, facilitator, rating, choices, text)] of the questions answered."""
        found = []
        for _heading, items in self.groups:
            for item in items:
                value = self.cleaned_data.get(item.key)
                if value is None or value == "" or (item.question.kind == Question.Kind.MULTIPLE and not value):
                    continue
                rating, choices, text = None, [], ""
                if item.question.kind == Question.Kind.SCALE:
                    rating = value
                elif item.question.kind == Question.Kind.SINGLE:
                    choices = [value]
                elif item.question.kind == Question.Kind.MULTIPLE:
                    choices = list(value)
                else:
                    text = value
                found.append((item.question, item.session, item.facilitator, rating, choices, text))
        return found


class TrainerReportForm(forms.ModelForm):
    class Meta:
        model = TrainerReport
        fields = ["went_well", "problems", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_LIMIT}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators.append(MaxLengthValidator(TEXT_LIMIT))
