from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.RequestCreateView.as_view(), name="new"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/offer/", views.OfferView.as_view(), name="offer"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/projects/", views.LinkView.as_view(), name="link"),
]
