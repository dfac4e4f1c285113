from django.urls import path

from api import views

app_name = "tokens"
urlpatterns = [
    path("", views.TokenListView.as_view(), name="list"),
    path("new/", views.TokenCreateView.as_view(), name="new"),
    path("<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="revoke"),
]
