from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from lms.models import Institution
from lms.widgets import StoredImageInput

from .models import MAX_SIGNATORIES, Certificate, CertificateDesign, DesignSignatory


class DesignForm(forms.ModelForm):
    class Meta:
        model = CertificateDesign
        fields = ["layout", "issuer", "show_issuer_logo", "show_partner_logos", "show_funder_logo", "trainer_signs",
                  "stamp"]  # fmt: skip
        widgets = {"layout": forms.RadioSelect, "stamp": StoredImageInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Institution.objects.all()


class SignatoryForm(forms.ModelForm):
    """One person signing; a row left empty signs nobody."""

    class Meta:
        model = DesignSignatory
        fields = [
            *(build_localized_fieldname(name, code) for name in ("name", "title") for code, _n in settings.LANGUAGES),
            "signature",
        ]
        widgets = {"signature": StoredImageInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            self.fields[build_localized_fieldname("name", code)].label = _("Name in %(language)s") % {
                "language": language
            }
            self.fields[build_localized_fieldname("title", code)].label = _("Position in %(language)s") % {
                "language": language
            }

    def clean(self):
        cleaned = super().clean()
        names = [cleaned.get(build_localized_fieldname("name", code)) for code, _n in settings.LANGUAGES]
        titles = [cleaned.get(build_localized_fieldname("title", code)) for code, _n in settings.LANGUAGES]
        if any(names) != any(titles):
            raise forms.ValidationError(_("Give both the name and the title of the person who signs, or neither."))
        return cleaned

    @property
    def signs(self):
        """Whether this row names someone (and was not marked for removal)."""
        data = getattr(self, "cleaned_data", {})
        return not data.get("DELETE") and any(
            data.get(build_localized_fieldname("name", code)) for code, _n in settings.LANGUAGES
        )


def signatory_formset(design, data=None, files=None):
    """The people who sign `design`'s certificates, and empty rows up to the most there may be."""
    present = design.signatories.count() if design.pk else 0
    formset = forms.inlineformset_factory(
        CertificateDesign, DesignSignatory, form=SignatoryForm, extra=MAX_SIGNATORIES - present,
        max_num=MAX_SIGNATORIES, validate_max=True, can_delete=True,
    )  # fmt: skip
    return formset(data, files, instance=design, prefix="signatories")


class PreviewForm(forms.Form):
    """The language and kind of the sample certificate a preview draws."""

    preview_language = forms.ChoiceField(label=_("Language of the preview"), choices=settings.LANGUAGES)
    preview_kind = forms.ChoiceField(label=_("Kind of certificate"), choices=Certificate.Kind.choices)
