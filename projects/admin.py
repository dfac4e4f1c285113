from django.contrib import admin

from projects.models import ThematicArea


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    """The thematic areas projects are classified by: added or retired, never deleted."""

    list_display = ("name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a theme in use is retired (no longer offered), so that projects keep their themes
