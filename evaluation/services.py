"""Surveys: opened once for an event, invitations and one reminder through the outbox, anonymous answers; a
follow-up some months later, which a participant's supervisor may answer too."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Attendance, Enrollment, Event
from lms.services import email_queue_templated

from .models import Answer, Invitation, Questionnaire, Respondent, Response, Survey

ATTENDED = [Attendance.Status.PRESENT, Attendance.Status.LATE]
# A participant's link and their supervisor's are signed apart: one cannot be turned into the other.
SALTS = {Respondent.PARTICIPANT: "evaluation.invitation", Respondent.SUPERVISOR: "evaluation.supervisor"}
Kind = Questionnaire.Kind
SUBJECTS = {
    # kind: (invitation, reminder)
    Kind.REACTION: (gettext_lazy("How was the training? %(event)s"),
                    gettext_lazy("Reminder: how was the training? %(event)s")),
    Kind.FOLLOW_UP: (gettext_lazy("Some months on: have you used what you learnt? %(event)s"),
                     gettext_lazy("Reminder: have you used what you learnt? %(event)s")),
}  # fmt: skip
SUPERVISOR_SUBJECT = gettext_lazy("Your view of %(name)s's work since a training")


@dataclass(frozen=True)
class Link:
    """What a questionnaire link names: an invitation, to be answered by the participant or their supervisor."""

    invitation: Invitation
    respondent: str = Respondent.PARTICIPANT

    @property
    def survey(self):
        return self.invitation.survey

    @property
    def answered(self):
        if self.respondent == Respondent.SUPERVISOR:
            return self.invitation.supervisor_answered
        return self.invitation.answered


def invitation_token(invitation, respondent=Respondent.PARTICIPANT):
    """The link's secret: signed with the site's key, so it cannot be guessed nor forged, and the same each time
    it is written (the reminder carries the invitation's own link)."""
    return signing.Signer(salt=SALTS[respondent]).sign_object(invitation.pk)


def link_for_token(token):
    """The invitation a link names, and who answers through it, or a clear refusal."""
    invitations = Invitation.objects.select_related("survey__event", "survey__questionnaire", "user")
    for respondent, salt in SALTS.items():
        try:
            pk = signing.Signer(salt=salt).unsign_object(token)
        except signing.BadSignature:
            continue
        invitation = invitations.filter(pk=pk).first()
        # A supervisor's link holds only while the participant's naming of them stands.
        if invitation and (respondent == Respondent.PARTICIPANT or invitation.supervisor_email):
            return Link(invitation, respondent)
    raise ValidationError(_("This link is not valid. Use the link from your email, as it was sent."))


def attendees(event):
    """Everyone confirmed who was there at least one day (late counts; no-shows are not asked)."""
    return (
        Enrollment.objects.filter(event=event, status=Enrollment.Status.CONFIRMED, attendance__status__in=ATTENDED)
        .select_related("user")
        .distinct()
    )


def _link(invitation, respondent=Respondent.PARTICIPANT):
    return settings.SITE_URL + reverse("evaluation:answer", args=[invitation_token(invitation, respondent)])


def _send(invitation, reminder=False):
    survey, user = invitation.survey, invitation.user
    with translation.override(user.preferred_language):
        subject = SUBJECTS[survey.kind][reminder] % {"event": survey.event.display_title}
    email_queue_templated(
        to=user.email,
        template="survey_invitation",
        language=user.preferred_language,
        subject=subject,
        context={"user": user, "survey": survey, "event": survey.event, "link": _link(invitation),
                 "closes_at": survey.closes_at},
    )  # fmt: skip


def _send_to_supervisor(invitation):
    """The supervisor reads the participant's language: they most often share it."""
    survey, person = invitation.survey, invitation.user
    with translation.override(person.preferred_language):
        subject = SUPERVISOR_SUBJECT % {"name": person.get_full_name()}
    email_queue_templated(
        to=invitation.supervisor_email,
        template="survey_supervisor",
        language=person.preferred_language,
        subject=subject,
        context={"person": person, "event": survey.event, "link": _link(invitation, Respondent.SUPERVISOR),
                 "closes_at": survey.closes_at},
    )  # fmt: skip


def questionnaire_for(event, kind):
    """The questionnaire of `kind` chosen for the event's programme, else the default one of that kind."""
    chosen = Questionnaire.objects.filter(kind=kind, programmes=event.programme_id).first()
    return chosen or Questionnaire.objects.filter(kind=kind, is_default=True).first()


def survey_open(*, event, kind=Kind.REACTION, now=None):
    """Open the event's survey of `kind` once, with the questionnaire chosen for it, and invite everyone who
    attended; None when there is no questionnaire of that kind. Opening again changes nothing."""
    now = now or timezone.now()
    questionnaire = questionnaire_for(event, kind)
    if questionnaire is None:
        return None
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(
            event=event, kind=kind,
            defaults={"questionnaire": questionnaire, "opened_at": now,
                      "remind_at": now + timedelta(days=settings.EVALUATION_REMINDER_DAYS),
                      "closes_at": now + timedelta(days=settings.EVALUATION_CLOSE_DAYS),
                      "min_answers": settings.EVALUATION_MIN_ANSWERS},
        )  # fmt: skip
        if not created:
            return survey
        for enrollment in attendees(event):
            invitation = Invitation.objects.create(survey=survey, user=enrollment.user)
            _send(invitation)
    return survey


def surveys_remind(*, now=None):
    """One reminder to each invited participant who has not answered, once the survey's reminder is due (a
    supervisor, asked later by the participant, is not reminded)."""
    now = now or timezone.now()
    due = Invitation.objects.filter(
        answered=False, reminded=False, survey__remind_at__lte=now, survey__closes_at__gt=now
    ).select_related("survey__event", "user")
    count = 0
    for invitation in due:
        with transaction.atomic():
            if Invitation.objects.filter(pk=invitation.pk, reminded=False).update(reminded=True):
                _send(invitation, reminder=True)
                count += 1
    return count


def _refusal(link, now):
    """Why this link cannot be answered now, or None."""
    survey = link.survey
    if link.respondent == Respondent.SUPERVISOR and not link.invitation.supervisor_email:
        return _("This link is not valid. Use the link from your email, as it was sent.")
    if link.answered:
        return _("You have already answered this questionnaire. Thank you!")
    if now >= survey.closes_at:
        return _("This questionnaire closed on %(day)s.") % {
            "day": date_format(timezone.localtime(survey.closes_at), "DATE_FORMAT")
        }
    attended = Attendance.objects.filter(
        enrollment__event=survey.event_id, enrollment__user=link.invitation.user_id, status__in=ATTENDED
    )
    if not attended.exists():
        return _("This questionnaire is for those who attended the training.")
    return None


def link_check(*, link, now=None):
    """Refuse, with a clear message, a link that cannot be answered now."""
    if message := _refusal(link, now or timezone.now()):
        raise ValidationError(message)


def _supervisor_named(invitation, email):
    """The supervisor's address, checked: a follow-up's participant names someone other than themselves."""
    email = email.strip()
    if not email:
        return ""
    if invitation.survey.kind != Kind.FOLLOW_UP:
        raise ValidationError({"supervisor_email": _("Only a follow-up questionnaire is sent to a supervisor.")})
    if email.casefold() == invitation.user.email.casefold():
        raise ValidationError({"supervisor_email": _("Give your supervisor's address, not your own.")})
    return email


def response_submit(*, link, answers, supervisor_email="", now=None):
    """Store `answers` ([(question, session, facilitator, rating, choices, text)]) without the person, and mark
    the link answered, in one transaction: a second answer, a closed survey or someone who was not there is
    refused and nothing is saved. A follow-up's participant may name their supervisor, who is then sent a copy."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("survey", "user").get(pk=link.invitation.pk)
        link = Link(invitation, link.respondent)
        link_check(link=link, now=now)
        if link.respondent == Respondent.SUPERVISOR:
            invitation.supervisor_answered = True
        else:
            invitation.answered = True
            invitation.supervisor_email = _supervisor_named(invitation, supervisor_email)
        invitation.save(update_fields=["answered", "supervisor_answered", "supervisor_email"])
        response = Response.objects.create(
            survey=invitation.survey, respondent=link.respondent, submitted_on=timezone.localdate(now)
        )
        for question, session, facilitator, rating, choices, text in answers:
            answer = Answer.objects.create(response=response, question=question, session=session,
                                           facilitator=facilitator, rating=rating, text=text)  # fmt: skip
            if choices:
                answer.choices.set(choices)
        if link.respondent == Respondent.PARTICIPANT and invitation.supervisor_email:
            _send_to_supervisor(invitation)
    return response


def months_before(day, months):
    """The same day `months` earlier, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def surveys_open_due(*, now=None):
    """Open the reaction survey of every event whose last day has ended lately and that has none yet (closing an
    event opens it at once: whichever comes first), and the follow-up of every event whose last day was
    EVALUATION_FOLLOW_UP_MONTHS ago. Events further back than a survey stays open are left alone: the first run
    after an upgrade must not ask about trainings of years past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    window = timedelta(days=settings.EVALUATION_CLOSE_DAYS)
    held = Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED])
    ended = held.filter(end_date__lt=today, end_date__gte=today - window).exclude(surveys__kind=Kind.REACTION)
    opened = [survey for event in ended if event.last_day_ended and (survey := survey_open(event=event, now=now))]
    months_ago = months_before(today, settings.EVALUATION_FOLLOW_UP_MONTHS)
    followed = held.filter(end_date__lte=months_ago, end_date__gte=months_ago - window).exclude(
        surveys__kind=Kind.FOLLOW_UP
    )
    opened += [survey for event in followed if (survey := survey_open(event=event, kind=Kind.FOLLOW_UP, now=now))]
    return opened
