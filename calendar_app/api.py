"""The calendar's API: events (read with the calendar's filters and a date range; created, edited and
cancelled through the event form and the calendar's services) and answers (RSVP).

A list row is an *event* as calendar clients keep it, never an expanded occurrence: a series comes once,
with its RFC 5545 rule (``rrule``), its cancelled occurrences (``exdates``) and, as rows of their own, its
edited occurrences (``parent`` and ``recurrence_id``) — exactly what the iCalendar feeds send. A program
that syncs a calendar (Outlook, a mobile app, another portal) needs the series as one object with a stable
``uid`` and ``sequence`` to update its copy in place; expanded occurrences would make it 500 unrelated
items, and a change of the series one change each. A date range (``start``/``end``) picks the events with
an occurrence in it, read from the occurrences the calendar's pages read (``selectors.between``).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time, timedelta

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.schema import form_serializer
from api.serializers import AudienceSerializer, OrganizationRef
from api.viewsets import FormWrites, ReadViewSet, ServiceDeletes, form_errors
from calendar_app import selectors, services
from calendar_app.filters import EventFilter
from calendar_app.forms import EventForm, RsvpForm, WhenFieldsMixin
from calendar_app.models import Event, EventStatus, EventType, RsvpResponse
from calendar_app.repeat import RepeatFieldsMixin
from core.forms import BoundedDateField
from library.forms import LibraryLinksMixin

#: The longest date range a list takes (the Secretariat's clashes page takes as much).
MAX_RANGE = timedelta(days=366)


class RangeForm(forms.Form):
    """The filters' form, with the range checked as the clashes page checks its own."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and not (start <= end <= start + MAX_RANGE):
            self.add_error("end", gettext_lazy("Give a range of at most a year, ending after it starts."))
        return cleaned


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


def _midnight(day) -> datetime:
    return datetime.combine(day, time(), UTC)


class EventRangeFilter(EventFilter):
    """The calendar's filters (organisation, Working Group, type, country, pillar, attending) and a range
    of days in UTC, both included: the events with an occurrence in it."""

    start = BoundedDateFilter(label=gettext_lazy("From"), method="no_filter")
    end = BoundedDateFilter(label=gettext_lazy("To"), method="no_filter")

    class Meta:
        form = RangeForm

    def no_filter(self, queryset, name, value):
        return queryset  # both bounds at once, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
        if start is None and end is None:
            return queryset
        return selectors.between(
            queryset,
            start=_midnight(start) if start else None,
            end=_midnight(end + timedelta(days=1)) if end else None,
        )


class RsvpCounts(serializers.Serializer):
    """How many answered what, as the event's page shows it."""

    attending = serializers.IntegerField(read_only=True)
    maybe = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)


class EventSerializer(AudienceSerializer):
    """An event, a series (``rrule``) or an edited occurrence of one (``parent``, ``recurrence_id``); times
    in UTC, ``time_zone`` the organiser's (a series repeats in it); an all-day event runs from ``start``'s
    date to the day before ``end`` (dates, never shifted by a zone)."""

    event_type = serializers.ChoiceField(choices=EventType.choices, read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    organizations = OrganizationRef(many=True, read_only=True)
    pillars = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    repeats = serializers.CharField(source="repeats_in_words", read_only=True)
    exdates = serializers.ListField(child=serializers.DateTimeField(), read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    recurrence_id = serializers.DateTimeField(read_only=True, allow_null=True)
    series_end = serializers.DateTimeField(read_only=True, allow_null=True)
    rsvp_counts = serializers.SerializerMethodField()
    my_answer = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Event
        fields = (
            "id", "uid", "sequence", "title", "event_type", "status", "description", "start", "end",
            "all_day", "time_zone", "rrule", "repeats", "exdates", "series_end", "parent", "recurrence_id",
            "venue", "city", "country", "online_url", *AudienceSerializer.AUDIENCE_FIELDS, "organizations",
            "pillars", "tags", "capacity", "rsvp_counts", "my_answer", "created_at", "updated_at", "web_url",
        )  # fmt: skip

    @extend_schema_field(RsvpCounts)
    def get_rsvp_counts(self, event):
        return RsvpCounts(event.rsvp_counts).data  # set by the view's prepare_rows (one query per page)

    @extend_schema_field(serializers.ChoiceField(choices=RsvpResponse.choices, allow_null=True))
    def get_my_answer(self, event):
        return event.my_answer


class RsvpSerializer(serializers.Serializer):
    """The caller's answer (beyond the capacity, "attending" puts them on the waiting list)."""

    response = serializers.ChoiceField(choices=RsvpForm.base_fields["response"].choices)


def _write_fields() -> dict[str, forms.Field]:
    """The event form's fields, including those it adds when made (the start and end as date and time in
    the organiser's zone, the repeat picker, the library links, "save anyway"): for the schema only."""

    class Fields(WhenFieldsMixin, RepeatFieldsMixin):
        fields = copy.deepcopy(EventForm.base_fields)

    described = Fields()
    described.when_fields()
    described.repeat_fields()
    LibraryLinksMixin.add_attachments_field(described, None, label=gettext_lazy("Related library resources"))
    described.fields["save_anyway"] = forms.BooleanField(required=False)
    return described.fields


EventBody = form_serializer(
    type("EventForm", (), {"base_fields": _write_fields(), "__doc__": "An event, as its form takes it."}),
    "EventBody",
)


@extend_schema(tags=["calendar"])
class EventViewSet(ServiceDeletes, FormWrites, ReadViewSet):
    """Events the caller may read, by start, with the calendar's filters and a range of days. Writing takes
    the event form's fields (start and end as dates and times in ``time_zone``); an event that overlaps
    others of the same Working Group, country or organisation is refused (400, ``save_anyway``) unless
    ``save_anyway`` is true, as the page asks first. Deleting cancels the event (or the whole series):
    it stays, sent to subscribed calendars as cancelled, and its attendees are told — as the page's
    "cancel" does (the calendar deletes nothing a calendar client may hold a copy of)."""

    module = "calendar"
    serializer_class = EventSerializer
    filterset_class = EventRangeFilter
    ordering = ("start", "pk")
    form_class = EventForm
    # Cancelling is the page's "cancel": the change rule (the owner's people and "change" grants).
    delete_rule = "change"

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .select_related("owner", "working_group")
            .prefetch_related("organizations", "pillars")
            .defer("ics", "search_vector")
        )

    def prepare_rows(self, rows):
        counts = selectors.counts_of(rows)
        answers = selectors.answers_of(self.request.user, rows)
        for event in rows:
            event.rsvp_counts = counts[event.pk]
            event.my_answer = answers.get(event.pk)
        return rows

    def save(self, form, *, by):
        instance = form.instance
        moved = instance.pk is None or (
            (instance.start, instance.end, instance.rrule)
            != (Event.objects.values_list("start", "end", "rrule").get(pk=instance.pk))
        )
        # As the page: clashes are checked when an event is created or moved, not at every edit of its text.
        # "save_anyway" is a field the page's form adds once it has shown the clashes: read from the body.
        save_anyway = forms.BooleanField(required=False).clean(self.request.data.get("save_anyway"))
        if moved and not save_anyway:
            found = selectors.clashes_of_planned(
                by, form.cleaned_data, exclude=instance if instance.pk else None
            )
            if found:
                names = "; ".join(
                    f"{clash.occurrence.event.title} ({clash.occurrence.event_id})" for clash in found
                )
                raise ValidationError({"save_anyway": [f"{_('Overlapping events')}: {names}"]})
        return services.save_event(form=form, by=by)

    def destroy_object(self, obj, *, by):
        services.cancel_event(event=obj, by=by)

    @extend_schema(request=EventBody)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=EventBody)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=EventBody)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=RsvpSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        """Answer the event (a series as a whole), as its page's "Will you attend?" does."""
        event = self.get_object()
        form = RsvpForm(request.data)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        try:
            services.respond(event=event, user=request.user, response=form.cleaned_data["response"])
        except forms.ValidationError as refused:
            raise ValidationError({"response": refused.messages}) from None
        return Response(self.get_serializer(self.get_object()).data)


ROUTES = [("calendar/events", EventViewSet, "calendar-event")]
