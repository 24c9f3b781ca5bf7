from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from .consents import needs_acceptance
from .middleware import PrivacyNoticeMiddleware
from .models import User
from .services import outgoing_email_queue_message


def site_url(path):
    """An absolute link on the site's own address: the request's Host header is whatever the visitor sent."""
    return settings.SITE_URL + path


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # allauth's templates greet from `current_site`, which allauth takes from the Host header.
        site = SimpleNamespace(name="Sinergia", domain=urlsplit(settings.SITE_URL).netloc)
        context = {"email": email, "current_site": site, **context}
        # allauth builds this link from the request (in the email to an address with no account).
        if "signup_url" in context:
            context["signup_url"] = site_url(reverse("account_signup"))
        # Verification and password-reset emails go through the outbox like
        # every other email, so a mail server that is down loses none of them.
        # Their links are keys to the account: the outbox's copy loses them once sent.
        message = self.render_mail(template_prefix, email, context)
        outgoing_email_queue_message(message=message, redact_links=True)

    def login(self, request, user):
        super().login(request, user)
        # Every sign-in on the site comes here: whether the current privacy notice awaits the person's acceptance
        # is asked now, once, and remembered for the session (lms.middleware.PrivacyNoticeMiddleware).
        if needs_acceptance(user):
            request.session[PrivacyNoticeMiddleware.SESSION_KEY] = True
        else:
            request.session.pop(PrivacyNoticeMiddleware.SESSION_KEY, None)

    def confirm_email(self, request, email_address):
        # A change to the address another account signed up with (and has not confirmed yet)
        # would give two accounts one login: that account keeps it.
        if User.objects.filter(email__iexact=email_address.email).exclude(pk=email_address.user_id).exists():
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        return super().confirm_email(request, email_address)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email):
        context = {"password_reset_url": site_url(reverse("account_reset_password"))}
        self.send_mail("account/email/account_already_exists", email, context)


def _held(email):
    """Whether an account holds the address: as its login, or as an address it confirmed."""
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(Q(verified=True) | Q(primary=True), email__iexact=email).exists()
    )


class SignupForm(allauth_forms.SignupForm):
    """allauth's signup, where an address another account only asked to change to is still free.

    Otherwise anyone could keep a stranger out (and receive what is meant for them)
    by asking to change to the stranger's address before the stranger signs up.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accepting the privacy notice (lms.forms.SignupForm) is asked last, after the password.
        if "privacy_notice" in self.fields:
            self.fields["privacy_notice"] = self.fields.pop("privacy_notice")

    def validate_unique_email(self, value):
        email = super().validate_unique_email(value)
        if self.account_already_exists and not _held(email):
            self.account_already_exists = False
        return email

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            # The address's owner has come: the other account's pending change to it is void,
            # and the link it had sent there must not hold back the one for this signup.
            pending = EmailAddress.objects.filter(email__iexact=user.email, verified=False, primary=False)
            if pending.exclude(user=user).delete()[0]:
                ratelimit.clear(request, action="confirm_email", key=user.email.lower())
        return user
