"""Technical administration of the calendar: read-only. Events are listed through ``visible_to`` like every
other list (staff read no more content than their organisation's people); writes go through the pages."""

from django.contrib import admin

from calendar_app.models import Event, Feed, Reminder
from core.admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "event_type", "start", "owner", "visibility", "status", "sequence"]
    list_filter = ["event_type", "status", "visibility"]
    search_fields = ["title", "uid"]
    exclude = ["ics"]

    def get_queryset(self, request):
        return Event.objects.visible_to(request.user).select_related("owner")


@admin.register(Feed)
class FeedAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    exclude = ["token_digest"]  # even a digest stays out of sight


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["event", "occurrence_start", "user", "sent_at"]
