from django.urls import path

from library import views

app_name = "library"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("new/", views.ResourceCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ResourceView.as_view(), name="resource"),
    path("<int:pk>/edit/", views.ResourceEditView.as_view(), name="edit"),
    path("<int:pk>/share/", views.ResourceShareView.as_view(), name="share"),
    path("<int:pk>/files/", views.AddDocumentView.as_view(), name="add_document"),
    path("<int:pk>/trash/", views.TrashResourceView.as_view(), name="trash_resource"),
    path("documents/<int:pk>/versions/", views.AddVersionView.as_view(), name="add_version"),
    path("files/<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path("trash/<int:pk>/restore/", views.TrashActionView.as_view(action="restore"), name="restore"),
    path("trash/<int:pk>/purge/", views.TrashActionView.as_view(action="purge"), name="purge"),
]
