"""Calendar forms: events (entered in the organiser's time zone), edited occurrences, RSVPs, feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calendar_app.models import MAX_DURATION, Event, EventType, Feed, Rsvp, RsvpResponse
from calendar_app.recurrence import is_time_zone, local_to_utc, normalise, zone, zone_choices
from calendar_app.repeat import (
    COUNT,
    CUSTOM,
    DAILY,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    REPEAT_FIELDS,
    UNTIL,
    WEEKLY,
    YEARLY,
    RepeatFieldsMixin,
    stored_until,
)
from core.forms import BoundedDateField, FieldGroupsMixin, StyledFormMixin, TagListField
from directory.access import viewer
from directory.filters import member_state_choices
from directory.forms import AudienceFormMixin
from directory.models import Organization, Pillar, WorkingGroup
from directory.profiles import zone_of
from library.forms import LibraryLinksMixin

MAX_TAGS = 10


class HttpsURLField(forms.URLField):
    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WhenFieldsMixin:
    """Start and end as a date and a time each, read as wall-clock time in a time zone. The dates are bounded
    (``BoundedDateField``): an all-day end is the next midnight, and a zone moves a time across a day."""

    def when_fields(self) -> None:
        self.fields["start_date"] = BoundedDateField(
            label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        self.fields["start_time"] = forms.TimeField(
            label=_("Start time"),
            required=False,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            help_text=_("Not needed for an all-day event."),
        )
        self.fields["end_date"] = BoundedDateField(
            label=_("End date"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("Leave empty if it ends on the day it starts."),
        )
        self.fields["end_time"] = forms.TimeField(
            label=_("End time"),
            required=False,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )

    def initial_when(self, start: datetime, end: datetime, *, time_zone: str, all_day: bool) -> None:
        if all_day:
            self.initial.update(
                start_date=start.astimezone(UTC).date(), end_date=(end - timedelta(days=1)).date()
            )
            return
        local_start, local_end = start.astimezone(zone(time_zone)), end.astimezone(zone(time_zone))
        self.initial.update(
            start_date=local_start.date(),
            start_time=local_start.time().replace(second=0, microsecond=0),
            end_date=local_end.date(),
            end_time=local_end.time().replace(second=0, microsecond=0),
        )

    def clean_when(self, cleaned: dict, *, time_zone: str, all_day: bool) -> tuple[datetime, datetime] | None:
        start_date: date | None = cleaned.get("start_date")
        if start_date is None:
            return None
        end_date: date = cleaned.get("end_date") or start_date
        if all_day:
            if end_date < start_date:
                self.add_error("end_date", _("The end is before the start."))
                return None
            start = datetime.combine(start_date, time(), UTC)
            end = datetime.combine(end_date + timedelta(days=1), time(), UTC)
        else:
            if cleaned.get("start_time") is None:
                self.add_error("start_time", _("Give the start time, or tick “all-day event”."))
                return None
            end_time = cleaned.get("end_time") or cleaned["start_time"]
            start = local_to_utc(datetime.combine(start_date, cleaned["start_time"]), time_zone)
            end = local_to_utc(datetime.combine(end_date, end_time), time_zone)
            if end < start:
                self.add_error(
                    "end_time" if end_date == start_date else "end_date", _("The end is before the start.")
                )
                return None
        if end - start > MAX_DURATION:
            self.add_error("end_date", _("An event lasts at most 31 days; make it repeat instead."))
            return None
        return start, end


class EventForm(
    LibraryLinksMixin,
    WhenFieldsMixin,
    RepeatFieldsMixin,
    AudienceFormMixin,
    FieldGroupsMixin,
    forms.ModelForm,
):
    tags = TagListField(
        label=_("Tags"),
        required=False,
        max_tags=MAX_TAGS,
        max_tag_length=50,
        help_text=_("Separated by commas, e.g. border, aviation."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "event_type",
            "all_day",
            "time_zone",
            "rrule",
            "venue",
            "city",
            "country",
            "online_url",
            "description",
            "organizations",
            "pillars",
            "capacity",
            "tags",
            *AudienceFormMixin.audience_fields,
        ]
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "organizations": forms.SelectMultiple(attrs={"size": 6}),
            "audience_organizations": forms.SelectMultiple(attrs={"size": 6}),
            "pillars": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "capacity": _("Leave empty for no limit; beyond it, people join a waiting list."),
        }

    field_groups = ((_("Repeats"), REPEAT_FIELDS),)
    shown_when = {
        "repeat_every": ("repeat", [DAILY, WEEKLY, MONTHLY_DAY, MONTHLY_WEEKDAY, YEARLY]),
        "repeat_days": ("repeat", [WEEKLY]),
        "repeat_position": ("repeat", [MONTHLY_WEEKDAY]),
        "repeat_weekday": ("repeat", [MONTHLY_WEEKDAY]),
        "repeat_ends": ("repeat", [DAILY, WEEKLY, MONTHLY_DAY, MONTHLY_WEEKDAY, YEARLY]),
        "repeat_count": ("repeat_ends", [COUNT]),
        "repeat_until": ("repeat_ends", [UNTIL]),
        "rrule": ("repeat", [CUSTOM]),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_audience_choices(user)
        self.when_fields()
        self.repeat_fields()
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=[("", "—"), *member_state_choices()]
        )
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=zone_choices(),
            help_text=_("The organiser's zone: the times above are in it. Viewers see them in their own."),
        )
        self.fields["organizations"].queryset = Organization.objects.filter(is_active=True)
        self.fields["organizations"].required = False
        self.fields["pillars"].queryset = Pillar.objects.all()
        self.fields["pillars"].required = False
        current = self.instance.related_resources.all() if self.instance.pk else ()
        self.add_attachments_field(user, current, label=_("Related library resources"))
        if self.instance.pk:
            self.initial_when(
                self.instance.start,
                self.instance.end,
                time_zone=self.instance.time_zone,
                all_day=self.instance.all_day,
            )
            self.initial_repeat(self.instance.rrule, until=stored_until(self.instance))
        else:
            self.initial.setdefault("time_zone", zone_of(user).key)
        if self.data.get(self.add_prefix("save_anyway")) is not None:
            self.offer_save_anyway()
        self.order_fields(
            [
                "title",
                "event_type",
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "all_day",
                "time_zone",
                *REPEAT_FIELDS,
            ]
        )

    def offer_save_anyway(self) -> None:
        self.fields["save_anyway"] = forms.BooleanField(
            label=_("Save anyway: I have seen the overlapping events"), required=False
        )

    @property
    def save_anyway(self) -> bool:
        return bool(self.cleaned_data.get("save_anyway")) if hasattr(self, "cleaned_data") else False

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if not is_time_zone(name):
            raise ValidationError(_("Unknown time zone."))
        return name

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and self.instance.pk:
            attending = Rsvp.objects.filter(event=self.instance, response=RsvpResponse.ATTENDING).count()
            if capacity < attending:
                raise ValidationError(
                    _("%(count)d people already attend: the capacity cannot be lower.") % {"count": attending}
                )
        return capacity

    def clean(self):
        cleaned = super().clean()
        self.clean_audience(cleaned)
        all_day = bool(cleaned.get("all_day"))
        time_zone = cleaned.get("time_zone") or "UTC"
        when = self.clean_when(cleaned, time_zone=time_zone, all_day=all_day)
        if when is None:
            return cleaned
        cleaned["start"], cleaned["end"] = when
        picked = self.picked_rule(cleaned)
        # A refused rule is said where the person chose it: the picker, or the custom rule's box.
        where = "rrule" if cleaned.get("repeat") == CUSTOM or not cleaned.get("repeat") else "repeat"
        try:
            cleaned["rrule"] = normalise(
                picked, start=cleaned["start"], time_zone="UTC" if all_day else time_zone
            )
        except ValidationError as error:
            self.add_error(where, error)
        if self.instance.pk and self.instance.parent_id and cleaned.get("rrule"):
            self.add_error(where, _("An edited occurrence cannot repeat."))
        return cleaned

    def _post_clean(self):
        # Start and end are computed from four fields and the zone: set before the model's own validation.
        if "start" in getattr(self, "cleaned_data", {}):
            self.instance.start = self.cleaned_data["start"]
            self.instance.end = self.cleaned_data["end"]
        super()._post_clean()


class OccurrenceForm(WhenFieldsMixin, StyledFormMixin, forms.Form):
    """One occurrence of a series, edited: what may differ from the series."""

    title = forms.CharField(label=_("Title"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, series: Event, start: datetime, end: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.when_fields()
        self.order_fields(["title", "start_date", "start_time", "end_date", "end_time"])
        self.initial_when(start, end, time_zone=series.time_zone, all_day=series.all_day)

    def clean(self):
        cleaned = super().clean()
        when = self.clean_when(cleaned, time_zone=self.series.time_zone, all_day=self.series.all_day)
        if when is not None:
            cleaned["start"], cleaned["end"] = when
        return cleaned

    def changes(self) -> dict:
        keys = ("title", "venue", "city", "online_url", "description", "start", "end")
        return {key: self.cleaned_data[key] for key in keys}


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (RsvpResponse.ATTENDING, RsvpResponse.ATTENDING.label),
            (RsvpResponse.MAYBE, RsvpResponse.MAYBE.label),
            (RsvpResponse.NOT_ATTENDING, RsvpResponse.NOT_ATTENDING.label),
        ]
    )


class FeedForm(StyledFormMixin, forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("Only these types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )

    class Meta:
        model = Feed
        fields = ["name", "my_working_groups", "working_group", "event_types", "attending_only"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        who = viewer(user)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(
            pk__in=who.working_group_ids if who else ()
        )
        self.fields["working_group"].help_text = _("A feed of one of your Working Groups.")


class ClashRangeForm(StyledFormMixin, forms.Form):
    start = BoundedDateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = BoundedDateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and not (start <= end <= start + timedelta(days=366)):
            self.add_error("end", _("Give a range of at most a year, ending after it starts."))
        return cleaned
