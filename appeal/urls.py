from django.urls import path

from appeal import views

app_name = "appeal"
urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("<int:pk>/", views.CycleView.as_view(), name="cycle"),
    path("<int:pk>/flows/new/", views.FlowCreateView.as_view(), name="new_flow"),
    path("projects/<int:pk>/", views.AppealProjectView.as_view(), name="project"),
]
