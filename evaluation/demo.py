"""The default questionnaires, in three languages: what most justice-training institutes ask at the end of an
activity (EJTN's and CEPOL's level 1), with a block rating each session and its facilitators, and months later
(level 3), of participants and their supervisors; the 2018 training's knowledge test; a closed event's answers
and trainer's report, so that every report shows something at once."""

from datetime import date, datetime, time, timedelta

from django.db import transaction

from courses.demo import CHISINAU_COURSE, translated
from courses.models import Attendance, Enrollment, Event

from .knowledge import attempt_score
from .models import (
    AttemptAnswer,
    Choice,
    KnowledgeTest,
    Question,
    Questionnaire,
    Respondent,
    Section,
    TestAttempt,
    TestOption,
    TestQuestion,
    TrainerReport,
)
from .services import Link, response_submit, survey_open

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


APPLIED = (("Have you applied what you learnt in your work?", "Ați aplicat în activitatea dumneavoastră ceea ce "
            "ați învățat?", "Применяете ли вы в работе то, чему научились?"), Question.Kind.SINGLE, True, [
    ("Yes, often", "Da, des", "Да, часто"), ("Sometimes", "Uneori", "Иногда"),
    ("Not yet", "Încă nu", "Пока нет"), ("No", "Nu", "Нет")])  # fmt: skip
# (section title, asked of, [(question, kind, required, ends or choices)])
FOLLOW_UP = [
    (("Since the training", "De la instruire încoace", "После обучения"), Section.AskedOf.PARTICIPANTS, [
        APPLIED,
        (("How useful has the training proven for your work?", "Cât de utilă s-a dovedit instruirea pentru "
          "activitatea dumneavoastră?", "Насколько полезным оказалось обучение для вашей работы?"),
         Question.Kind.SCALE, True, SCALE_ENDS),
        (("What has kept you from applying it?", "Ce v-a împiedicat să aplicați cele învățate?",
          "Что мешало вам применять полученные знания?"), Question.Kind.MULTIPLE, False, [
            ("No case or occasion yet", "Niciun caz sau nicio ocazie încă", "Пока не было случая"),
            ("Lack of resources", "Lipsa resurselor", "Нехватка ресурсов"),
            ("Lack of support from management", "Lipsa sprijinului din partea conducerii",
             "Отсутствие поддержки руководства"),
            ("Laws or procedures", "Legislația sau procedurile", "Законодательство или процедуры")]),
        (("Give an example of how you applied it.", "Dați un exemplu de aplicare.", "Приведите пример применения."),
         Question.Kind.TEXT, False, None),
    ]),
    (("The participant's work", "Activitatea participantului", "Работа участника"), Section.AskedOf.SUPERVISORS, [
        (("Since the training, has the participant applied what they learnt?", "De la instruire, participantul a "
          "aplicat ceea ce a învățat?", "Применяет ли участник после обучения то, чему научился?"),
         Question.Kind.SINGLE, True, APPLIED[3]),
        (("How much has their work improved in this field?", "Cât s-a îmbunătățit activitatea sa în acest domeniu?",
          "Насколько улучшилась его работа в этой области?"), Question.Kind.SCALE, True, SCALE_ENDS),
        (("Give an example, if you can.", "Dați un exemplu, dacă puteți.", "Приведите пример, если можете."),
         Question.Kind.TEXT, False, None),
    ]),
]  # fmt: skip
FOLLOW_UP_TEXTS = ["Am aplicat lista de indicatori la două dosare.", "", "Использую чек-лист при опросе жертв.",
                   "", "Am colaborat cu asistentul social, cum s-a recomandat."]  # fmt: skip
SUPERVISOR_TEXTS = ["Identifică mai repede victimele.", "", "Заметно лучше оформляет материалы дела.", "", ""]
TRAINER_REPORT = {
    "went_well": "Discuțiile pe studii de caz au fost vii; participanții din poliție și procuratură au lucrat bine "
    "împreună.",
    "problems": "Interpretarea în limba rusă a întârziat în prima dimineață.",
    "recommendations": "Un modul de follow-up despre copiii victime; materialele trimise cu o săptămână înainte.",
}


def seed():
    """The default questionnaires, and the closed demo events' questionnaires opened with them and answered; the
    2018 training's follow-up too, with supervisors' answers, and its trainer's report."""
    seed_reaction_questionnaire()
    seed_follow_up_questionnaire()
    knowledge = seed_chisinau_knowledge_test()
    for event in Event.objects.filter(status=Event.Status.COMPLETED):
        if survey := survey_open(event=event):
            seed_answers(survey)
    if knowledge is not None:
        event = Event.objects.get(course=knowledge.course, start_date=date(2018, 6, 4))
        seed_follow_up(event)
        seed_trainer_report(event)


# What the demo's respondents say: a rating of the training and one of each facilitator, and a suggestion.
DEMO_ANSWERS = [
    (5, 5, "Mai multe studii de caz din instanțele din Moldova."),
    (4, 5, ""),
    (5, 4, "Больше времени на практические упражнения."),
    (4, 4, "Materialele să fie trimise înainte de instruire."),
    (3, 4, ""),
    (5, 5, "Un al doilea modul despre protecția copiilor."),
    (4, 3, ""),
]


def seed_answers(survey):
    """Once: most of those invited answer, so the event's report and the scorecards show something at once."""
    if survey.responses.exists():
        return
    for invitation, (overall, facilitator, text) in zip(survey.invitations.order_by("pk"), DEMO_ANSWERS, strict=False):
        response_submit(link=Link(invitation), answers=every_answer(survey, overall, facilitator, text))


def seed_follow_up(event):
    """Once: the follow-up opened at the time it was due; five participants answer and name their supervisors,
    who answer too."""
    survey = survey_open(event=event, kind=Questionnaire.Kind.FOLLOW_UP)
    if survey is None or survey.responses.exists():
        return
    invitations = survey.invitations.select_related("user").order_by("pk")
    for number, (invitation, text) in enumerate(zip(invitations, FOLLOW_UP_TEXTS, strict=False)):
        answers = every_answer(survey, 5 - number % 3, None, text, choice=number % 2)
        supervisor = f"supervisor.{invitation.user.email}"
        response_submit(link=Link(invitation), answers=answers, supervisor_email=supervisor)
        supervisor_answers = every_answer(survey, 4 + number % 2, None, SUPERVISOR_TEXTS[number],
                                          respondent=Respondent.SUPERVISOR)  # fmt: skip
        response_submit(link=Link(invitation, Respondent.SUPERVISOR), answers=supervisor_answers)


def seed_trainer_report(event):
    trainer = event.trainers.first()
    if trainer is not None:
        TrainerReport.objects.get_or_create(event=event, author=trainer, defaults=TRAINER_REPORT)


def every_answer(survey, overall, facilitator, text="", respondent=Respondent.PARTICIPANT, choice=0):
    """Answers to every question of `survey` asked of `respondent`, as response_submit takes them: `overall` on
    each scale about the training and its sessions, `facilitator` for each session's facilitators, the `choice`th
    choice of each question of choices, `text` to the free-text ones."""
    questions = Question.objects.filter(
        section__questionnaire=survey.questionnaire, section__asked_of__in=[Section.AskedOf.EVERYONE, respondent]
    ).select_related("section")
    sessions = list(survey.event.agenda_items.exclude(kind="break").prefetch_related("facilitators"))
    answers = []
    for question in questions:
        if question.kind == Question.Kind.TEXT:
            answers += [(question, None, None, None, [], text)] if text else []
        elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            answers.append((question, None, None, None, [question.choices.all()[choice]], ""))
        elif not question.section.per_session:
            answers.append((question, None, None, overall, [], ""))
        elif question.about == Question.About.FACILITATOR:
            answers += [(question, session, person, facilitator, [], "")
                        for session in sessions for person in session.facilitators.all()]  # fmt: skip
        else:
            answers += [(question, session, None, overall, [], "") for session in sessions]
    return answers


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


@transaction.atomic
def seed_follow_up_questionnaire():
    """Once, as the reaction questionnaire: a default an administrator has chosen stays."""
    if Questionnaire.objects.filter(kind=Questionnaire.Kind.FOLLOW_UP, is_default=True).exists():
        return None
    questionnaire = Questionnaire.objects.create(
        kind=Questionnaire.Kind.FOLLOW_UP, is_default=True,
        **translated("title", ("Follow-up: applying what was learnt", "Evaluare ulterioară: aplicarea celor "
                               "învățate", "Последующая оценка: применение полученных знаний")),
    )  # fmt: skip
    for position, (titles, asked_of, questions) in enumerate(FOLLOW_UP, start=1):
        section = Section.objects.create(questionnaire=questionnaire, position=position, asked_of=asked_of,
                                         **translated("title", titles))  # fmt: skip
        for number, (texts, kind, required, extra) in enumerate(questions, start=1):
            ends = extra if kind == Question.Kind.SCALE else None
            labels = {**translated("low_label", ends[0]), **translated("high_label", ends[1])} if ends else {}
            question = Question.objects.create(section=section, position=number, kind=kind, required=required,
                                               **translated("text", texts), **labels)  # fmt: skip
            if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                for place, choice in enumerate(extra, start=1):
                    Choice.objects.create(question=question, position=place, **translated("text", choice))
    return questionnaire


KNOWLEDGE_TITLE = (
    "Knowledge test: combating trafficking in human beings",
    "Test de cunoștințe: combaterea traficului de ființe umane",
    "Тест знаний: противодействие торговле людьми",
)
# (question, [(option, correct)]), in English, Romanian and Russian.
KNOWLEDGE = [
    (("Which three elements make up the crime of trafficking in human beings under the Palermo Protocol?",
      "Care sunt cele trei elemente ale infracțiunii de trafic de ființe umane, potrivit Protocolului de la Palermo?",
      "Какие три элемента образуют состав торговли людьми согласно Палермскому протоколу?"), [
        (("The act, the means and the purpose of exploitation", "Acțiunea, mijloacele și scopul exploatării",
          "Действие, средства и цель эксплуатации"), True),
        (("Crossing a border, payment and forced labour", "Trecerea frontierei, plata și munca forțată",
          "Пересечение границы, оплата и принудительный труд"), False),
        (("Recruitment, transport and a false passport", "Recrutarea, transportul și un pașaport fals",
          "Вербовка, перевозка и поддельный паспорт"), False),
    ]),
    (("An adult victim agreed to the work, but the trafficker used deception. Does the consent matter?",
      "O victimă adultă a fost de acord cu munca, dar traficantul a folosit înșelăciunea. Contează consimțământul?",
      "Взрослая жертва согласилась на работу, но торговец людьми использовал обман. Имеет ли значение согласие?"), [
        (("Yes: consent excludes criminal liability", "Da: consimțământul exclude răspunderea penală",
          "Да: согласие исключает уголовную ответственность"), False),
        (("No: consent is irrelevant once any of the means was used",
          "Nu: consimțământul nu contează dacă a fost folosit oricare dintre mijloace",
          "Нет: согласие не имеет значения, если было использовано любое из средств"), True),
        (("Only if the victim signed a contract", "Doar dacă victima a semnat un contract",
          "Только если жертва подписала договор"), False),
    ]),
    (("When the victim is a child (under 18), which elements must be proven?",
      "Când victima este un copil (sub 18 ani), ce elemente trebuie dovedite?",
      "Если жертва — ребёнок (младше 18 лет), какие элементы необходимо доказать?"), [
        (("The act, the means and the purpose of exploitation", "Acțiunea, mijloacele și scopul exploatării",
          "Действие, средства и цель эксплуатации"), False),
        (("The act and the purpose of exploitation; the means need not be proven",
          "Acțiunea și scopul exploatării; mijloacele nu trebuie dovedite",
          "Действие и цель эксплуатации; средства доказывать не нужно"), True),
        (("Only that the child was taken across a border", "Doar faptul că copilul a fost dus peste frontieră",
          "Только то, что ребёнка перевезли через границу"), False),
        (("That the child did not consent", "Faptul că copilul nu și-a dat consimțământul",
          "То, что ребёнок не давал согласия"), False),
    ]),
    (("Under the Council of Europe Convention on Action against Trafficking in Human Beings, how long is the "
      "recovery and reflection period given to a presumed victim, at least?",
      "Potrivit Convenției Consiliului Europei privind lupta împotriva traficului de ființe umane, cât durează cel "
      "puțin perioada de recuperare și reflecție acordată unei presupuse victime?",
      "Какова, согласно Конвенции Совета Европы о противодействии торговле людьми, минимальная продолжительность "
      "периода восстановления и размышления для предполагаемой жертвы?"), [
        (("7 days", "7 zile", "7 дней"), False),
        (("30 days", "30 de zile", "30 дней"), True),
        (("90 days", "90 de zile", "90 дней"), False),
        (("6 months", "6 luni", "6 месяцев"), False),
    ]),
    (("What does the non-punishment principle provide?", "Ce prevede principiul nepedepsirii victimelor?",
      "Что предусматривает принцип ненаказуемости жертв?"), [
        (("Victims may be spared penalties for unlawful acts they were compelled to commit as a result of being "
          "trafficked",
          "Victimele pot fi scutite de pedeapsă pentru faptele ilegale pe care au fost constrânse să le comită ca "
          "urmare a traficului",
          "Жертвы могут быть освобождены от наказания за противоправные действия, которые их вынудили совершить "
          "в результате торговли людьми"), True),
        (("Victims are immune from prosecution for any offence",
          "Victimele nu pot fi urmărite penal pentru nicio infracțiune",
          "Жертвы не подлежат уголовному преследованию ни за какие преступления"), False),
        (("Victims are protected only once they testify against the traffickers",
          "Victimele sunt protejate doar după ce depun mărturie împotriva traficanților",
          "Жертвы получают защиту, только если дадут показания против торговцев людьми"), False),
    ]),
]  # fmt: skip
# Questions each participant (in enrollment order) got right before and after; the pre-test lower.
RIGHT_BEFORE = [2, 1, 3, 2, 1, 2, 3, 2, 1, 2, 2, 3, 1, 2]
RIGHT_AFTER = [4, 4, 5, 3, 4, 5, 4, 4, 3, 4, 5, 4, 4, 4]
ATTENDED = [Attendance.Status.PRESENT, Attendance.Status.LATE]


def seed_chisinau_knowledge_test():
    """The 2018 training's knowledge test, taken before by every confirmed participant and after by those there
    on the last day, so that the gain shows at once."""
    event = Event.objects.filter(course__slug=CHISINAU_COURSE["slug"], start_date=date(2018, 6, 4)).first()
    if event is None:
        return None
    test = seed_knowledge_test(event.course)
    questions = list(test.questions.prefetch_related("options"))
    enrollments = event.enrollments.filter(status=Enrollment.Status.CONFIRMED).order_by("pk")
    there_last_day = set(
        Attendance.objects.filter(enrollment__event=event, date=event.end_date, status__in=ATTENDED).values_list(
            "enrollment_id", flat=True
        )
    )
    before = datetime.combine(event.start_date - timedelta(days=2), time(10), tzinfo=event.tz)
    after = datetime.combine(event.end_date, time(16, 30), tzinfo=event.tz)
    for number, enrollment in enumerate(enrollments):
        seed_attempt(enrollment, TestAttempt.Phase.PRE, questions, RIGHT_BEFORE[number % len(RIGHT_BEFORE)], before)
        if enrollment.pk in there_last_day:
            seed_attempt(enrollment, TestAttempt.Phase.POST, questions, RIGHT_AFTER[number % len(RIGHT_AFTER)], after)
    return test


@transaction.atomic
def seed_knowledge_test(course):
    """Once: a test an administrator has since edited stays as they left it."""
    test, created = KnowledgeTest.objects.get_or_create(course=course, defaults=translated("title", KNOWLEDGE_TITLE))
    if not created:
        return test
    for position, (texts, options) in enumerate(KNOWLEDGE, start=1):
        question = TestQuestion.objects.create(test=test, position=position, **translated("text", texts))
        for number, (option, correct) in enumerate(options, start=1):
            TestOption.objects.create(question=question, position=number, correct=correct,
                                      **translated("text", option))  # fmt: skip
    return test


@transaction.atomic
def seed_attempt(enrollment, phase, questions, right, submitted_at):
    """An attempt with the first `right` questions (turning with the enrollment) answered right, the rest wrong."""
    if TestAttempt.objects.filter(enrollment=enrollment, phase=phase).exists():
        return
    chosen = {}
    for index, question in enumerate(questions):
        options = list(question.options.all())
        is_right = (index - enrollment.pk) % len(questions) < right
        chosen[question] = next(o for o in options if o.correct == is_right)
    attempt = TestAttempt.objects.create(enrollment=enrollment, phase=phase, score=attempt_score(chosen),
                                         submitted_at=submitted_at)  # fmt: skip
    AttemptAnswer.objects.bulk_create(AttemptAnswer(attempt=attempt, question=q, option=o) for q, o in chosen.items())
