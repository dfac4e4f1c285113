"""An event as a file: its .ics, and its attendees as a spreadsheet (contact details as the reader may see
them; the download is in the security log)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from calendar_app import ical, selectors
from calendar_app.models import Event
from core import audit, tables
from core.models import SecurityEventKind
from directory.mixins import ObjectActionMixin, VisibleObjectMixin
from directory.models import Membership
from directory.privacy import contact_card


class EventIcsView(VisibleObjectMixin, View):
    """One event as a .ics file (a series with its edited occurrences)."""

    model = Event
    select_related = ("owner", "parent")

    def get(self, request, pk):
        event = self.get_object()
        series = event.series
        if event.parent_id:
            events = [event]  # one edited occurrence, on its own (it carries its series' UID)
        else:
            events = [
                event,
                *Event.objects.visible_to(request.user).filter(parent=event).order_by("recurrence_id"),
            ]
        response = HttpResponse(ical.calendar(events), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{series.pk}.ics"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _stamp(moment) -> str:
    """A moment in a spreadsheet cell: sortable, in the reader's zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class AttendeesCsvView(ObjectActionMixin, View):
    model = Event

    def get(self, request, pk):
        event = self.get_object()
        current = Membership.objects.filter(ended_at__isnull=True)
        rsvps = list(
            selectors.attendees(event)
            .select_related("user__profile")
            .prefetch_related(Prefetch("user__memberships", queryset=current, to_attr="current_memberships"))
        )
        header = [_("Name"), _("Email"), _("Answer"), _("On the waiting list since"), _("Answered")]
        rows = [
            [
                rsvp.user.full_name,
                contact_card(request.user, rsvp.user).email,  # as this viewer may see it
                rsvp.get_response_display(),
                _stamp(rsvp.waiting_since),
                _stamp(rsvp.updated_at),
            ]
            for rsvp in rsvps
        ]
        audit.record(
            SecurityEventKind.EXPORT, request=request, format="csv", count=len(rsvps), event=event.pk
        )
        return tables.download(
            tables.csv_bytes(header, rows), filename=f"attendees-{event.pk}.csv", content_type=tables.CSV_TYPE
        )
