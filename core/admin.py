"""Technical administration of core's records: both are read-only (the security log is append-only in the
database itself; pending jobs are sent again by send_pending_jobs)."""

from django.contrib import admin

from core.models import PendingJob, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "login", "ip_address", "path"]
    list_filter = ["kind"]
    search_fields = ["login", "user__email", "path"]
    list_select_related = ["user"]


@admin.register(PendingJob)
class PendingJobAdmin(ReadOnlyAdmin):
    list_display = ["task", "attempts", "created_at", "updated_at", "error"]
