from django.urls import path  # noqa: F401 -- patterns come with the views

app_name = "working_groups"
urlpatterns: list = []
