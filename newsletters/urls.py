from django.urls import path

from newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("", views.ArchiveView.as_view(), name="archive"),
    path("manage/", views.ManageView.as_view(), name="manage"),
    path("new/", views.OpenPeriodView.as_view(), name="new"),
    path("<int:pk>/", views.IssueView.as_view(), name="issue"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/preview/", views.PreviewView.as_view(), name="preview"),
    path("<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("subscription/", views.SubscriptionView.as_view(), name="subscription"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
