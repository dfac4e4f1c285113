"""An event's pages: creating and editing it (clashes shown before saving), its page, sharing, cancelling,
its occurrences edited or cancelled one by one, answers (RSVP) and the organisers' list of attendees; and
the Secretariat's clashes across the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from calendar_app import rules, selectors, services
from calendar_app.forms import ClashRangeForm, EventForm, OccurrenceForm, RsvpForm
from calendar_app.models import Event, Occurrence, RsvpResponse
from calendar_app.recurrence import expand, occurrence_key, parse_occurrence_key
from core.forms import add_service_error
from core.templatetags.zones import zone_title
from directory import sharing
from directory.forms import started_in_group
from directory.mixins import ObjectActionMixin, SecretariatRequiredMixin, VisibleObjectMixin
from directory.views.share import ShareView
from library.selectors import resources_for


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.get_current_timezone())


def _clash_check(request, form, event: Event | None):
    """The overlapping events to show before saving (none if the organiser saves anyway), offering the
    "save anyway" box when there are some."""
    if form.save_anyway:
        return []
    found = selectors.clashes_of_planned(request.user, form.cleaned_data, exclude=event)
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
