from django.urls import path

from projects import export_views, import_views, views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("matrix/countries/", views.CountryMatrixView.as_view(), name="matrix_countries"),
    path("overlaps/", views.OverlapReportView.as_view(), name="overlaps"),
    path("overlaps/<int:pk>/", views.OverlapView.as_view(), name="overlap"),
    path("export/", export_views.ExportView.as_view(), name="export"),
    path("map/", export_views.MapView.as_view(), name="map"),
    path("map.json", export_views.MapDataView.as_view(), name="map_data"),
    path("new/", views.ProjectCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="edit"),
    path("<int:pk>/share/", views.ProjectShareView.as_view(), name="share"),
    path("import/", import_views.SpreadsheetImportView.as_view(), name="import"),
    path("import/template.<str:format>", import_views.ImportTemplateView.as_view(), name="import_template"),
    path("import/iati/", import_views.IatiImportView.as_view(), name="import_iati"),
    path("import/iati/<str:token>/", import_views.IatiPreviewView.as_view(), name="import_iati_preview"),
    path("import/<str:token>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
]
