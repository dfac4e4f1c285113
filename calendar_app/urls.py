from django.urls import path, re_path

from calendar_app import views

app_name = "calendar_app"
urlpatterns = [
    path("", views.MonthView.as_view(), name="month"),
    path("week/", views.WeekView.as_view(), name="week"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("new/", views.EventCreateView.as_view(), name="new"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="edit"),
    path("events/<int:pk>/share/", views.EventShareView.as_view(), name="share"),
    path("events/<int:pk>/cancel/", views.EventCancelView.as_view(), name="cancel"),
    path("events/<int:pk>/event.ics", views.EventIcsView.as_view(), name="ics"),
    path("events/<int:pk>/rsvp/", views.RsvpView.as_view(), name="rsvp"),
    path("events/<int:pk>/attendees/", views.AttendeesView.as_view(), name="attendees"),
    path("events/<int:pk>/attendees.csv", views.AttendeesCsvView.as_view(), name="attendees_csv"),
    path(
        "events/<int:pk>/occurrences/<str:key>/edit/",
        views.OccurrenceEditView.as_view(),
        name="occurrence_edit",
    ),
    path(
        "events/<int:pk>/occurrences/<str:key>/cancel/",
        views.OccurrenceCancelView.as_view(),
        name="occurrence_cancel",
    ),
    path("feeds/", views.FeedListView.as_view(), name="feeds"),
    path("feeds/<int:pk>/regenerate/", views.FeedRegenerateView.as_view(), name="feed_regenerate"),
    path("feeds/<int:pk>/revoke/", views.FeedRevokeView.as_view(), name="feed_revoke"),
    # The token is the credential of calendar clients: any text up to the suffix, checked by digest.
    re_path(r"^feeds/(?P<token>[^/]{1,200})\.ics$", views.FeedView.as_view(), name="feed"),
    path("clashes/", views.ClashesView.as_view(), name="clashes"),
]
