from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    """The joint calendar: events for an audience, RSVP, iCalendar feeds and clash detection."""

    name = "calendar_app"
    verbose_name = _("Joint calendar")

    def ready(self):
        from calendar_app import rules  # noqa: F401 -- registers the app's content rules
