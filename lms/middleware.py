from django.conf import settings
from django.utils import translation


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
