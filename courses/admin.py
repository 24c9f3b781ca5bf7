import functools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import (
    AnnualTarget,
    Attendance,
    Course,
    CourseAudience,
    Enrollment,
    EnrollmentLog,
    Event,
    Facilitator,
    Programme,
    Theme,
)
from .services import event_cancel, event_capacity_change, event_capacity_check, event_publish


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_ro", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["title", "code", "funder", "lead_partner", "starts_on", "ends_on"]
    list_filter = ["funder", "starts_on"]
    search_fields = [
        "title_en",
        "title_ro",
        "title_ru",
        "code",
        "funder__name_en",
        "funder__name_ro",
        "funder__name_ru",
    ]
    autocomplete_fields = ["funder", "lead_partner"]
    filter_horizontal = ["partners"]


class CourseAudienceInline(admin.TabularInline):
    model = CourseAudience
    extra = 1


@admin.register(Course)
class CourseAdmin(TranslationAdmin):
    list_display = ["title", "activity_type", "credit_category", "attendance_threshold", "is_active"]
    list_filter = ["activity_type", "credit_category", "certificate_kind", "is_active", "themes", "audiences__audience"]
    search_fields = ["title_en", "title_ro", "title_ru", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["themes"]
    inlines = [CourseAudienceInline]


@admin.register(Facilitator)
class FacilitatorAdmin(TranslationAdmin):
    list_display = ["name", "name_other_script", "position", "organisation", "country"]
    list_filter = ["country", "themes"]
    search_fields = ["name", "name_other_script", "organisation_en", "organisation_ro", "organisation_ru"]
    filter_horizontal = ["themes"]
    autocomplete_fields = ["user"]


class EventAdminForm(forms.ModelForm):
    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        # A first look for the form; the service checks again under the event's lock.
        if self.instance.pk and "capacity" in self.changed_data and capacity is not None:
            event_capacity_check(event=self.instance, capacity=capacity)
        return capacity


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    """Status and agenda change through the services (publish, cancel, close; the agenda page), never here."""

    form = EventAdminForm
    list_display = ["__str__", "course", "start_date", "end_date", "city", "region", "status", "capacity"]
    list_filter = ["status", "format", "working_language", "region", "programme", "course__activity_type"]
    list_select_related = ["course", "region"]
    search_fields = ["title_en", "title_ro", "title_ru", "course__title_en", "course__title_ro", "course__title_ru",
                     "city_en", "city_ro", "city_ru", "venue_name_en", "venue_name_ro", "venue_name_ru"]  # fmt: skip
    date_hierarchy = "start_date"
    filter_horizontal = ["trainers", "organisers", "partners"]
    readonly_fields = ["status", "closed_at", "closed_by", "closing_reason"]
    actions = ["publish", "cancel", "close"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "agenda"] if obj is not None else fields

    @admin.display(description=_("Agenda"))
    def agenda(self, event):
        return format_html('<a href="{}">{}</a>', reverse("courses:agenda", args=[event.pk]), _("Edit the agenda"))

    def save_model(self, request, obj, form, change):
        if not (change and "capacity" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        # The seats change under the event's lock, with the waiting list promoted in the same step.
        capacity, obj.capacity = obj.capacity, form.initial["capacity"]
        super().save_model(request, obj, form, change)
        try:
            promoted = event_capacity_change(event=obj, capacity=capacity, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        obj.capacity = capacity
        if promoted:
            self.message_user(
                request,
                _("%(count)d participant(s) promoted from the waiting list.") % {"count": len(promoted)},
            )

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for event in queryset:
            try:
                service(event=event)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(request, queryset, event_publish, _("%(count)d event(s) published."))

    @admin.action(description=_("Cancel the selected events"), permissions=["change"])
    def cancel(self, request, queryset):
        cancel = functools.partial(event_cancel, actor=request.user)
        self._apply(request, queryset, cancel, _("%(count)d event(s) cancelled."))

    @admin.action(description=_("Close the selected event"), permissions=["change"])
    def close(self, request, queryset):
        # Closing shows a summary to confirm (and asks why, before the last day): the site's own page does it.
        events = list(queryset[:2])
        if len(events) != 1:
            self.message_user(request, _("Close one event at a time."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("courses:event_close", args=[events[0].pk]))


class EnrollmentLogInline(admin.TabularInline):
    model = EnrollmentLog
    extra = 0
    fields = ["created_at", "action", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Read and search here; changes go through the event's participant page, which keeps seats right."""

    list_display = ["user", "event", "status", "awaits_endorsement", "created_at"]
    readonly_fields = ["event", "user", "status", "awaits_endorsement", "nominated_by", "waitlisted_at",
                       "confirmed_at", "reminder_sent_at"]  # fmt: skip
    inlines = [EnrollmentLogInline]

    def has_add_permission(self, request):
        return False

    list_filter = ["status", "event__course__activity_type", "event__region"]
    list_select_related = ["user", "event__course"]
    search_fields = ["user__email", "user__family_name", "user__given_name"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(admin.ModelAdmin):
    list_display = ["profession", "total_hours", "specialised_hours"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Read and search here; marks are made on the event's attendance grid."""

    list_display = ["enrollment", "date", "status", "source", "marked_by", "marked_at"]
    list_filter = ["status", "source", "enrollment__event__course__activity_type"]
    list_select_related = ["enrollment__user", "enrollment__event__course", "marked_by"]
    search_fields = ["enrollment__user__email", "enrollment__user__family_name"]
    readonly_fields = ["enrollment", "date", "status", "note", "source", "marked_by", "marked_at"]

    def has_add_permission(self, request):
        return False
