from django.contrib import admin

from newsletters.models import Delivery, Newsletter, Subscription


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    """For support only: issues are opened, edited and sent by the Secretariat on the platform."""

    list_display = ("title", "kind", "period_start", "period_end", "status", "send_started_at", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    readonly_fields = ("status", "send_started_at", "sent_at", "sent_by", "created_by", "batches")
    raw_id_fields = ("created_by", "sent_by")
    date_hierarchy = "period_end"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Who received which issue: written by the batch jobs only, never typed in here."""

    list_display = ("newsletter", "person", "batch", "state", "claimed_at", "sent_at")
    list_filter = ("state", "newsletter")
    list_select_related = ("newsletter", "person")
    search_fields = ("person__email",)
    raw_id_fields = ("person",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("person", "subscribed", "updated_at")
    list_filter = ("subscribed",)
    list_select_related = ("person",)
    search_fields = ("person__email",)
    raw_id_fields = ("person",)
