"""Questionnaires, and the surveys that put them to an event's participants.

Answers are anonymous by design: a Response holds no person and no time finer than the day; who has answered
is kept apart, on the Invitation, only to refuse a second answer and to remind those who have not.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import AgendaItem, Course, Enrollment, Event, Facilitator, Programme

SCALE = range(1, 6)  # the 1-5 scale


class Questionnaire(models.Model):
    """A reusable template: sections of questions, in English, Romanian and Russian."""

    class Kind(models.TextChoices):
        REACTION = "reaction", _("Reaction, at the end of an activity")
        FOLLOW_UP = "follow_up", _("Follow-up, months later")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REACTION)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for every event of its kind that has no other chosen.")
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("programmes"), blank=True, related_name="+",
        help_text=_("Used for the events of these programmes instead of the default of its kind."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=models.Q(is_default=True), name="one_default_per_kind")
        ]

    def __str__(self):
        return self.title


class Respondent(models.TextChoices):
    PARTICIPANT = "participant", _("Participants")
    SUPERVISOR = "supervisor", _("Supervisors")


class Section(models.Model):
    """A group of questions. One about each session repeats its questions for every agenda session (and asks
    about each of the session's facilitators), generated from the event's agenda. A follow-up's sections may be
    asked of participants only, or of their supervisors only."""

    class AskedOf(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        PARTICIPANTS = "participant", _("Participants only")
        SUPERVISORS = "supervisor", _("Supervisors only")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    per_session = models.BooleanField(_("asked about each session"), default=False)
    asked_of = models.CharField(_("asked of"), max_length=12, choices=AskedOf.choices, default=AskedOf.EVERYONE)

    class Meta:
        ordering = ["position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "position"], name="section_position")]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale from 1 to 5")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Free text")

    class About(models.TextChoices):
        """In a section asked about each session: the session itself, or each of its facilitators."""

        SESSION = "session", _("The session")
        FACILITATOR = "facilitator", _("Each facilitator of the session")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    about = models.CharField(_("about"), max_length=12, choices=About.choices, default=About.SESSION)
    low_label = models.CharField(_("label of 1"), max_length=80, blank=True)
    high_label = models.CharField(_("label of 5"), max_length=80, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["section", "position"], name="question_position")]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("choice"), max_length=200)

    class Meta:
        ordering = ["position"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Survey(models.Model):
    """A questionnaire put to an event's participants, open for a while."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="surveys")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Questionnaire.Kind.choices)
    opened_at = models.DateTimeField(_("opened at"))
    remind_at = models.DateTimeField(_("reminder due at"))
    closes_at = models.DateTimeField(_("closes at"))
    min_answers = models.PositiveSmallIntegerField(
        _("answers before results show"), default=5, validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_("Fewer answers could tell who said what: results stay hidden below this number (3 at least)."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_survey_per_event_and_kind"),
            models.CheckConstraint(condition=models.Q(min_answers__gte=3), name="survey_min_answers_at_least_3"),
        ]

    def __str__(self):
        return f"{self.event} – {self.get_kind_display()}"


class Invitation(models.Model):
    """Who may answer a survey, by a link of their own (signed with the site's key: evaluation.services). It
    records that they answered, never what. In a follow-up, the participant may name their supervisor, who
    answers a copy through a link of theirs; kept here, on a row made when the survey opened, so that no new row
    made as someone answers could be lined up with their answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answered = models.BooleanField(_("answered"), default=False)
    reminded = models.BooleanField(_("reminded"), default=False)
    supervisor_email = models.EmailField(_("supervisor's email"), blank=True)
    supervisor_answered = models.BooleanField(_("supervisor answered"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_invitation_per_person")]

    def __str__(self):
        return str(_("Invitation %(number)d") % {"number": self.pk})


class Response(models.Model):
    """One person's answers, without the person; the day only, so that no time links it to an invitation."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(
        _("answered by"), max_length=12, choices=Respondent.choices, default=Respondent.PARTICIPANT
    )
    submitted_on = models.DateField(_("day"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(_("Response %(number)d") % {"number": self.pk})


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Asked about a session (and one of its facilitators): which.
    session = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    facilitator = models.ForeignKey(Facilitator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return str(self.question)


class TrainerReport(models.Model):
    """A trainer's end-of-activity report; with the questionnaires' results it makes the event's evaluation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="trainer_reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.CASCADE, related_name="+"
    )
    went_well = models.TextField(_("What went well"), blank=True)
    problems = models.TextField(_("Problems"), blank=True)
    recommendations = models.TextField(_("Recommendations"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("trainer's report")
        verbose_name_plural = _("trainers' reports")
        constraints = [models.UniqueConstraint(fields=["event", "author"], name="one_report_per_trainer")]

    def __str__(self):
        return f"{self.event} – {self.author}"


class KnowledgeTest(models.Model):
    """A course's knowledge test (level 2): the same questions before and after, scored automatically. Not
    anonymous, by design: each person sees their own scores, and the organisers the gain of the group."""

    course = models.OneToOneField(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="knowledge_test"
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")

    def __str__(self):
        return self.title


class TestQuestion(models.Model):
    test = models.ForeignKey(KnowledgeTest, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        constraints = [models.UniqueConstraint(fields=["test", "position"], name="test_question_position")]

    def __str__(self):
        return self.text


class TestOption(models.Model):
    """One possible answer; exactly one of a question's options is correct (checked where options are written,
    in the admin, and again before an attempt is scored)."""

    question = models.ForeignKey(TestQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("option"), max_length=300)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text


class TestAttempt(models.Model):
    """A participant's one try at a phase of the test, with its score: the share of questions answered right."""

    class Phase(models.TextChoices):
        PRE = "pre", _("Before the training")
        POST = "post", _("After the training")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="test_attempts")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    score = models.DecimalField(_("score (%)"), max_digits=4, decimal_places=1)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["enrollment", "phase"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [models.UniqueConstraint(fields=["enrollment", "phase"], name="one_attempt_per_phase")]

    def __str__(self):
        return f"{self.enrollment} – {self.get_phase_display()}: {self.score}%"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(TestAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TestQuestion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(TestOption, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")]

    def __str__(self):
        return str(self.option)
