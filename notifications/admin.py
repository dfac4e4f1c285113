from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For support only: notifications are made by the apps, never typed in here."""

    list_display = (
        "subject",
        "recipient",
        "working_group",
        "kind",
        "delivery",
        "created_at",
        "read_at",
        "emailed_at",
    )
    list_filter = ("kind", "delivery", "working_group")
    list_select_related = ("recipient", "working_group")
    search_fields = ("subject", "recipient__email")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "working_group", "frequency", "updated_at")
    list_filter = ("frequency", "working_group")
    list_select_related = ("user", "working_group")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
