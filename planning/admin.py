from django.contrib import admin

from planning.models import Activity, Ballot, PrioritisationRound, ProgressReport, ReportingPeriod


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "lead_organization", "status", "priority", "start", "end"]
    list_filter = ["working_group", "status"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "author", "lead_organization", "working_group"]


@admin.register(PrioritisationRound)
class PrioritisationRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "opens_at", "closes_at", "closed_at"]
    list_filter = ["working_group"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["round", "organization", "submitted_at"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "due"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["working_group", "period", "status", "submitted_at"]
    list_filter = ["period", "status"]
