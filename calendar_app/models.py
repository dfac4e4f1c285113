"""The joint calendar: events with an audience, their occurrences, RSVPs, subscription feeds, reminders.

Times are stored in UTC; ``Event.time_zone`` is the organiser's zone, in which the event was entered and in
which a recurrence is expanded (a weekly 10:00 meeting in Geneva stays at 10:00 across daylight saving).

A recurring event (a *series*) keeps its RFC 5545 rule (``rrule``, always bounded: see
``calendar_app.recurrence``), its cancelled occurrences (``exdates``) and its edited occurrences (override
rows: events whose ``parent`` is the series and whose ``recurrence_id`` is the original start of the
occurrence they replace). Occurrences are expanded once, when the event is saved, into ``Occurrence`` rows
(at most 500 per series): the month, week and agenda views, the clash check and the reminders then read
the rows of their window by index, whatever the length of the series.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from calendar_app.repeat import in_words, stored_until
from core.audit import track_links
from directory.access import AudienceModel
from directory.models import Organization, Pillar

#: The longest an event (one occurrence) may last: the window queries rely on it to stay index range scans.
MAX_DURATION = timedelta(days=31)


class EventType(models.TextChoices):
    COMPACT_MEETING = "compact_meeting", _("Compact meeting")
    WG_MEETING = "wg_meeting", _("Working Group meeting")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")
    MISSION = "mission", _("Country visit or mission")
    DEADLINE = "deadline", _("Deadline")


class EventStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


def new_uid() -> str:
    return f"{uuid.uuid4()}@compact-platform"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["ics", "search_vector"],
)
class Event(AudienceModel):
    """A meeting, conference, training, webinar, mission or deadline, for the audience its owner chose."""

    #: An owner may list an event on the public pages (upcoming public events).
    allows_public = True

    uid = models.CharField(_("UID"), max_length=255, default=new_uid, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    event_type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all-day event"), default=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True, db_index=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("co-organising organisations"),
        help_text=_("Organisations that organise it with the owner."),
    )
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="+", verbose_name=_("GCTS pillars"))
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("tags"))
    related_resources = models.ManyToManyField(
        "library.Resource", blank=True, related_name="+", verbose_name=_("related library resources")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.CONFIRMED
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    rrule = models.CharField(_("repeats"), max_length=500, blank=True)
    #: Original starts (UTC) of the cancelled occurrences of a series.
    exdates = ArrayField(models.DateTimeField(), default=list, blank=True)
    #: The end of the last occurrence: the series' extent, for the feeds' time window.
    series_end = models.DateTimeField(null=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="overrides", editable=False
    )
    #: For an edited occurrence: the original start (UTC) of the occurrence of ``parent`` it replaces.
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)
    #: RFC 5545 SEQUENCE: bumped by every change calendar clients must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    #: The event's VEVENT as sent in feeds, rendered when it is saved (a feed joins them, see ical.py).
    ics = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: What the global search matches (title A, description B, place C), English-stemmed like projects and
    #: CTED's recommendations. Computed by PostgreSQL from the row itself (a stored generated column), so
    #: every write — services, the demo, the bench's set-based rows — keeps it current with no hook to forget.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config="english", weight="A")
        + SearchVector("description", config="english", weight="B")
        + SearchVector("venue", "city", config="english", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["parent", "recurrence_id"],
                condition=models.Q(parent__isnull=False),
                name="event_one_override_per_occurrence",
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "series_end"], name="event_visibility_idx"),
            models.Index(fields=["owner", "series_end"], name="event_owner_idx"),
            models.Index(fields=["working_group", "series_end"], name="event_wg_idx"),
            models.Index(fields=["series_end"], name="event_series_end_idx"),
            models.Index(fields=["-updated_at"], name="event_updated_idx"),
            # The API's list, in the calendar's order: its first page walks this index and stops after a
            # page of readable events, instead of sorting every readable one (55 ms → 0.4 ms at 50,000).
            models.Index(fields=["start", "id"], name="event_start_idx"),
            GinIndex(fields=["search_vector"], name="event_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calendar_app:detail", kwargs={"pk": self.pk})

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def repeats_in_words(self) -> str:
        """How the series repeats, in the reader's language ("every month on the third Thursday, until …")."""
        return in_words(self.rrule, until=stored_until(self)) if self.rrule else ""

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def series(self) -> Event:
        """The event RSVPs and attendees belong to: the series for an edited occurrence, else itself."""
        return self.parent if self.parent_id else self


class EventUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("event shared with a person")


class EventGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("event shared with a group")


track_links(
    Event,
    grants=(EventUserGrant, EventGroupGrant),
    links={
        "audience_organizations": "EventAudienceOrganizationEvent",
        "organizations": "EventOrganizationEvent",
    },
)


class Occurrence(models.Model):
    """One occurrence of an event, expanded when the event is saved (derived data, not audited).

    It carries copies of its event's audience columns (owner, visibility, Working Group) and ``all_day``,
    kept by ``services.refresh`` (every write of an event goes through it): a window of the calendar is
    then one index range scan of this table with the audience rule checked on the same rows, never a
    scan or a hash of the events table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField()
    end = models.DateTimeField()
    owner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=16)
    working_group = models.ForeignKey(
        "directory.WorkingGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    all_day = models.BooleanField(default=False)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            # The windows read this index alone (index-only scans): start range, then the rest as payload.
            models.Index(
                fields=["start"],
                include=["end", "event", "owner", "visibility", "working_group", "all_day"],
                name="occurrence_window_idx",
            ),
            # A Working Group's next meetings (its space's "upcoming" block, the month view filtered by it).
            models.Index(fields=["working_group", "start"], name="occurrence_wg_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["event", "start"], name="occurrence_once")]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.start:%Y-%m-%d %H:%M}"


class RsvpResponse(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    MAYBE = "maybe", _("Maybe")
    NOT_ATTENDING = "not_attending", _("Not attending")
    WAITING = "waiting", _("On the waiting list")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Rsvp(models.Model):
    """A person's answer to an event (a series as a whole); beyond capacity, a place on the waiting list."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(_("answer"), max_length=16, choices=RsvpResponse.choices)
    #: When the person joined the waiting list: the order of promotion.
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["event", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_once_per_person")]
        indexes = [
            models.Index(fields=["user", "response"], name="rsvp_user_idx"),
            models.Index(fields=["event", "response", "waiting_since"], name="rsvp_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id}: {self.response}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedQuerySet(models.QuerySet):
    def by_token(self, token: str):
        """The live feed whose URL carries ``token``; only its SHA-256 is stored."""
        return self.filter(token_digest=token_digest(token), revoked_at__isnull=True)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Feed(models.Model):
    """A personal iCalendar subscription: a secret URL serving the events its owner may see, filtered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    # Only a digest: a database leak must not hand out working feed URLs.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    my_working_groups = models.BooleanField(_("only events of my Working Groups"), default=False)
    working_group = models.ForeignKey(
        "directory.WorkingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only this Working Group"),
    )
    event_types = ArrayField(
        models.CharField(max_length=20, choices=EventType.choices),
        default=list,
        blank=True,
        verbose_name=_("only these types"),
    )
    attending_only = models.BooleanField(_("only events I attend"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """A new random token for the URL (the previous one stops working); the database keeps its digest."""
        token = secrets.token_urlsafe(32)
        self.token_digest = token_digest(token)
        return token


class Reminder(models.Model):
    """A reminder sent: claimed (inserted) before the email is enqueued, so each (occurrence, person) gets
    exactly one, even after a retry or with two runs at once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    occurrence_start = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "occurrence_start", "user"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.occurrence_start} → {self.user_id}"
