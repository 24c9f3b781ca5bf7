"""Two-factor authentication (allauth.mfa): who must have it, what counts as set up, and an administrator's reset.

The sign-in asks for a code whenever a person has an authenticator (allauth); lms.middleware sends those whose
role requires one ("mfa.required", lms/roles.py) to set it up before anything else.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import Action, audit_record
from .roles import can, is_administrator

# What the sign-in asks for; recovery codes only stand in for these when the device is lost.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# The session of a person known to have one holds their id here (lms.middleware reads it).
SESSION_KEY = "lms.mfa_set_up"


def mfa_set_up(user):
    """Has `user` an authenticator app or a security key?"""
    return is_mfa_enabled(user, SECOND_FACTORS)


def mfa_remember(sender, request, user, **kwargs):
    """At sign-in (user_logged_in), remember that the person has an authenticator: their pages ask no more."""
    if request is not None and hasattr(request, "session") and mfa_set_up(user):
        request.session[SESSION_KEY] = user.pk


class MFAAdapter(DefaultMFAAdapter):
    error_messages = DefaultMFAAdapter.error_messages | {
        "cannot_delete_authenticator": _(
            "Administrators and focal points keep two-factor authentication on: add a security key or an "
            "authenticator app before you remove this one."
        ),
    }

    def can_delete_authenticator(self, authenticator):
        """Those who must use two-factor authentication keep at least one app or key (allauth says they cannot)."""
        if authenticator.type not in SECOND_FACTORS or not can(authenticator.user, "mfa.required"):
            return True
        others = Authenticator.objects.filter(user_id=authenticator.user_id, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()


def totp_code(secret, at=None):
    """The code an authenticator app shows for `secret` at `at` (a Unix time; now by default)."""
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def mfa_reset(*, user, actor):
    """Remove every authenticator and recovery code of `user`, who lost their device: they set it up again.

    Their next sign-in asks for no code; if their role requires two-factor authentication, they must set it up
    before anything else. Only administrators reset, and only a superuser a superuser's: a reset leaves the
    password alone to guard the account. Returns how many authenticators were removed.
    """
    if not is_administrator(actor):
        raise ValidationError(gettext("Only an administrator can reset two-factor authentication."))
    if user.is_superuser and not actor.is_superuser:
        raise ValidationError(gettext("Only a superuser can reset a superuser's two-factor authentication."))
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(user=user)
        types = sorted(authenticators.values_list("type", flat=True))
        if not types:
            return 0
        authenticators.delete()
        audit_record(action=Action.MFA_RESET, actor=actor, subject=user, removed=types)
    return len(types)
