from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class PreferredLanguageMiddleware:
    """A signed-in user who never picked a language here sees their preferred one.

    The language switcher's cookie, once set, always wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        adopt = user is not None and user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        if adopt:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        response = self.get_response(request)
        if adopt:
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
