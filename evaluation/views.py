from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from courses.access import event_for
from lms.roles import can

from . import services
from .forms import AnswerForm, survey_items
from .models import Survey
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
    """An event's evaluation: its questionnaire's results once enough people have answered."""
    event = event_for(request, pk, "evaluation.view")
    survey = Survey.objects.filter(event=event).select_related("questionnaire").first()
    context = {"event": event, "survey": survey, "results": survey_results(survey) if survey else None}
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
