from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("<int:pk>/", views.OpenNotificationView.as_view(), name="open"),
]
