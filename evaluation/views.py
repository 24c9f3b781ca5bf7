from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from . import services
from .forms import AnswerForm, survey_items


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
