"""The default reaction questionnaire, in three languages: what most justice-training institutes ask at the end
of an activity (EJTN's and CEPOL's level 1), with a block rating each session and its facilitators."""

from django.db import transaction

from courses.demo import translated
from courses.models import Event

from .models import Question, Questionnaire, Section
from .services import survey_open

SCALE_ENDS = (("Not at all", "Deloc", "Совсем нет"), ("Fully", "Pe deplin", "Полностью"))
QUALITY_ENDS = (("Very poor", "Foarte slab", "Очень плохо"), ("Excellent", "Excelent", "Отлично"))
# (section title, per session, [(question, kind, required, about, ends)])
REACTION = [
    (("The training", "Instruirea", "Обучение"), False, [
        (("The training was relevant to my work.", "Instruirea a fost relevantă pentru activitatea mea.",
          "Обучение было актуально для моей работы."), Question.Kind.SCALE, True, Question.About.SESSION, SCALE_ENDS),
        (("The content was clear and useful.", "Conținutul a fost clar și util.", "Содержание было понятным и полезным."),
         Question.Kind.SCALE, True, Question.About.SESSION, SCALE_ENDS),
        (("The methods helped me learn (discussions, cases, exercises).",
          "Metodele m-au ajutat să învăț (discuții, studii de caz, exerciții).",
          "Методы помогли мне учиться (обсуждения, кейсы, упражнения)."),
         Question.Kind.SCALE, True, Question.About.SESSION, SCALE_ENDS),
        (("The organisation", "Organizarea", "Организация"), Question.Kind.SCALE, True, Question.About.SESSION,
         QUALITY_ENDS),
        (("The venue or the online platform", "Locul desfășurării sau platforma online",
          "Место проведения или онлайн-платформа"), Question.Kind.SCALE, True, Question.About.SESSION, QUALITY_ENDS),
        (("Overall, the training was", "În ansamblu, instruirea a fost", "В целом обучение было"),
         Question.Kind.SCALE, True, Question.About.SESSION, QUALITY_ENDS),
    ]),
    (("Each session", "Fiecare sesiune", "Каждая сессия"), True, [
        (("The session was useful", "Sesiunea a fost utilă", "Сессия была полезной"), Question.Kind.SCALE, False,
         Question.About.SESSION, SCALE_ENDS),
        (("The facilitator", "Facilitatorul", "Ведущий"), Question.Kind.SCALE, False, Question.About.FACILITATOR,
         QUALITY_ENDS),
    ]),
    (("Your suggestions", "Sugestiile dumneavoastră", "Ваши предложения"), False, [
        (("What should be improved?", "Ce ar trebui îmbunătățit?", "Что следует улучшить?"), Question.Kind.TEXT, False,
         Question.About.SESSION, None),
    ]),
]  # fmt: skip


def seed():
    """The default reaction questionnaire, and the closed demo events' questionnaires opened with it."""
    seed_reaction_questionnaire()
    for event in Event.objects.filter(status=Event.Status.COMPLETED):
        survey_open(event=event)


@transaction.atomic
def seed_reaction_questionnaire():
    """Once: a questionnaire an administrator has since made the default stays so."""
    if Questionnaire.objects.filter(kind=Questionnaire.Kind.REACTION, is_default=True).exists():
        return None
    questionnaire = Questionnaire.objects.create(
        kind=Questionnaire.Kind.REACTION, is_default=True,
        **translated("title", ("End-of-activity questionnaire", "Chestionar de evaluare a activității",
                               "Анкета по итогам мероприятия")),
    )  # fmt: skip
    for position, (titles, per_session, questions) in enumerate(REACTION, start=1):
        section = Section.objects.create(questionnaire=questionnaire, position=position, per_session=per_session,
                                         **translated("title", titles))  # fmt: skip
        for number, (texts, kind, required, about, ends) in enumerate(questions, start=1):
            labels = {**translated("low_label", ends[0]), **translated("high_label", ends[1])} if ends else {}
            Question.objects.create(section=section, position=number, kind=kind, required=required, about=about,
                                    **translated("text", texts), **labels)  # fmt: skip
    return questionnaire
