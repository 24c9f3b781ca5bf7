from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .consents import notice_draft_from, notice_publish, notice_save
from .forms import PROFILE_FIELDS
from .mfa import mfa_reset
from .models import (
    AuditEntry,
    Consent,
    Institution,
    NoticeAcceptance,
    OutgoingEmail,
    PrivacyNotice,
    Region,
    User,
    logo_url,
)
from .roles import Role, is_administrator
from .services import outgoing_email_requeue, profile_update, user_roles_check, user_roles_set
from .widgets import StoredImageInput

admin.site.site_header = _("Sinergia administration")
admin.site.site_title = "Sinergia"
admin.site.index_title = _("Catalog, events and people")


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "given_name", "family_name"]


class UserChangeForm(DjangoUserChangeForm):
    """Roles are chosen here; Django's raw groups and permissions are not."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    actor = None  # who changes the roles: set by UserAdmin.get_form

    class Meta(DjangoUserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = self.instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
        self.fields["roles"].initial = list(roles)

    def _post_clean(self):
        super()._post_clean()
        # Asked once the instance holds the new institution, so both can change in one save.
        try:
            user_roles_check(user=self.instance, roles=self.cleaned_data.get("roles", []), actor=self.actor)
        except ValidationError as error:
            self.add_error("roles", error)


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ro", "name_ru"]


@admin.register(Institution)
class InstitutionAdmin(TranslationAdmin):
    list_display = ["name", "kind", "region", "country"]
    formfield_overrides = {models.FileField: {"widget": StoredImageInput(url=logo_url)}}
    list_filter = ["kind", "country", "region"]
    search_fields = ["name_en", "name_ro", "name_ru"]
    autocomplete_fields = ["region"]


def _shields_superuser(request, obj):
    """A superuser's account is only read by others: whoever could change its email or password could become one."""
    return obj is not None and obj.is_superuser and not request.user.is_superuser


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Profiles are saved by profile_update and roles by user_roles_set; only a superuser makes superusers."""

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["family_name", "given_name"]

    def get_view_on_site_url(self, obj=None):
        """The link to the site leads to the person's data: a copy of it, or their erasure, asked for by letter."""
        return reverse("privacy:person_data", args=[obj.pk]) if obj is not None else None

    list_display = [
        "email",
        "family_name",
        "given_name",
        "profession",
        "institution",
        "region",
        "is_active",
        "is_staff",
    ]
    list_filter = ["groups", "profession", "sex", "preferred_language", "region", "is_active", "is_staff"]
    search_fields = ["email", "given_name", "family_name", "name_other_script", "institution__name_en",
                     "institution__name_ro", "institution__name_ru"]  # fmt: skip
    list_select_related = ["institution", "region"]
    autocomplete_fields = ["institution", "region"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_factor"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "given_name", "family_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        access = ["is_active", "roles", *(["is_superuser"] if request.user.is_superuser else [])]
        return [
            (None, {"fields": ["email", "password"]}),
            (_("Profile"), {"fields": PROFILE_FIELDS}),
            (_("Roles and permissions"), {"fields": access}),
            (_("Dates"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return form if obj is None else type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        return not _shields_superuser(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _shields_superuser(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: value for name, value in form.cleaned_data.items() if name not in ("password", "roles")}
        profile_update(user=obj, fields=fields, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            user_roles_set(user=form.instance, roles=form.cleaned_data["roles"], actor=request.user)

    def has_reset_two_factor_permission(self, request):
        return is_administrator(request.user)

    @admin.action(description=_("Reset two-factor authentication"), permissions=["reset_two_factor"])
    def reset_two_factor(self, request, queryset):
        """For a person who lost their device and their recovery codes: they set it up again at their next sign-in."""
        count, refused = 0, False
        for user in queryset:
            try:
                count += bool(mfa_reset(user=user, actor=request.user))
            except ValidationError as error:
                refused = True
                self.message_user(request, f"{user.email}: {' '.join(error.messages)}", messages.ERROR)
        if count:
            message = ngettext(
                "Two-factor authentication was reset for %(count)d person: they set it up again at their next sign-in.",
                "Two-factor authentication was reset for %(count)d people: they set it up again at their next sign-in.",
                count,
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        elif not refused:
            self.message_user(request, _("Nobody selected had two-factor authentication set up."), messages.WARNING)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = outgoing_email_requeue(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )


class RecordAdmin(admin.ModelAdmin):
    """Records of what happened: read only, for everybody; never added, changed nor deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    """Read only, for everybody: an entry is never added, changed nor deleted by hand."""

    list_display = ["at", "action", "actor", "subject", "target"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    list_select_related = ["actor", "subject"]
    search_fields = ["actor__email", "actor__family_name", "subject__email", "subject__family_name", "target"]
    date_hierarchy = "at"
    readonly_fields = ["at", "action", "actor", "subject", "target", "details"]
    show_full_result_count = False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(TranslationAdmin):
    """A draft is written here, in the three languages, and published by the "Publish" action; a published version
    is only read. A change is a new version: "Start a new version" copies one into a new draft."""

    list_display = ["__str__", "published_at", "created_at"]
    fields = ["text"]
    actions = ["publish", "new_version"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.published_at is None)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_at is None)

    def save_model(self, request, obj, form, change):
        notice_save(notice=obj)

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select one privacy notice."), messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description=_("Publish the selected draft"), permissions=["change"])
    def publish(self, request, queryset):
        notice = self._one(request, queryset)
        if notice is None:
            return
        try:
            notice = notice_publish(notice=notice)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        message = _("Version %(version)d is published: everybody accepts it at their next sign-in.")
        self.message_user(request, message % {"version": notice.version}, messages.SUCCESS)

    @admin.action(description=_("Start a new version from the selected notice"), permissions=["add"])
    def new_version(self, request, queryset):
        notice = self._one(request, queryset)
        if notice is not None:
            draft = notice_draft_from(notice=notice)
            return HttpResponseRedirect(reverse("admin:lms_privacynotice_change", args=[draft.pk]))


@admin.register(NoticeAcceptance)
class NoticeAcceptanceAdmin(RecordAdmin):
    list_display = ["accepted_at", "person", "notice"]
    list_filter = ["notice"]
    list_select_related = ["person", "notice"]
    search_fields = ["person__email", "person__family_name"]
    readonly_fields = ["person", "notice", "accepted_at"]


@admin.register(Consent)
class ConsentAdmin(RecordAdmin):
    list_display = ["person", "kind", "given_at", "withdrawn_at"]
    list_filter = ["kind", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person"]
    search_fields = ["person__email", "person__family_name"]
    readonly_fields = ["person", "kind", "given_at", "withdrawn_at"]
