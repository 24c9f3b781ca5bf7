import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from . import consents, services
from .forms import NoticeAcceptForm, ProfileChangeForm, ProfileForm, RefusalForm
from .http import refusal_message, safe_next
from .images import MAX_BYTES, image_format
from .middleware import PrivacyNoticeMiddleware
from .models import Institution, ProfileChangeRequest
from .roles import can
from .storage import stored_file_open


def home(request):
    # Signed in, the home is the dashboard (stats.dashboard), which says what to do next.
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "lms/home.html")


def language_set(request):
    """Django's language switcher (the cookie, a redirect to a safe `next`), for the site's languages only.

    A signed-in person's choice becomes their preferred language, so their emails and certificates follow.
    """
    response = set_language(request)
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER)
    if language not in dict(settings.LANGUAGES):
        # Django accepts any language it has a catalogue of; a cookie naming one the site
        # does not offer would hide a signed-in person's preferred language (lms.middleware).
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response
    if request.user.is_authenticated:
        services.preferred_language_set(user=request.user, language=language)
    return response


def _profile_page(request, form=None, change_form=None):
    pending = request.user.profile_change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()
    last_refused = request.user.profile_change_requests.filter(status=ProfileChangeRequest.Status.REFUSED).last()
    context = {
        "form": form or ProfileForm(instance=request.user),
        "change_form": change_form
        or ProfileChangeForm(initial={"institution": request.user.institution, "profession": request.user.profession}),
        "pending": pending,
        "last_refused": last_refused,
    }
    return render(request, "lms/profile_form.html", context)


@login_required
def profile_edit(request):
    if request.method != "POST":
        return _profile_page(request)
    language = request.user.preferred_language
    form = ProfileForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _profile_page(request, form=form)
    services.profile_update(user=request.user, fields=form.cleaned_data, actor=request.user)
    messages.success(request, _("Your profile was saved."))
    response = redirect("profile")
    if request.user.preferred_language != language:
        # The site follows the new preferred language too: without the switcher's cookie, lms.middleware adopts it.
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@login_required
@require_POST
def profile_change_request(request):
    form = ProfileChangeForm(request.POST)
    if form.is_valid():
        try:
            services.profile_change_request(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent. Your profile changes once it is approved."))
            return redirect("profile")
    return _profile_page(request, change_form=form)


@login_required
def profile_changes(request):
    """Pending requests to change institution or profession, for administrators to decide."""
    if not can(request.user, "profile_changes.decide"):
        raise PermissionDenied
    pending = ProfileChangeRequest.objects.filter(status=ProfileChangeRequest.Status.PENDING).select_related(
        "user__institution", "institution"
    )
    return render(request, "lms/profile_changes.html", {"pending": pending})


@login_required
@require_POST
def profile_change_decide(request, pk, decision):
    if not can(request.user, "profile_changes.decide") or decision not in ("approve", "refuse"):
        raise PermissionDenied
    change = get_object_or_404(ProfileChangeRequest, pk=pk)
    try:
        if decision == "approve":
            services.profile_change_approve(change=change, actor=request.user)
            messages.success(request, _("Approved: the profile was changed."))
        else:
            form = RefusalForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.profile_change_refuse(change=change, actor=request.user, reason=reason)
            messages.success(request, _("Refused."))
    except ValidationError as error:
        refusal_message(request, error)
    return redirect("profile_changes")


def privacy_notice(request):
    """The privacy notice in force, for everybody (linked in every page's footer and from the signup form)."""
    return render(request, "lms/privacy_notice.html", {"notice": consents.notice_current()})


@login_required
def privacy_notice_accept(request):
    """The current notice and its "Accept" button, where lms.middleware sends those who have yet to accept it."""
    notice = consents.notice_current()
    asked = request.POST.get("next") or request.GET.get("next")
    target = safe_next(request, asked) or reverse(settings.LOGIN_REDIRECT_URL)
    if notice is None:
        request.session.pop(PrivacyNoticeMiddleware.SESSION_KEY, None)
        return redirect(target)
    if request.method == "POST":
        form = NoticeAcceptForm(request.POST)
        shown = consents.notice_version(form.cleaned_data["version"]) if form.is_valid() else None
        try:
            consents.notice_accept(person=request.user, notice=shown)
        except ValidationError as error:
            refusal_message(request, error)
            return redirect(f"{reverse('privacy_notice_accept')}?{urlencode({'next': target})}")
        request.session.pop(PrivacyNoticeMiddleware.SESSION_KEY, None)
        messages.success(request, _("Thank you: you accepted the privacy notice."))
        return redirect(target)
    acceptance = consents.notice_acceptance(request.user, notice)
    if acceptance is not None:
        # Accepted meanwhile, in another browser: this session asks no more.
        request.session.pop(PrivacyNoticeMiddleware.SESSION_KEY, None)
    context = {"notice": notice, "acceptance": acceptance, "next": target}
    return render(request, "lms/privacy_accept.html", context)


@login_required
def privacy_settings(request):
    """A person's optional consents, each given or withdrawn here at once, and the notice they accepted."""
    if request.method == "POST":
        kind, decision = request.POST.get("kind", ""), request.POST.get("decision")
        try:
            if decision == "give":
                consents.consent_give(person=request.user, kind=kind)
                messages.success(request, _("Your consent was recorded."))
            elif decision == "withdraw":
                consents.consent_withdraw(person=request.user, kind=kind)
                messages.success(request, _("Your consent was withdrawn. It takes effect at once."))
            else:
                raise ValidationError(_("Choose to give or to withdraw the consent."))
        except ValidationError as error:
            refusal_message(request, error)
        return redirect("privacy_settings")
    context = {
        "consents": consents.consent_states(request.user),
        "acceptance": request.user.notice_acceptances.select_related("notice").first(),
    }
    return render(request, "lms/privacy_settings.html", context)


@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def institution_logo(request, name):
    """An institution's logo, by its stored file's unguessable name; signatures and stamps are never served.

    Only a PNG or JPEG is served, so the logo is read whole and checked first: uploads are 2 MB at most.
    """
    institution = get_object_or_404(Institution.objects.only("logo"), logo=f"branding/{name}")
    try:
        with stored_file_open(institution.logo.name) as file:
            content = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise Http404 from None
    kind = image_format(io.BytesIO(content))
    if kind is None:
        raise Http404
    return FileResponse(io.BytesIO(content), content_type=f"image/{kind.lower()}", filename=name)
