from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import PROFILE_FIELDS
from .models import Institution, OutgoingEmail, Region, User
from .roles import Role
from .services import outgoing_email_requeue


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "given_name", "family_name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "country"]
    list_filter = ["kind", "country", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    ordering = ["family_name", "given_name"]
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
    search_fields = ["email", "given_name", "family_name", "name_other_script", "institution__name"]
    list_select_related = ["institution", "region"]
    autocomplete_fields = ["institution", "region"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": PROFILE_FIELDS}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "given_name", "family_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = ["groups"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # Administrators work in this admin; giving the role gives the access.
        if not user.is_staff and user.groups.filter(name=Role.ADMINISTRATOR).exists():
            user.is_staff = True
            user.save(update_fields=["is_staff"])


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
