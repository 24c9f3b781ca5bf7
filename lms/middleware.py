from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


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
