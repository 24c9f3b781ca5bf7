from django.contrib import admin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read and search; issuing, sending, re-issuing and revoking are on each event's certificates page."""

    list_display = ["code", "printed_name", "course_title", "start_date", "issued_at", "duplicate_number", "revoked_at"]
    list_filter = ["kind", "language", "revoked_at", "issued_at"]
    search_fields = ["code", "printed_name", "name_other_script", "course_title", "enrollment__user__email"]
    readonly_fields = [field.name for field in Certificate._meta.fields]
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
