from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("new/", views.NoticeCreateView.as_view(), name="new"),
    path("<int:pk>/", views.NoticeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NoticeEditView.as_view(), name="edit"),
    path("<int:pk>/share/", views.NoticeShareView.as_view(), name="share"),
]
