from django.urls import path, re_path

from calendar_app.views import events, exports, feeds, windows

app_name = "calendar_app"
urlpatterns = [
    path("", windows.MonthView.as_view(), name="month"),
    path("week/", windows.WeekView.as_view(), name="week"),
    path("agenda/", windows.AgendaView.as_view(), name="agenda"),
    path("new/", events.EventCreateView.as_view(), name="new"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="detail"),
    path("events/<int:pk>/edit/", events.EventEditView.as_view(), name="edit"),
    path("events/<int:pk>/share/", events.EventShareView.as_view(), name="share"),
    path("events/<int:pk>/cancel/", events.EventCancelView.as_view(), name="cancel"),
    path("events/<int:pk>/event.ics", exports.EventIcsView.as_view(), name="ics"),
    path("events/<int:pk>/rsvp/", events.RsvpView.as_view(), name="rsvp"),
    path("events/<int:pk>/attendees/", events.AttendeesView.as_view(), name="attendees"),
    path("events/<int:pk>/attendees.csv", exports.AttendeesCsvView.as_view(), name="attendees_csv"),
    path(
        "events/<int:pk>/occurrences/<str:key>/edit/",
        events.OccurrenceEditView.as_view(),
        name="occurrence_edit",
    ),
    path(
        "events/<int:pk>/occurrences/<str:key>/cancel/",
        events.OccurrenceCancelView.as_view(),
        name="occurrence_cancel",
    ),
    path("feeds/", feeds.FeedListView.as_view(), name="feeds"),
    path("feeds/<int:pk>/regenerate/", feeds.FeedRegenerateView.as_view(), name="feed_regenerate"),
    path("feeds/<int:pk>/revoke/", feeds.FeedRevokeView.as_view(), name="feed_revoke"),
    # The token is the credential of calendar clients: any text up to the suffix, checked by digest.
    re_path(r"^feeds/(?P<token>[^/]{1,200})\.ics$", feeds.FeedView.as_view(), name="feed"),
    path("clashes/", events.ClashesView.as_view(), name="clashes"),
]
