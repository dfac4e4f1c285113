"""Writing the calendar: events, edited and cancelled occurrences, RSVPs, feeds and reminders.

Every write checks ``policy.can`` and runs in a transaction; the models are tracked by pghistory, so every
change is in the audit trail with its user and URL. After an event is saved its derived data is refreshed
(``refresh``): the occurrences of its window queries, its extent and its stored VEVENT.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from calendar_app import ical, rules
from calendar_app.models import (
    Event,
    EventStatus,
    Feed,
    Occurrence,
    Reminder,
    Rsvp,
    RsvpResponse,
)
from calendar_app.recurrence import expand
from core.i18n import in_each_readers_language
from core.tasks import enqueue, send_email
from directory import sharing
from directory.access import viewer
from directory.models import User
from directory.policy import content_write, ensure_still_visible
from directory.profiles import addressed_to

logger = logging.getLogger(__name__)

#: A change to any of these is a change calendar clients must pick up: SEQUENCE is bumped.
CLIENT_FIELDS = (
    "title",
    "event_type",
    "description",
    "start",
    "end",
    "all_day",
    "time_zone",
    "venue",
    "city",
    "country",
    "online_url",
    "status",
    "rrule",
    "exdates",
)
#: What an edited occurrence shares with its series (the audience above all: it is shown to the same people).
INHERITED_FIELDS = ("owner_id", "visibility", "working_group_id", "event_type", "time_zone", "all_day")


def expansion_zone(event: Event) -> str:
    # All-day events are dates, stored at midnight UTC: they repeat by date, whatever the zone.
    return "UTC" if event.all_day else event.time_zone


def refresh(event: Event) -> None:
    """Recompute what is derived from the event: occurrences, extent, stored VEVENT (and its overrides')."""
    duration = event.end - event.start
    if event.parent_id is None and event.rrule:
        every = expand(rule=event.rrule, start=event.start, time_zone=expansion_zone(event))
        skipped = set(event.exdates) | set(event.overrides.values_list("recurrence_id", flat=True))
        starts = [moment for moment in every if moment not in skipped]
        series_end = max(every) + duration
    else:
        starts = [event.start]
        series_end = event.end
    Occurrence.objects.filter(event=event).delete()
    audience = {
        "owner_id": event.owner_id,
        "visibility": event.visibility,
        "working_group_id": event.working_group_id,
        "all_day": event.all_day,
    }
    Occurrence.objects.bulk_create(
        [Occurrence(event=event, start=moment, end=moment + duration, **audience) for moment in starts]
    )
    series = event.parent if event.parent_id else None
    event.series_end = series_end
    event.ics = ical.render(event, series=series)
    Event.objects.filter(pk=event.pk).update(series_end=series_end, ics=event.ics)
    if event.parent_id is None and event.rrule:
        for override in event.overrides.select_related("owner"):
            Event.objects.filter(pk=override.pk).update(ics=ical.render(override, series=event))


def _client_change(before: Event | None, after: Event) -> bool:
    return before is None or any(getattr(before, name) != getattr(after, name) for name in CLIENT_FIELDS)


def save_event(*, form, by) -> Event:
    """Create (form.instance unsaved) or update an event from a valid EventForm."""
    event = form.instance
    with content_write(event, by=by) as before:
        if before is None:
            event.author = by
        elif _client_change(before, event):
            event.sequence = before.sequence + 1
        event = form.save()
        event.related_resources.set(form.attachments)
        if event.parent_id is None:
            if before is not None and _rule_moved(before, event):
                _drop_stale_exceptions(event)
            _sync_overrides(event)
        refresh(event)
        if before is not None and _more_places(before.capacity, event.capacity):
            promote(event)
    return event


def _rule_moved(before: Event, after: Event) -> bool:
    fields = ("start", "rrule", "time_zone", "all_day")
    return any(getattr(before, name) != getattr(after, name) for name in fields)


def _drop_stale_exceptions(series: Event) -> None:
    """When a series moves or changes its rule, cancelled and edited occurrences that are no longer
    occurrences of it are dropped (as calendar applications do): never an EXDATE or a RECURRENCE-ID
    pointing nowhere."""
    starts = (
        set(expand(rule=series.rrule, start=series.start, time_zone=expansion_zone(series)))
        if series.rrule
        else set()
    )
    kept = [moment for moment in series.exdates if moment in starts]
    if kept != series.exdates:
        series.exdates = kept
        series.save(update_fields=["exdates"])
    series.overrides.exclude(recurrence_id__in=starts).delete()


def _more_places(before: int | None, after: int | None) -> bool:
    if before is None:
        return False
    return after is None or after > before


def _sync_overrides(series: Event) -> None:
    """Edited occurrences are shown to the series' audience: copy it to them."""
    if not series.overrides.exists():
        return
    Event.objects.filter(parent=series).update(
        **{name: getattr(series, name) for name in INHERITED_FIELDS}, sequence=F("sequence") + 1
    )
    audience = list(series.audience_organizations.all())
    for override in series.overrides.select_related("parent", "owner"):
        override.audience_organizations.set(audience)
        refresh(override)  # its occurrence carries the audience too


@transaction.atomic
def cancel_event(*, event: Event, by) -> Event:
    """Cancel an event (or a whole series): kept and sent to calendars as CANCELLED; attendees told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not rules.can_change_event(by, event):
        raise PermissionDenied
    if event.status == EventStatus.CANCELLED:
        return event
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    refresh(event)
    _tell_attendees(
        event.series,
        subject=in_each_readers_language(lambda: _("Cancelled: %(title)s") % {"title": event.title}),
        template="calendar_app/email/cancelled.txt",
        context={"event": event},
    )
    return event


def _locked_series(series: Event, original_start, by) -> Event:
    """The series, locked for the change of one of its occurrences, once checked that ``by`` may change
    it and that it has an occurrence at ``original_start``."""
    series = Event.objects.select_for_update().get(pk=series.pk)
    if not rules.can_change_event(by, series):
        raise PermissionDenied
    if not series.rrule:
        raise ValidationError(_("This event does not repeat."))
    starts = expand(rule=series.rrule, start=series.start, time_zone=expansion_zone(series))
    if original_start not in starts:
        raise ValidationError(_("The series has no occurrence at that time."))
    return series


@transaction.atomic
def cancel_occurrence(*, series: Event, original_start, by) -> Event:
    """Cancel one occurrence of a series: an EXDATE (or, for an edited occurrence, its row cancelled)."""
    series = _locked_series(series, original_start, by)
    override = series.overrides.filter(recurrence_id=original_start).first()
    if override is not None:
        cancel_event(event=override, by=by)
        return series
    if original_start not in series.exdates:
        series.exdates = [*series.exdates, original_start]
        series.sequence += 1
        series.save(update_fields=["exdates", "sequence", "updated_at"])
        refresh(series)
    return series


@transaction.atomic
def save_occurrence(*, series: Event, original_start, data: dict, by) -> Event:
    """Edit one occurrence of a series: an override row (RECURRENCE-ID) with the changed fields."""
    series = _locked_series(series, original_start, by)
    override = series.overrides.filter(recurrence_id=original_start).first()
    if override is None:
        override = Event(
            parent=series,
            recurrence_id=original_start,
            author=by,
            uid=series.uid,
            tags=list(series.tags),
            capacity=series.capacity,
            **{name: getattr(series, name) for name in INHERITED_FIELDS},
        )
    else:
        override.sequence += 1
    for name, value in data.items():
        setattr(override, name, value)
    override.save()
    if original_start in series.exdates:
        # Editing a cancelled occurrence brings it back, changed: never an EXDATE and an override at once.
        series.exdates = [moment for moment in series.exdates if moment != original_start]
    if not override.audience_organizations.exists():
        override.audience_organizations.set(series.audience_organizations.all())
    override.organizations.set(series.organizations.all())
    override.pillars.set(series.pillars.all())
    # The series' occurrence moves to the override: the series changes for calendar clients too.
    series.sequence += 1
    series.save(update_fields=["sequence", "exdates", "updated_at"])
    refresh(override)
    refresh(series)
    ensure_still_visible(override, by)
    return override


@transaction.atomic
def share_event(*, event: Event, by, users=(), organizations=(), unshare: bool = False) -> None:
    """Share a series with its edited occurrences (they are shown to the same people)."""
    operation = sharing.unshare if unshare else sharing.share
    for target in [event, *event.overrides.all()]:
        operation(obj=target, by=by, users=users, organizations=organizations)
    # Grants and audience organisations do not touch the row: mark it changed, so feeds' ETags move.
    Event.objects.filter(pk__in=[event.pk, *event.overrides.values_list("pk", flat=True)]).update(
        updated_at=timezone.now()
    )


# --- RSVP -------------------------------------------------------------------------------------------------


def _attending(event: Event) -> int:
    return Rsvp.objects.filter(event=event, response=RsvpResponse.ATTENDING).count()


@transaction.atomic
def respond(*, event: Event, user, response: str) -> Rsvp:
    """Record a person's answer. Beyond the capacity, "attending" joins the waiting list; a place freed
    goes to the first person waiting. The event row is locked, so two answers at once cannot both take the
    last place."""
    if response not in (RsvpResponse.ATTENDING, RsvpResponse.MAYBE, RsvpResponse.NOT_ATTENDING):
        raise ValidationError(_("Choose attending, maybe or not attending."))
    event = event.series
    if not rules.can_answer_event(user, event):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event is cancelled."))
    rsvp = Rsvp.objects.select_for_update().filter(event=event, user=user).first()
    previous = rsvp.response if rsvp else None
    if response == RsvpResponse.ATTENDING and previous in (RsvpResponse.ATTENDING, RsvpResponse.WAITING):
        return rsvp  # already in, or already waiting: the place in the queue is kept
    if rsvp is None:
        rsvp = Rsvp(event=event, user=user)
    rsvp.waiting_since = None
    if (
        response == RsvpResponse.ATTENDING
        and event.capacity is not None
        and _attending(event) >= event.capacity
    ):
        response = RsvpResponse.WAITING
        rsvp.waiting_since = timezone.now()
    rsvp.response = response
    rsvp.save()
    if previous == RsvpResponse.ATTENDING and response != RsvpResponse.ATTENDING:
        promote(event)
    return rsvp


def promote(event: Event) -> list[Rsvp]:
    """Give the free places to the people waiting, in the order they joined (called with the event locked)."""
    event = event.series
    if event.status == EventStatus.CANCELLED:
        return []
    waiting = Rsvp.objects.select_for_update().filter(event=event, response=RsvpResponse.WAITING)
    waiting = waiting.order_by("waiting_since", "id").select_related("user")
    free = None if event.capacity is None else event.capacity - _attending(event)
    promoted = []
    for rsvp in waiting:
        if free is not None and free <= 0:
            break
        rsvp.response = RsvpResponse.ATTENDING
        rsvp.waiting_since = None
        rsvp.save(update_fields=["response", "waiting_since", "updated_at"])
        promoted.append(rsvp)
        if free is not None:
            free -= 1
        with addressed_to(rsvp.user):
            enqueue(
                send_email,
                subject=_("A place is yours: %(title)s") % {"title": event.title},
                body=render_to_string(
                    "calendar_app/email/promoted.txt", {"event": event, "person": rsvp.user}
                ),
                recipients=[rsvp.user.email],
            )
    return promoted


def _tell_attendees(event: Event, *, subject, template: str, context: dict) -> None:
    """E-mail everyone attending or waiting, each in their language and time zone (``subject`` made with
    ``core.i18n.in_each_readers_language``)."""
    told = Rsvp.objects.filter(event=event, response__in=[RsvpResponse.ATTENDING, RsvpResponse.WAITING])
    people = User.objects.filter(pk__in=told.values("user_id"), is_active=True).select_related("profile")
    for person in people.order_by("pk"):
        with addressed_to(person):
            enqueue(
                send_email,
                subject=str(subject),
                body=render_to_string(template, context),
                recipients=[person.email],
            )


# --- Feeds ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_feed(*, form, by) -> tuple[Feed, str]:
    """A new subscription feed of ``by``; returns it and its token (shown once: only the digest is kept)."""
    if viewer(by) is None:
        raise PermissionDenied
    feed = form.save(commit=False)
    feed.user = by
    token = feed.issue_token()
    feed.save()
    return feed, token


@transaction.atomic
def regenerate_feed(*, feed: Feed, by) -> str:
    """A new URL for the feed; the old one is a 404 from this commit on."""
    if feed.user_id != by.pk or feed.revoked_at is not None:
        raise PermissionDenied
    token = feed.issue_token()
    feed.save(update_fields=["token_digest", "updated_at"])
    return token


@transaction.atomic
def revoke_feed(*, feed: Feed, by) -> None:
    if feed.user_id != by.pk:
        raise PermissionDenied
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at", "updated_at"])


# --- Reminders --------------------------------------------------------------------------------------------

# The table name comes from the model's metadata, never from input.
CLAIM_REMINDER = f"""
INSERT INTO {Reminder._meta.db_table} (event_id, occurrence_start, user_id, sent_at)
VALUES (%s, %s, %s, now())
ON CONFLICT (event_id, occurrence_start, user_id) DO NOTHING
RETURNING id
"""  # noqa: S608


def reminder_hours() -> int:
    return int(getattr(settings, "CALENDAR_REMINDER_HOURS", 24))


def send_reminders(*, now=None) -> int:
    """Email the attendees of every occurrence starting within CALENDAR_REMINDER_HOURS; returns how many
    reminders were sent. Each (occurrence, person) is claimed by inserting its row first (ON CONFLICT DO
    NOTHING): a second run, a retry or a run at the same time finds it claimed and sends nothing. The email
    is enqueued in the claim's transaction, so a rolled-back claim sends nothing either."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=reminder_hours())
    occurrences = (
        Occurrence.objects.filter(start__gt=now, start__lte=horizon, event__status=EventStatus.CONFIRMED)
        .select_related("event", "event__parent")
        .order_by("start", "id")
    )
    sent = 0
    for occurrence in occurrences:
        event = occurrence.event
        series = event.series
        attendees = Rsvp.objects.filter(
            event=series, response=RsvpResponse.ATTENDING, user__is_active=True
        ).select_related("user", "user__profile")
        for rsvp in attendees:
            if not rules.can_answer_event(rsvp.user, event):
                continue  # no longer in the audience: no reminder (and no leak of a changed title)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(CLAIM_REMINDER, [series.pk, occurrence.start, rsvp.user_id])
                    claimed = cursor.fetchone()
                if claimed is None:
                    continue
                person_zone = getattr(getattr(rsvp.user, "profile", None), "time_zone", "UTC")
                with addressed_to(rsvp.user):
                    body = render_to_string(
                        "calendar_app/email/reminder.txt",
                        {"event": event, "occurrence": occurrence, "person": rsvp.user, "zone": person_zone},
                    )
                    subject = _("Reminder: %(title)s") % {"title": event.title}
                enqueue(send_email, subject=subject, body=body, recipients=[rsvp.user.email])
                sent += 1
    return sent
