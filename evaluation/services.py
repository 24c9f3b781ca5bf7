"""Surveys: opened once for an event, invitations and one reminder through the outbox, anonymous answers."""

from datetime import timedelta

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

from .models import Answer, Invitation, Questionnaire, Response, Survey

ATTENDED = [Attendance.Status.PRESENT, Attendance.Status.LATE]
SALT = "evaluation.invitation"
INVITATION_SUBJECT = gettext_lazy("How was the training? %(event)s")
REMINDER_SUBJECT = gettext_lazy("Reminder: how was the training? %(event)s")


def invitation_token(invitation):
    """The link's secret: signed with the site's key, so it cannot be guessed nor forged, and the same each time
    it is written (the reminder carries the invitation's own link)."""
    return signing.Signer(salt=SALT).sign_object(invitation.pk)


def invitation_for_token(token):
    """The invitation a link names, or a clear refusal."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid. Use the link from your email, as it was sent.")) from None
    invitation = Invitation.objects.select_related("survey__event", "survey__questionnaire", "user").filter(pk=pk)
    if not invitation.exists():
        raise ValidationError(_("This link is not valid. Use the link from your email, as it was sent."))
    return invitation.get()


def attendees(event):
    """Everyone confirmed who was there at least one day (late counts; no-shows are not asked)."""
    return (
        Enrollment.objects.filter(event=event, status=Enrollment.Status.CONFIRMED, attendance__status__in=ATTENDED)
        .select_related("user")
        .distinct()
    )


def _send(invitation, subject):
    survey, user = invitation.survey, invitation.user
    link = settings.SITE_URL + reverse("evaluation:answer", args=[invitation_token(invitation)])
    with translation.override(user.preferred_language):
        subject = subject % {"event": survey.event.display_title}
    email_queue_templated(
        to=user.email,
        template="survey_invitation",
        language=user.preferred_language,
        subject=subject,
        context={"user": user, "event": survey.event, "link": link, "closes_at": survey.closes_at},
    )


def survey_open(*, event, kind=Questionnaire.Kind.REACTION, now=None):
    """Open the event's survey of `kind` once, with the default questionnaire of that kind, and invite everyone
    who attended; None when no default questionnaire exists. Opening again changes nothing."""
    now = now or timezone.now()
    questionnaire = Questionnaire.objects.filter(kind=kind, is_default=True).first()
    if questionnaire is None:
        return None
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(
            event=event, kind=kind,
            defaults={"questionnaire": questionnaire, "opened_at": now,
                      "remind_at": now + timedelta(days=settings.EVALUATION_REMINDER_DAYS),
                      "closes_at": now + timedelta(days=settings.EVALUATION_CLOSE_DAYS)},
        )  # fmt: skip
        if not created:
            return survey
        for enrollment in attendees(event):
            invitation = Invitation.objects.create(survey=survey, user=enrollment.user)
            _send(invitation, INVITATION_SUBJECT)
    return survey


def surveys_remind(*, now=None):
    """One reminder to each invited person who has not answered, once the survey's reminder is due."""
    now = now or timezone.now()
    due = Invitation.objects.filter(
        answered=False, reminded=False, survey__remind_at__lte=now, survey__closes_at__gt=now
    ).select_related("survey__event", "user")
    count = 0
    for invitation in due:
        with transaction.atomic():
            if Invitation.objects.filter(pk=invitation.pk, reminded=False).update(reminded=True):
                _send(invitation, REMINDER_SUBJECT)
                count += 1
    return count


def _refusal(invitation, now):
    """Why this invitation cannot be answered now, or None."""
    if invitation.answered:
        return _("You have already answered this questionnaire. Thank you!")
    if now >= invitation.survey.closes_at:
        return _("This questionnaire closed on %(day)s.") % {
            "day": date_format(timezone.localtime(invitation.survey.closes_at), "DATE_FORMAT")
        }
    attended = Attendance.objects.filter(
        enrollment__event=invitation.survey.event_id, enrollment__user=invitation.user_id, status__in=ATTENDED
    )
    if not attended.exists():
        return _("This questionnaire is for those who attended the training.")
    return None


def invitation_check(*, invitation, now=None):
    """Refuse, with a clear message, an invitation that cannot be answered now."""
    if message := _refusal(invitation, now or timezone.now()):
        raise ValidationError(message)


def response_submit(*, invitation, answers, now=None):
    """Store `answers` ([(question, session, facilitator, rating, choices, text)]) without the person, and mark
    the invitation answered, in one transaction: a second answer, a closed survey or someone who was not there
    is refused and nothing is saved."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        invitation_check(invitation=invitation, now=now)
        invitation.answered = True
        invitation.save(update_fields=["answered"])
        response = Response.objects.create(survey=invitation.survey, submitted_on=timezone.localdate(now))
        for question, session, facilitator, rating, choices, text in answers:
            answer = Answer.objects.create(response=response, question=question, session=session,
                                           facilitator=facilitator, rating=rating, text=text)  # fmt: skip
            if choices:
                answer.choices.set(choices)
    return response


def surveys_open_due(*, now=None):
    """Open the reaction survey of every event whose last day has ended lately and that has none yet (closing an
    event opens it at once: whichever comes first). Events that ended longer ago than a survey stays open are
    left alone: the first run after an upgrade must not ask about trainings of years past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    events = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        end_date__lt=today,
        end_date__gte=today - timedelta(days=settings.EVALUATION_CLOSE_DAYS),
    ).exclude(surveys__kind=Questionnaire.Kind.REACTION)
    return [survey for event in events if event.last_day_ended and (survey := survey_open(event=event, now=now))]
