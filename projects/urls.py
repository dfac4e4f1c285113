from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("matrix/countries/", views.CountryMatrixView.as_view(), name="matrix_countries"),
    path("overlaps/", views.OverlapReportView.as_view(), name="overlaps"),
    path("overlaps/<int:pk>/", views.OverlapView.as_view(), name="overlap"),
    path("new/", views.ProjectCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="edit"),
    path("<int:pk>/share/", views.ProjectShareView.as_view(), name="share"),
]
