from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .consents import notice_current
from .models import ProfileChangeRequest, User
from .services import APPROVED_FIELDS, participant_signup_complete

PROFILE_FIELDS = [
    "given_name",
    "family_name",
    "name_other_script",
    "profession",
    "position",
    "institution",
    "region",
    "sex",
    "preferred_language",
    "phone",
]


def _require_profession(form):
    # Optional in the database (staff accounts need none), but eligibility for
    # courses depends on it, so people who sign up must say.
    form.fields["profession"].required = True


class ProfileForm(forms.ModelForm):
    """What a person changes alone: not their institution and profession (see ProfileChangeForm)."""

    class Meta:
        model = User
        fields = [name for name in PROFILE_FIELDS if name not in APPROVED_FIELDS]


class ProfileChangeForm(forms.ModelForm):
    """A request to change institution or profession, which an administrator approves."""

    class Meta:
        model = ProfileChangeRequest
        fields = ["institution", "profession"]


class RefusalForm(forms.Form):
    """The reason for refusing a request (a profile change, an erasure), which the person reads."""

    reason = forms.CharField(label=_("Reason"), max_length=1000, strip=True)


class NoticeAcceptForm(forms.Form):
    """The version of the privacy notice a person was shown and accepts."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class SignupForm(forms.Form):
    """Extra fields of allauth's signup form: the profile, asked once at signup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(User, fields=PROFILE_FIELDS))
        _require_profession(self)
        # The language the person is browsing in, unless they choose another (the service's default too).
        language = self.fields["preferred_language"]
        language.initial, language.required = translation.get_language(), False
        # Accepted with the account, once a notice is published; the version read now is the one recorded.
        self.privacy_notice = notice_current()
        if self.privacy_notice is not None:
            self.fields["privacy_notice"] = forms.BooleanField(
                label=gettext("I have read and accept the privacy notice"),
                help_text=format_html(
                    '<a href="{}" target="_blank" rel="noopener">{}</a>',
                    reverse("privacy_notice"),
                    gettext("Read the privacy notice (opens in a new tab)"),
                ),
                error_messages={"required": gettext("Please read and accept the privacy notice to sign up.")},
            )

    def signup(self, request, user):
        profile = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        participant_signup_complete(user=user, profile=profile, privacy_notice=self.privacy_notice)
