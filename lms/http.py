from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target):
    """`target` when it is a path on this site, else an empty string."""
    target = target or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") and not target.startswith("//") else ""


def redirect_back(request, target, fallback):
    """Back to the page named by `target` (a path on this site), or to `fallback`."""
    return HttpResponseRedirect(safe_next(request, target) or fallback)


def without_nul(text):
    """Text without NUL characters, which databases refuse."""
    return text.replace("\x00", "")


def posted_text(request, name, max_length):
    """A raw POSTed text, without NUL characters, cut to `max_length`."""
    return without_nul(request.POST.get(name, "")).strip()[:max_length]


def refusal_message(request, error):
    """A service's ValidationError, shown to the user as one error message."""
    messages.error(request, " ".join(error.messages))
