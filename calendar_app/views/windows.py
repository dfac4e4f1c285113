"""The calendar's windows — month, week and agenda — with the filters of the URL, in the reader's zone:
read in two queries whatever the window holds (``selectors.window_days``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views import View

from calendar_app import selectors
from calendar_app.filters import EventFilter
from calendar_app.models import Event
from calendar_app.toolbar import filter_controls
from core.forms import BoundedDateField, from_query
from core.templatetags.zones import zone_label, zone_title

MAX_PER_DAY = 4
WEEK_PER_DAY = 25
AGENDA_DAYS = 31
AGENDA_LIMIT = 200


def _day_asked(request, name: str, default: date, *, input_format: str = "%Y-%m-%d") -> date:
    """The day a window starts from, as the URL gives it; today's window, with a message, for a value that
    is no date the calendar holds (a window around year 1 or 9999 would overflow)."""
    return from_query(request, name, BoundedDateField(required=False, input_formats=[input_format]), default)


def _label_times(placed: selectors.OccurrenceOnDay, *, zone, labels: tuple[str, str]) -> None:
    """Write the occurrence's times as the page shows them, in the reader's zone, once here (a template
    filter per occurrence costs more than the rest of the cell)."""
    all_day, later = labels
    occurrence = placed.occurrence
    if occurrence.all_day:
        placed.starts = all_day
    elif placed.continues:
        placed.starts = later
    else:
        placed.starts = occurrence.start.astimezone(zone).strftime("%H:%M")
        placed.ends = occurrence.end.astimezone(zone).strftime("%H:%M")


class CalendarWindowView(LoginRequiredMixin, View):
    """A window of the calendar (month, week, agenda) with the filters of the URL.

    Read in two queries whatever the window holds: what each day shows and how many it holds, ranked in
    the database (``selectors.window_days``), then the events shown. A busy month of a busy calendar
    holds a thousand or two occurrences; only the few hundred shown leave the database."""

    template_name = ""
    view_name = ""
    #: The most occurrences shown in one day's cell ("3 more" links to the agenda for the rest).
    per_day = WEEK_PER_DAY
    #: The most rows read (the agenda's cap).
    rows = 10_000

    def window(self, request) -> tuple[date, date, dict]:
        raise NotImplementedError

    def get(self, request):
        first, last, extra = self.window(request)
        filters = EventFilter(request.GET or None, queryset=Event.objects.all(), request=request)
        events = None
        if filters.is_bound and not filters.is_valid():
            messages.warning(request, _("Some filters were not understood and are ignored."))
        elif filters.active:
            events = filters.qs
        zone = timezone.get_current_timezone()
        found = selectors.window_days(
            request.user,
            first=first,
            last=last,
            tz=zone,
            per_day=self.per_day,
            limit=self.rows,
            events=events,
        )
        by_day: dict[date, list[selectors.OccurrenceOnDay]] = defaultdict(list)
        totals: dict[date, int] = {}
        labels = (_("All day"), _("cont."))
        for placed in found:
            _label_times(placed, zone=zone, labels=labels)
            by_day[placed.day].append(placed)
            totals[placed.day] = placed.total
        shown, more = self.choose(by_day, totals)
        selectors.attach_events([placed.occurrence for day in shown.values() for placed in day])
        query = urlencode(filters.active) if filters.is_bound and filters.is_valid() else ""
        context = {
            "filters": filters,
            "filter_controls": filter_controls(filters),
            "filter_query": query,
            "zone_name": zone_title(str(zone)),
            "zone_label": zone_label(str(zone)),
            # One prefix instead of a {% url %} per item: the month's loop renders hundreds of links.
            "events_url": reverse("calendar_app:detail", kwargs={"pk": 0}).removesuffix("0/"),
            "agenda_url": reverse("calendar_app:agenda"),
            "cancelled_label": _("Cancelled"),
            "first": first,
            "last": last,
            "view_name": self.view_name,
            **extra,
        }
        context.update(self.layout(first, last, shown, more))
        return render(request, self.template_name, context)

    def choose(self, by_day: dict[date, list], totals: dict[date, int]) -> tuple[dict, dict]:
        """(what each day shows, how many more it holds)."""
        more = {day: totals[day] - len(items) for day, items in by_day.items() if totals[day] > len(items)}
        return by_day, more

    def layout(self, first: date, last: date, shown: dict, more: dict) -> dict:
        return {}


class MonthView(CalendarWindowView):
    template_name = "calendar_app/month.html"
    view_name = "month"
    per_day = MAX_PER_DAY

    def window(self, request):
        today = timezone.localdate()
        month = _day_asked(request, "month", today, input_format="%Y-%m").replace(day=1)
        self.month, self.today = month, today
        grid_first = month - timedelta(days=month.weekday())
        following = (month + timedelta(days=32)).replace(day=1)
        grid_last = following + timedelta(days=(7 - following.weekday()) % 7)
        return (
            grid_first,
            grid_last,
            {
                "month": month,
                "previous": (month - timedelta(days=1)).replace(day=1),
                "next": following,
                "today": today,
                "window_fields": [("month", month.strftime("%Y-%m"))],
            },
        )

    def layout(self, first, last, shown, more):
        weeks = []
        day = first
        while day < last:
            week = []
            for _offset in range(7):
                week.append(
                    {
                        "number": day.day,
                        "date": day,
                        "iso": day.isoformat(),
                        "outside": day.month != self.month.month,
                        "today": day == self.today,
                        "items": shown.get(day, []),
                        "more": more.get(day, 0),
                    }
                )
                day += timedelta(days=1)
            weeks.append(week)
        return {"weeks": weeks, "weekdays": [WEEKDAYS[index] for index in range(7)]}


class WeekView(CalendarWindowView):
    template_name = "calendar_app/week.html"
    view_name = "week"
    per_day = WEEK_PER_DAY

    def window(self, request):
        today = timezone.localdate()
        day = _day_asked(request, "date", today)
        monday = day - timedelta(days=day.weekday())
        return (
            monday,
            monday + timedelta(days=7),
            {
                "previous": monday - timedelta(days=7),
                "next": monday + timedelta(days=7),
                "today": today,
                "window_fields": [("date", monday.isoformat())],
            },
        )

    def layout(self, first, last, shown, more):
        days = [first + timedelta(days=n) for n in range(7)]
        return {"days": [(day, shown.get(day, []), more.get(day, 0)) for day in days]}


class AgendaView(CalendarWindowView):
    """A list from a day on: whole days, up to AGENDA_LIMIT occurrences (at least one day, capped)."""

    template_name = "calendar_app/agenda.html"
    view_name = "agenda"
    per_day = AGENDA_LIMIT
    rows = AGENDA_LIMIT

    def window(self, request):
        today = timezone.localdate()
        first = _day_asked(request, "start", today)
        return (
            first,
            first + timedelta(days=AGENDA_DAYS),
            {
                "previous": first - timedelta(days=AGENDA_DAYS),
                "today": today,
                "window_fields": [("start", first.isoformat())],
            },
        )

    def choose(self, by_day, totals):
        # Whole days only: a day cut by the row cap moves to the next page (unless it is the only one).
        days = sorted(by_day)
        self.cut = sum(len(items) for items in by_day.values()) >= self.rows
        if self.cut and len(days) > 1 and len(by_day[days[-1]]) < totals[days[-1]]:
            days = days[:-1]
        return {day: by_day[day] for day in days}, {}

    def layout(self, first, last, shown, more):
        days = sorted(shown)
        # "Later" goes on after the last day shown when the list was cut, else after the window.
        following = days[-1] + timedelta(days=1) if self.cut else last
        return {"days": [(day, shown[day]) for day in days], "next": following, "cut": self.cut}
