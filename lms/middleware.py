from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .health import healthz, readyz
from .metrics import allowed_networks, metrics, metrics_allowed
from .mfa import SESSION_KEY, mfa_set_up
from .roles import can


class OperatorEndpointsMiddleware:
    """/healthz, /readyz and /metrics, answered before any other middleware but the request id and counts.

    Load balancers and Prometheus reach each server by its IP address over plain HTTP, signed in to nothing: these
    paths skip host validation (ALLOWED_HOSTS), the HTTPS redirect, sessions and the two-factor and privacy-notice
    steps. A request for /metrics from an address not allowed goes on like any other, to the site's "not found".
    """

    def __init__(self, get_response):
        self.get_response = get_response
        allowed_networks(tuple(settings.METRICS_ALLOWED_ADDRESSES))  # a wrong entry stops the server here

    def __call__(self, request):
        path = request.path_info
        if path == "/healthz":
            return healthz(request)
        if path == "/readyz":
            return readyz(request)
        if path == "/metrics" and metrics_allowed(request):
            return metrics(request)
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """A signed-in user who never picked a language in this browser sees their preferred one.

    The language switcher's cookie, once set, always wins; signed in, the switcher also
    stores the choice as the preferred language (lms.views.language_set).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES)
        adopt = user is not None and user.is_authenticated and not chosen
        if adopt:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        response = self.get_response(request)
        # A cookie the response sets itself (the switcher's) is the newer choice.
        if adopt and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class PrivateCacheMiddleware:
    """What a signed-in user is served (their pages, lists of people, downloads) stays out of every cache.

    A browser's disk cache outlives the sign-out and a shared proxy's serves the next visitor;
    a view that set Cache-Control itself keeps its own, and anonymous visitors' pages stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class MultiFactorRequiredMiddleware:
    """Those whose role requires two-factor authentication (lms/roles.py "mfa.required") set it up first.

    Until they have an authenticator app or a security key, every page sends them to set one up, except their
    account's own (allauth's: two-factor setup, sign-out, email, password) and the language switch. Once one is
    set up, allauth asks for its code at each sign-in. Having one is remembered in the session, at sign-in
    (lms.mfa.mfa_remember) or once seen here, so the pages cost no query; an administrator's reset (lms.mfa)
    therefore takes effect at the person's next sign-in.
    """

    OPEN_PREFIXES = ("account_", "mfa_")
    OPEN_VIEWS = {"set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not can(user, "mfa.required"):
            return None
        name = request.resolver_match.view_name
        if name.startswith(self.OPEN_PREFIXES) or name in self.OPEN_VIEWS:
            return None
        if request.session.get(SESSION_KEY) == user.pk:
            return None
        if mfa_set_up(user):
            request.session[SESSION_KEY] = user.pk
            return None
        messages.warning(
            request,
            _(
                "Administrators and focal points see other people's personal data, so their accounts are "
                "protected by two-factor authentication. Set up an authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")


class PrivacyNoticeMiddleware:
    """A person who signed in without having accepted the current privacy notice accepts it before going on.

    Whether it is due is asked once, at sign-in (lms.adapters), and remembered in the session, so pages cost no
    query; a version published meanwhile is asked for at the next sign-in. The notice's own pages, the account's
    (sign-out, two-factor setup), the language switch and the admin's script catalogue stay open.
    """

    SESSION_KEY = "lms.privacy_notice_due"
    OPEN_PREFIXES = ("account_", "mfa_")
    OPEN_VIEWS = {"privacy_notice", "privacy_notice_accept", "set_language", "admin:jsi18n"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", {})
        if not session.get(self.SESSION_KEY) or not request.user.is_authenticated:
            return None
        name = request.resolver_match.view_name
        if name.startswith(self.OPEN_PREFIXES) or name in self.OPEN_VIEWS:
            return None
        accept = reverse("privacy_notice_accept")
        # Back where they were going, once accepted; a form they sent is not sent again.
        if request.method in ("GET", "HEAD"):
            accept += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(accept)
