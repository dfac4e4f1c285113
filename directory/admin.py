"""Technical administration of the registry. The Secretariat's everyday pages live in the application."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from directory.models import (
    AccessRequest,
    Invitation,
    Membership,
    Organization,
    Participation,
    Pillar,
    Profile,
    User,
    WorkingGroup,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "full_name", "preferred_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # Staff and superuser status come from the command line only (createsuperuser): no web page grants
    # them, this one included; nor object permissions by hand (the application's rules decide those).
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "compact_status", "iso3", "region", "is_active"]
    list_filter = ["kind", "compact_status", "region", "is_active"]
    search_fields = ["name", "acronym", "iso3"]
    readonly_fields = ["reference_key", "created_at", "updated_at"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "is_active"]
    filter_horizontal = ["pillars"]
    inlines = [ParticipationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "started_at", "ended_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__email", "user__full_name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "country", "email_visibility", "phone_visibility", "reconfirmed_at"]
    list_filter = ["email_visibility", "phone_visibility"]
    search_fields = ["user__email", "user__full_name", "job_title"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["updated_at"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are decided in the Secretariat's pages, which send the emails."""

    list_display = ["full_name", "email", "organization_name", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["full_name", "email", "organization_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the platform's pages (the link's token is never stored)."""

    list_display = ["email", "organization", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name", "organization__acronym"]
    list_select_related = ["organization", "invited_by"]
    exclude = ["token_digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
