from django.urls import path

from appeal import edit_views, views

app_name = "appeal"
urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("new/", edit_views.CycleCreateView.as_view(), name="new_cycle"),
    path("<int:pk>/", views.CycleView.as_view(), name="cycle"),
    path("<int:pk>/close/", edit_views.CycleCloseView.as_view(), name="close_cycle"),
    path("<int:pk>/flows/new/", views.FlowCreateView.as_view(), name="new_flow"),
    path("<int:pk>/projects/new/", edit_views.AppealProjectCreateView.as_view(), name="new_appeal_project"),
    path("projects/<int:pk>/", views.AppealProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", edit_views.AppealProjectEditView.as_view(), name="edit_appeal_project"),
    path("flows/<int:pk>/correct/", edit_views.FlowCorrectView.as_view(), name="correct_flow"),
]
