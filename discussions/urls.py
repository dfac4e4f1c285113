from django.urls import path

from discussions import views

app_name = "discussions"
urlpatterns = [
    path("", views.ThreadListView.as_view(), name="list"),
    path("new/", views.ThreadCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ThreadDetailView.as_view(), name="detail"),
    path("<int:pk>/reply/", views.ReplyCreateView.as_view(), name="reply"),
    path("<int:pk>/edit/", views.ThreadEditView.as_view(), name="edit"),
    path("<int:pk>/share/", views.ThreadShareView.as_view(), name="share"),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/hide/", views.ModerateThreadView.as_view(operation="hide"), name="hide"),
    path("<int:pk>/unhide/", views.ModerateThreadView.as_view(operation="unhide"), name="unhide"),
    path("<int:pk>/lock/", views.ModerateThreadView.as_view(operation="lock"), name="lock"),
    path("<int:pk>/unlock/", views.ModerateThreadView.as_view(operation="unlock"), name="unlock"),
    path("replies/<int:pk>/edit/", views.ReplyEditView.as_view(), name="reply_edit"),
    path("replies/<int:pk>/hide/", views.ModerateReplyView.as_view(operation="hide"), name="reply_hide"),
    path(
        "replies/<int:pk>/unhide/", views.ModerateReplyView.as_view(operation="unhide"), name="reply_unhide"
    ),
]
