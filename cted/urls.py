from django.urls import path

from cted import import_views, views

app_name = "cted"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessments"),
    path("<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("import/", import_views.ImportView.as_view(), name="import"),
    path("import/template.<str:format>", import_views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<str:token>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
    path("<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("consents/<int:pk>/withdraw/", views.RevokeView.as_view(), name="withdraw"),
    path("recommendations/<int:pk>/<slug:kind>/", views.StatusView.as_view(), name="status"),
]
