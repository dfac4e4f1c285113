from django.urls import path

from showcase import views

app_name = "showcase"
urlpatterns = [
    path("projects/", views.projects, name="projects"),
    path("projects/map.json", views.map_data, name="map_data"),
    path("appeal/", views.appeal, name="appeal"),
    path("events/", views.events, name="events"),
    path("library/", views.library, name="library"),
]
