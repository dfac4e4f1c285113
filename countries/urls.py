from django.urls import path

from countries import views

app_name = "countries"
urlpatterns = [
    path("<int:pk>/profile/edit/", views.ProfileEditView.as_view(), name="edit"),
    path("<int:pk>/profile/history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/brief.<str:format>", views.BriefView.as_view(), name="brief"),
]
