from django.urls import path

from dashboard import statistics_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("statistics/", statistics_views.StatisticsView.as_view(), name="statistics"),
    path("statistics/export.csv", statistics_views.StatisticsExportView.as_view(), name="statistics_export"),
]
