from django.urls import path

from appeal import export_views, views

app_name = "appeal"
urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("<int:pk>/", views.CycleView.as_view(), name="cycle"),
    path("<int:pk>/export/", export_views.CoverageExportView.as_view(), name="coverage_export"),
    path("<int:pk>/flows/", views.FlowListView.as_view(), name="flows"),
    path("<int:pk>/flows/export/", export_views.FlowExportView.as_view(), name="flows_export"),
    path("<int:pk>/flows/new/", views.FlowCreateView.as_view(), name="new_flow"),
    path("projects/", views.AppealProjectListView.as_view(), name="projects"),
    path("projects/<int:pk>/", views.AppealProjectView.as_view(), name="project"),
    path("donors/<int:pk>/", views.DonorView.as_view(), name="donor"),
]
