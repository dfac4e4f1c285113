from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    # workplans
    path("wg/<int:wg>/", views.WorkplanView.as_view(), name="workplan"),
    path("wg/<int:wg>/activities/new/", views.ActivityCreateView.as_view(), name="activity_new"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    # prioritisation rounds
    path("wg/<int:wg>/rounds/new/", views.RoundCreateView.as_view(), name="round_new"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/ballot/", views.BallotView.as_view(), name="ballot"),
    path("rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    # the Secretariat's views across groups
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("periods/", views.PeriodListView.as_view(), name="periods"),
    path("periods/new/", views.PeriodCreateView.as_view(), name="period_new"),
    path("periods/<int:pk>/", views.PeriodView.as_view(), name="period"),
    path("periods/<int:pk>/export.<str:fmt>", views.PeriodExportView.as_view(), name="period_export"),
    # a group's progress reports
    path("wg/<int:wg>/reports/", views.GroupReportsView.as_view(), name="reports"),
    path("wg/<int:wg>/reports/<int:period>/", views.ReportView.as_view(), name="report"),
    path("wg/<int:wg>/reports/<int:period>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("wg/<int:wg>/reports/<int:period>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
]
