from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

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


class ProfileChangeRefusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, strip=True)


class SignupForm(forms.Form):
    """Extra fields of allauth's signup form: the profile, asked once at signup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(User, fields=PROFILE_FIELDS))
        _require_profession(self)
        # The language the person is browsing in, unless they choose another (the service's default too).
        language = self.fields["preferred_language"]
        language.initial, language.required = translation.get_language(), False

    def signup(self, request, user):
        profile = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        participant_signup_complete(user=user, profile=profile)
