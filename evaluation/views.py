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
from courses.models import Enrollment
from lms.roles import can

from . import knowledge, services
from .forms import AnswerForm, survey_items
from .models import Survey, TestAttempt
from .results import scorecards, survey_results


@never_cache
def answer(request, token):
    """The questionnaire behind a personal link: no sign-in, the link is the key. Answered, closed, forged or
    not theirs to answer, it says so and saves nothing."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=404)
    # The invitee's language, unless this browser chose one.
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) not in dict(settings.LANGUAGES):
        translation.activate(invitation.user.preferred_language)
        request.LANGUAGE_CODE = invitation.user.preferred_language
    try:
        services.invitation_check(invitation=invitation)
    except ValidationError as error:
        return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=410)
    survey = invitation.survey
    form = AnswerForm(survey_items(survey), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation=invitation, answers=form.answers())
        except ValidationError as error:
            return render(request, "evaluation/unavailable.html", {"message": error.messages[0]}, status=410)
        return redirect("evaluation:answer", token=token)
    return render(request, "evaluation/answer.html", {"form": form, "survey": survey, "event": survey.event})


@login_required
def event_report(request, pk):
    """An event's evaluation: its questionnaire's results once enough people have answered, and the knowledge
    gained by those who took both tests."""
    event = event_for(request, pk, "evaluation.view")
    survey = Survey.objects.filter(event=event).select_related("questionnaire").first()
    context = {
        "event": event,
        "survey": survey,
        "results": survey_results(survey) if survey else None,
        "gains": knowledge.knowledge_gains(event),
    }
    return render(request, "evaluation/event_report.html", context)


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
