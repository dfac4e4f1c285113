from django.urls import path

from cted import views

app_name = "cted"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessments"),
    path("shared/", views.SharedLogView.as_view(), name="shared"),
    path("<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("consents/<int:pk>/withdraw/", views.RevokeView.as_view(), name="withdraw"),
    path("recommendations/<int:pk>/<slug:kind>/", views.StatusView.as_view(), name="status"),
]
