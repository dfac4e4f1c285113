from django.urls import path

from cted import search_views, views

app_name = "cted"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessments"),
    path("shared/", views.SharedLogView.as_view(), name="shared"),
    path("<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("consents/<int:pk>/withdraw/", views.RevokeView.as_view(), name="withdraw"),
    path("recommendations/", search_views.RecommendationSearchView.as_view(), name="recommendations"),
    path("recommendations/export/", search_views.ExportView.as_view(), name="export"),
    path("recommendations/<int:pk>/offer/", search_views.OfferView.as_view(), name="offer"),
    path("recommendations/<int:pk>/<slug:kind>/", views.StatusView.as_view(), name="status"),
]
