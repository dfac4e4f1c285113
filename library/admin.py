"""Technical administration of the library: the related search terms, which grow as the domain's vocabulary
does (resources are managed through the pages, where the audience rules apply)."""

from django.contrib import admin

from library.models import RelatedTerm


@admin.register(RelatedTerm)
class RelatedTermAdmin(admin.ModelAdmin):
    list_display = ["word", "forms"]
    search_fields = ["word"]
