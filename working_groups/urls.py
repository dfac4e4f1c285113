from django.urls import path

from working_groups import views

app_name = "working_groups"
urlpatterns = [
    path("", views.WorkingGroupListView.as_view(), name="list"),
    path("<int:pk>/", views.SpaceView.as_view(), name="home"),
    path("<int:pk>/members/", views.MembersView.as_view(), name="members"),
]
