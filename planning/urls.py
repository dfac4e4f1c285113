from django.urls import path

from planning.views import reports, rounds, workplan

app_name = "planning"
urlpatterns = [
    # workplans
    path("wg/<int:wg>/", workplan.WorkplanView.as_view(), name="workplan"),
    path("wg/<int:wg>/activities/new/", workplan.ActivityCreateView.as_view(), name="activity_new"),
    path("activities/<int:pk>/", workplan.ActivityDetailView.as_view(), name="activity"),
    path("activities/<int:pk>/edit/", workplan.ActivityEditView.as_view(), name="activity_edit"),
    # prioritisation rounds
    path("wg/<int:wg>/rounds/new/", rounds.RoundCreateView.as_view(), name="round_new"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/ballot/", rounds.BallotView.as_view(), name="ballot"),
    path("rounds/<int:pk>/close/", rounds.RoundCloseView.as_view(), name="round_close"),
    # the Secretariat's views across groups
    path("timeline/", reports.TimelineView.as_view(), name="timeline"),
    path("periods/", reports.PeriodListView.as_view(), name="periods"),
    path("periods/new/", reports.PeriodCreateView.as_view(), name="period_new"),
    path("periods/<int:pk>/", reports.PeriodView.as_view(), name="period"),
    path("periods/<int:pk>/export.<str:fmt>", reports.PeriodExportView.as_view(), name="period_export"),
    # a group's progress reports
    path("wg/<int:wg>/reports/", reports.GroupReportsView.as_view(), name="reports"),
    path("wg/<int:wg>/reports/<int:period>/", reports.ReportView.as_view(), name="report"),
    path("wg/<int:wg>/reports/<int:period>/edit/", reports.ReportEditView.as_view(), name="report_edit"),
    path(
        "wg/<int:wg>/reports/<int:period>/submit/", reports.ReportSubmitView.as_view(), name="report_submit"
    ),
]
