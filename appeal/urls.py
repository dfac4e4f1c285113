from django.urls import path

from appeal import edit_views, export_views, views

app_name = "appeal"
urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("new/", edit_views.CycleCreateView.as_view(), name="new_cycle"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("<int:pk>/", views.CycleView.as_view(), name="cycle"),
    path("<int:pk>/close/", edit_views.CycleCloseView.as_view(), name="close_cycle"),
    path("<int:pk>/export/", export_views.CoverageExportView.as_view(), name="coverage_export"),
    path("<int:pk>/flows/", views.FlowListView.as_view(), name="flows"),
    path("<int:pk>/flows/export/", export_views.FlowExportView.as_view(), name="flows_export"),
    path("<int:pk>/flows/new/", views.FlowCreateView.as_view(), name="new_flow"),
    path("<int:pk>/projects/new/", edit_views.AppealProjectCreateView.as_view(), name="new_appeal_project"),
    path("projects/", views.AppealProjectListView.as_view(), name="projects"),
    path("projects/<int:pk>/", views.AppealProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", edit_views.AppealProjectEditView.as_view(), name="edit_appeal_project"),
    path("flows/<int:pk>/correct/", edit_views.FlowCorrectView.as_view(), name="correct_flow"),
    path("donors/<int:pk>/", views.DonorView.as_view(), name="donor"),
]
