from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ErasureRequest


class ErasureRequestForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and my name removed, and that this cannot be undone."),
    )

    class Meta:
        model = ErasureRequest
        fields = ["keep_certificates"]
