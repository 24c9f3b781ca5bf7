from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from courses.access import event_for
from courses.branding import event_logos
from courses.models import Enrollment
from lms.roles import can

from . import knowledge, services
from .forms import AnswerForm, TrainerReportForm
from .models import Respondent, TestAttempt, TrainerReport
from .results import event_results, scorecards
from .trainer_reports import trainer_report_save


@never_cache
def answer(request, token):
    """The questionnaire behind a personal link: no sign-in, the link is the key. Answered, closed, forged or
    not theirs to answer, it says so and saves nothing."""
    try:
        link = services.link_for_token(token)
    except ValidationError as error:
        return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=404)
    # The invitee's language (a supervisor is written to in the participant's), unless this browser chose one.
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) not in dict(settings.LANGUAGES):
        translation.activate(link.invitation.user.preferred_language)
        request.LANGUAGE_CODE = link.invitation.user.preferred_language
    try:
        services.link_check(link=link)
    except ValidationError as error:
        return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=410)
    form = AnswerForm(link, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                link=link, answers=form.answers(), supervisor_email=form.cleaned_data.get("supervisor_email", "")
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=410)
            form.add_error(None, error)
        else:
            return redirect("evaluation:answer", token=token)
    context = {
        "form": form, "survey": link.survey, "event": link.survey.event,
        "supervisor_of": link.invitation.user if link.respondent == Respondent.SUPERVISOR else None,
    }  # fmt: skip
    return render(request, "evaluation/answer.html", context)


@login_required
def event_report(request, pk):
    """An event's evaluation report, on screen and printable: its questionnaires' results once enough people have
    answered, the knowledge gained by those who took both tests, and its trainers' reports."""
    event = event_for(request, pk, "evaluation.view")
    reports = TrainerReport.objects.filter(event=event).select_related("author")
    context = {
        "event": event,
        "surveys": event_results(event),
        "gains": knowledge.knowledge_gains(event),
        "reports": reports,
        "logos": event_logos(event),
        "may_report": can(request.user, "evaluation.trainer_report", event),
    }
    return render(request, "evaluation/event_report.html", context)


@login_required
def trainer_report(request, pk):
    """The signed-in trainer's own end-of-activity report on the event."""
    event = event_for(request, pk, "evaluation.trainer_report")
    report = TrainerReport.objects.filter(event=event, author=request.user).first()
    form = TrainerReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            trainer_report_save(event=event, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your report is saved. It is part of the event's evaluation report."))
            return redirect("evaluation:event_report", pk=event.pk)
    return render(request, "evaluation/trainer_report.html", {"event": event, "form": form})


@login_required
def facilitator_scorecards(request):
    if not can(request.user, "evaluation.scorecards"):
        raise PermissionDenied
    context = {
        "cards": scorecards(),
        "threshold": settings.EVALUATION_SATISFACTION_THRESHOLD,
        "fewest": settings.EVALUATION_MIN_RATINGS,
    }
    return render(request, "evaluation/scorecards.html", context)


@login_required
@never_cache
def knowledge_test(request, pk, phase):
    """A participant's own knowledge test: the form while the phase is open and not taken, then their score(s)
    and, once both are taken, their gain. Anybody else's, or an event without a test: 404."""
    mine = Enrollment.objects.select_related("event__course", "user").filter(event=pk, user=request.user).first()
    test = mine and knowledge.knowledge_test_for(mine.event)
    if not (test and phase in TestAttempt.Phase.values and can(request.user, "knowledge_test.take", mine)):
        raise Http404
    questions, errors, refusal = knowledge.questions_of(test), {}, None
    if request.method == "POST":
        answers = {question.pk: request.POST.get(f"q{question.pk}") for question in questions}
        try:
            knowledge.attempt_submit(enrollment=mine, phase=phase, answers=answers)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            refusal = None if errors else error.messages[0]
        else:
            messages.success(request, _("Your answers are saved. Your score is below."))
            return redirect("evaluation:knowledge_test", pk=pk, phase=phase)
    attempts, gain = knowledge.own_scores(mine)
    # (question, its error, the option chosen) for the form, shown again with what was chosen when refused.
    items = [(q, errors.get(f"q{q.pk}", [None])[0], request.POST.get(f"q{q.pk}")) for q in questions]
    context = {
        "event": mine.event, "test": test, "phase": TestAttempt.Phase(phase), "attempts": attempts, "gain": gain,
        "window": knowledge.test_window(mine, phase), "items": items, "has_errors": bool(errors),
        "refusal": refusal or knowledge.attempt_refusal(enrollment=mine, phase=phase),
    }  # fmt: skip
    return render(request, "evaluation/knowledge_test.html", context)
