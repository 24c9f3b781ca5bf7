import functools

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import (
    AgendaItem,
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
from .services import event_cancel, event_publish, waitlist_promote


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_ro", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["title", "code", "funder", "lead_partner", "starts_on", "ends_on"]
    list_filter = ["funder", "starts_on"]
    search_fields = ["title_en", "title_ro", "title_ru", "code", "funder__name"]
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
    search_fields = ["name", "name_other_script", "organisation"]
    filter_horizontal = ["themes"]
    autocomplete_fields = ["user"]


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["date", "starts_at", "ends_at", "kind", "title", "room", "facilitators", "moderator"]
    autocomplete_fields = ["facilitators", "moderator"]


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ["__str__", "course", "start_date", "end_date", "city", "region", "status", "capacity"]
    list_filter = ["status", "format", "working_language", "region", "programme", "course__activity_type"]
    list_select_related = ["course", "region"]
    search_fields = ["title_en", "title_ro", "title_ru", "course__title_en", "course__title_ro", "course__title_ru",
                     "city", "venue_name"]  # fmt: skip
    date_hierarchy = "start_date"
    filter_horizontal = ["trainers", "organisers", "partners"]
    inlines = [AgendaItemInline]
    actions = ["publish", "cancel"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More seats: the first people waiting get them, and are told.
            promoted = waitlist_promote(event=obj)
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
