from django.urls import path

from cted import import_views, search_views, views

app_name = "cted"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessments"),
    path("shared/", views.SharedLogView.as_view(), name="shared"),
    path("new/", views.NewAssessmentView.as_view(), name="new_assessment"),
    path("<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/step/", views.StepView.as_view(), name="step"),
    path("<int:pk>/report/", views.ReportView.as_view(), name="report"),
    path("<int:pk>/recommendations/new/", views.NewRecommendationView.as_view(), name="new_recommendation"),
    path("import/", import_views.ImportView.as_view(), name="import"),
    path("import/template.<str:format>", import_views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<str:token>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
    path("<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("consents/<int:pk>/withdraw/", views.RevokeView.as_view(), name="withdraw"),
    path("recommendations/", search_views.RecommendationSearchView.as_view(), name="recommendations"),
    path("recommendations/export/", search_views.ExportView.as_view(), name="export"),
    path("recommendations/statistics/", search_views.StatisticsView.as_view(), name="statistics"),
    path("recommendations/<int:pk>/offer/", search_views.OfferView.as_view(), name="offer"),
    # before the status pages, whose <kind> would take "edit" (and answer it with a 404)
    path(
        "recommendations/<int:pk>/edit/", views.EditRecommendationView.as_view(), name="edit_recommendation"
    ),
    path("recommendations/<int:pk>/<slug:kind>/", views.StatusView.as_view(), name="status"),
]
