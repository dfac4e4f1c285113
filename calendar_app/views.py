"""Calendar pages: thin — parse, call a selector or a service, render (in the viewer's time zone)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.http import http_date, parse_http_date_safe
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from calendar_app import ical, rules, selectors, services
from calendar_app.filters import EventFilter
from calendar_app.forms import ClashRangeForm, EventForm, FeedForm, OccurrenceForm, RsvpForm
from calendar_app.models import Event, EventStatus, Feed, Occurrence, RsvpResponse
from calendar_app.recurrence import expand, occurrence_key, parse_occurrence_key
from core import audit, tables
from core.forms import BoundedDateField, add_service_error, from_query
from core.models import SecurityEventKind
from core.templatetags.zones import zone_label, zone_title
from directory import sharing
from directory.forms import started_in_group
from directory.mixins import ObjectActionMixin, SecretariatRequiredMixin, VisibleObjectMixin
from directory.models import Membership, Organization
from directory.privacy import contact_card
from directory.views.share import ShareView
from library.selectors import resources_for

MAX_PER_DAY = 4
WEEK_PER_DAY = 25
AGENDA_DAYS = 31
AGENDA_LIMIT = 200


def _day_asked(request, name: str, default: date, *, input_format: str = "%Y-%m-%d") -> date:
    """The day a window starts from, as the URL gives it; today's window, with a message, for a value that
    is no date the calendar holds (a window around year 1 or 9999 would overflow)."""
    return from_query(request, name, BoundedDateField(required=False, input_formats=[input_format]), default)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.get_current_timezone())


def filter_controls(filters: EventFilter) -> list[dict]:
    """The filter form as plain data for one template loop, the options of each list joined in Python:
    Django's per-option widget templates cost ~0.1 ms an option, a template loop ~15 µs, and the
    organisation and country lists hold hundreds."""
    form = filters.form
    data = filters.data or {}
    controls = []
    for name, field in form.fields.items():
        bound = form[name]
        current = str(data.get(name) or "")
        control = {
            "name": name,
            "id": bound.id_for_label,
            "label": field.label,
            "errors": bound.errors if filters.is_bound else [],
            "checkbox": isinstance(field.widget, forms.CheckboxInput),
            "checked": bool(current),
            "options": "",
        }
        if control["checkbox"]:
            pass
        elif getattr(field, "queryset", None) is not None and field.queryset.model is Organization:
            # Hundreds of organisations: their names as tuples, not model instances.
            rows = field.queryset.values_list("pk", "acronym", "name")
            choices = ((str(pk), acronym or name) for pk, acronym, name in rows)
            control["options"] = _options(choices, current)
        else:
            choices = ((str(value), label) for value, label in field.choices if str(value) != "")
            control["options"] = _options(choices, current)
        controls.append(control)
    return controls


def _options(choices, current: str) -> str:
    # Every value and label is escaped here (html.escape: a tenth of format_html's cost per option).
    options = []
    for value, label in choices:
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308


@dataclass
class Item:
    """An occurrence as a page shows it, its times already written in the viewer's zone (a template filter
    per item costs more than the rest of the cell)."""

    occurrence: selectors.Slot
    continues: bool  # a later day of a multi-day event
    starts: str  # "09:30", "All day" or "cont."
    ends: str  # "11:00", or "" for all-day events and later days

    @property
    def event(self) -> Event:
        return self.occurrence.event

    @property
    def cancelled(self) -> bool:
        return self.occurrence.event.status == EventStatus.CANCELLED


def _item(slot, *, continues: bool, zone, labels: tuple[str, str]) -> Item:
    all_day, later = labels
    if slot.all_day:
        return Item(slot, continues, all_day, "")
    if continues:
        return Item(slot, continues, later, "")
    return Item(
        slot,
        continues,
        slot.start.astimezone(zone).strftime("%H:%M"),
        slot.end.astimezone(zone).strftime("%H:%M"),
    )


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
        by_day: dict[date, list[Item]] = defaultdict(list)
        totals: dict[date, int] = {}
        labels = (_("All day"), _("cont."))
        for entry in found:
            by_day[entry.day].append(_item(entry.slot, continues=entry.continues, zone=zone, labels=labels))
            totals[entry.day] = entry.total
        shown, more = self.choose(by_day, totals)
        selectors.attach_events([item.occurrence for items in shown.values() for item in items])
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

    def choose(self, by_day: dict[date, list[Item]], totals: dict[date, int]) -> tuple[dict, dict]:
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


# --- Events -----------------------------------------------------------------------------------------------


def _clash_check(request, form, event: Event | None):
    """The overlapping events to show before saving (empty if none, or if the organiser saves anyway)."""
    if form.save_anyway:
        return []
    cleaned = form.cleaned_data
    duration = cleaned["end"] - cleaned["start"]
    zone_name = "UTC" if cleaned.get("all_day") else cleaned.get("time_zone", "UTC")
    starts = expand(rule=cleaned.get("rrule") or "", start=cleaned["start"], time_zone=zone_name)[:60]
    organizations = [cleaned["owner"], *cleaned.get("organizations", [])]
    found = selectors.clashes(
        cleaned["start"],
        cleaned["end"],
        working_group=cleaned.get("working_group"),
        countries=[cleaned.get("country")],
        organizations=organizations,
        user=request.user,
        exclude=event,
        intervals=[(moment, moment + duration) for moment in starts],
    )
    if found:
        form.offer_save_anyway()
    return found


class EventCreateView(LoginRequiredMixin, View):
    def get(self, request):
        form = EventForm(user=request.user)
        form.start_audience(request.user, started_in_group(request))
        return render(request, "calendar_app/form.html", {"form": form})

    def post(self, request):
        form = EventForm(request.POST, user=request.user)
        if form.is_valid():
            found = _clash_check(request, form, None)
            if not found:
                event = services.save_event(form=form, by=request.user)
                messages.success(request, _("Event saved."))
                return redirect(event)
            return render(request, "calendar_app/form.html", {"form": form, "clashes": found})
        return render(request, "calendar_app/form.html", {"form": form})


class EventDetailView(VisibleObjectMixin, View):
    model = Event
    select_related = ("owner", "author", "working_group", "parent")

    def get(self, request, pk):
        event = self.get_object()
        series = event.series
        may_change = rules.can_change_event(request.user, event)
        # All-day events are dates (stored at midnight UTC, the end exclusive): never shifted by a zone.
        last_day = (event.end.astimezone(UTC) - timedelta(microseconds=1)).date()
        now = timezone.now()
        upcoming = (
            list(Occurrence.objects.filter(event=event, end__gte=now).order_by("start")[:10])
            if event.rrule
            else []
        )
        context = {
            # Documents of the meeting: each only if the reader may see it.
            "related_resources": resources_for(request.user).filter(
                pk__in=Event.related_resources.through.objects.filter(event_id=event.pk).values("resource_id")
            ),
            "event": event,
            "series": series,
            "audience": sharing.describe(event),
            "may_change": may_change,
            "may_share": rules.can_share_event(request.user, event),
            "rsvp": selectors.rsvp_of(request.user, event),
            "counts": selectors.counts(event),
            "rsvp_form": RsvpForm(),
            "upcoming": [(occurrence, occurrence_key(occurrence.start)) for occurrence in upcoming],
            "zone_key": str(timezone.get_current_timezone()),
            "zone_name": zone_title(str(timezone.get_current_timezone())),
            "organiser_zone": event.time_zone,
            "last_day_date": last_day,
            "last_day": last_day.isoformat(),
            "co_organizers": list(event.organizations.order_by("name")),
            "pillars": list(event.pillars.all()),
            "overrides": list(event.overrides.order_by("recurrence_id"))
            if event.rrule and may_change
            else [],
        }
        return render(request, "calendar_app/detail.html", context)


class EventEditView(ObjectActionMixin, View):
    model = Event

    def get(self, request, pk):
        event = self.get_object()
        return render(
            request,
            "calendar_app/form.html",
            {"form": EventForm(instance=event, user=request.user), "event": event},
        )

    def post(self, request, pk):
        event = self.get_object()
        when = (event.start, event.end, event.rrule)
        form = EventForm(request.POST, instance=event, user=request.user)
        if form.is_valid():
            # Clashes are checked when an event is created or moved, not at every edit of its text.
            moved = when != (form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["rrule"])
            found = _clash_check(request, form, event) if moved else []
            if not found:
                services.save_event(form=form, by=request.user)
                messages.success(request, _("Event updated."))
                return redirect(event)
            return render(request, "calendar_app/form.html", {"form": form, "event": event, "clashes": found})
        return render(request, "calendar_app/form.html", {"form": form, "event": event})


class EventShareView(ShareView):
    model = Event

    def apply(self, obj, *, by, users, organizations, unshare: bool) -> None:
        services.share_event(event=obj, by=by, users=users, organizations=organizations, unshare=unshare)


class EventCancelView(ObjectActionMixin, View):
    model = Event

    def get(self, request, pk):
        return render(request, "calendar_app/cancel.html", {"event": self.get_object()})

    def post(self, request, pk):
        event = self.get_object()
        services.cancel_event(event=event, by=request.user)
        messages.success(
            request, _("Event cancelled. Calendars that subscribe to it will show it cancelled.")
        )
        return redirect(event)


class OccurrenceMixin(ObjectActionMixin):
    """One occurrence of a series the user may change; an unknown occurrence is a 404."""

    model = Event

    def occurrence(self):
        series = self.get_object()
        original = parse_occurrence_key(self.kwargs["key"])
        if not series.rrule or original is None:
            raise Http404
        starts = expand(rule=series.rrule, start=series.start, time_zone=services.expansion_zone(series))
        if original not in starts:
            raise Http404
        override = series.overrides.filter(recurrence_id=original).first()
        return series, original, override


class OccurrenceEditView(OccurrenceMixin, View):
    def form(self, request, series, original, override, data=None):
        current = override or series
        start = override.start if override else original
        end = start + (current.end - current.start)
        form = OccurrenceForm(data, series=series, start=start, end=end)
        if data is None:
            form.initial.update(
                {
                    name: getattr(current, name)
                    for name in ("title", "venue", "city", "online_url", "description")
                }
            )
        return form

    def get(self, request, pk, key):
        series, original, override = self.occurrence()
        form = self.form(request, series, original, override)
        return render(
            request,
            "calendar_app/occurrence_form.html",
            {"form": form, "event": series, "original": original},
        )

    def post(self, request, pk, key):
        series, original, override = self.occurrence()
        form = self.form(request, series, original, override, data=request.POST)
        if form.is_valid():
            try:
                edited = services.save_occurrence(
                    series=series, original_start=original, data=form.changes(), by=request.user
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("This occurrence was changed; the rest of the series is unchanged.")
                )
                return redirect(edited)
        return render(
            request,
            "calendar_app/occurrence_form.html",
            {"form": form, "event": series, "original": original},
        )


class OccurrenceCancelView(OccurrenceMixin, View):
    def get(self, request, pk, key):
        series, original, _override = self.occurrence()
        return render(request, "calendar_app/cancel.html", {"event": series, "original": original})

    def post(self, request, pk, key):
        series, original, _override = self.occurrence()
        services.cancel_occurrence(series=series, original_start=original, by=request.user)
        messages.success(request, _("This occurrence was cancelled; the rest of the series is unchanged."))
        return redirect(series)


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


# --- RSVP and attendees -----------------------------------------------------------------------------------


class RsvpView(VisibleObjectMixin, View):
    model = Event
    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_object()
        form = RsvpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose attending, maybe or not attending."))
            return redirect(event)
        try:
            rsvp = services.respond(event=event, user=request.user, response=form.cleaned_data["response"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(event)
        if rsvp.response == RsvpResponse.WAITING:
            messages.info(request, _("The event is full: you are on the waiting list."))
        else:
            messages.success(
                request, _("Your answer is recorded: %(answer)s.") % {"answer": rsvp.get_response_display()}
            )
        return redirect(event)


class AttendeesView(ObjectActionMixin, View):
    """The answers, for the event's organisers (who may change it)."""

    model = Event

    def get(self, request, pk):
        event = self.get_object()
        return render(
            request,
            "calendar_app/attendees.html",
            {"event": event, "rsvps": list(selectors.attendees(event)), "counts": selectors.counts(event)},
        )


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


# --- Feeds ------------------------------------------------------------------------------------------------


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_app:feed", kwargs={"token": token}))


class FeedListView(LoginRequiredMixin, View):
    def get(self, request):
        return self.render(request, FeedForm(user=request.user))

    def post(self, request):
        form = FeedForm(request.POST, user=request.user)
        if form.is_valid():
            feed, token = services.create_feed(form=form, by=request.user)
            messages.success(request, _("Feed created. Copy its address now: it is shown only once."))
            return self.render(
                request, FeedForm(user=request.user), new_url=feed_url(request, token), new_feed=feed
            )
        return self.render(request, form)

    def render(self, request, form, **extra):
        return render(
            request,
            "calendar_app/feeds.html",
            {"form": form, "feeds": list(selectors.feeds_of(request.user)), **extra},
        )


class FeedActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def feed(self, request, pk) -> Feed:
        return get_object_or_404(Feed, pk=pk, user_id=request.user.pk, revoked_at__isnull=True)


class FeedRegenerateView(FeedActionView):
    def post(self, request, pk):
        feed = self.feed(request, pk)
        token = services.regenerate_feed(feed=feed, by=request.user)
        messages.success(
            request, _("New address made; the old one no longer works. Copy it now: it is shown once.")
        )
        return render(
            request,
            "calendar_app/feeds.html",
            {
                "form": FeedForm(user=request.user),
                "feeds": list(selectors.feeds_of(request.user)),
                "new_url": feed_url(request, token),
                "new_feed": feed,
            },
        )


class FeedRevokeView(FeedActionView):
    def post(self, request, pk):
        services.revoke_feed(feed=self.feed(request, pk), by=request.user)
        messages.success(request, _("Feed revoked: its address no longer works."))
        return redirect("calendar_app:feeds")


def _not_found() -> HttpResponse:
    # The same plain answer for a malformed, unknown, regenerated or revoked token: no hint of existence.
    return HttpResponse(b"Not found", status=404, content_type="text/plain")


class FeedView(View):
    """A subscription feed, for calendar clients (no session: the token is the credential). Conditional
    requests are answered from a version computed without reading the events."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        feed = selectors.live_feed(token)
        if feed is None:
            return _not_found()
        etag, last_modified = selectors.feed_version(feed)
        modified_stamp = int(last_modified.timestamp())
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            fresh = (
                etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
                or if_none_match.strip() == "*"
            )
        else:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            fresh = since is not None and modified_stamp <= since
        if fresh:
            response = HttpResponseNotModified()
        else:
            body = ical.feed(selectors.feed_rows(feed), name=feed.name)
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="calendar.ics"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified_stamp)
        response["Cache-Control"] = "private, no-cache"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- The Secretariat's clash view -------------------------------------------------------------------------


class ClashesView(SecretariatRequiredMixin, View):
    def get(self, request):
        today = timezone.localdate()
        form = ClashRangeForm(request.GET or {"start": today, "end": today + timedelta(days=90)})
        pairs = []
        if form.is_valid():
            start = _local_midnight(form.cleaned_data["start"])
            end = _local_midnight(form.cleaned_data["end"] + timedelta(days=1))
            pairs = selectors.clash_pairs(request.user, start=start, end=end)
        return render(
            request,
            "calendar_app/clashes.html",
            {"form": form, "pairs": pairs, "zone_name": zone_title(str(timezone.get_current_timezone()))},
        )
