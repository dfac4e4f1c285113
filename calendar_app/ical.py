"""iCalendar (RFC 5545) output, written with the ``icalendar`` library.

Each event's VEVENT is rendered once, when the event is saved, and kept on the row (``Event.ics``): a feed
of 5,000 events is then the calendar's header, one VTIMEZONE per zone used (rendered once per process) and
the stored blocks joined — building 5,000 components on every poll would take over a second.

- UID: stable for the life of the event (an edited occurrence carries its series' UID and a RECURRENCE-ID).
- SEQUENCE: bumped by every change calendar clients must pick up (see ``services.CLIENT_FIELDS``).
- DTSTAMP: the time the event was last changed (what RFC 5545 asks of a published calendar without METHOD).
- Timed events carry TZID parameters of the organiser's zone, with its VTIMEZONE; all-day events are dates.
- A series carries its RRULE and EXDATEs; a cancelled event STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from functools import lru_cache

import icalendar
from django.conf import settings
from django.urls import reverse

from calendar_app.models import Event, EventStatus
from calendar_app.recurrence import zone

PRODID = "-//Compact Platform//Joint calendar//EN"
CRLF = "\r\n"


def _when(event: Event, moment):
    """A DTSTART/DTEND/EXDATE/RECURRENCE-ID value: a date for all-day events, else local time in the zone."""
    if event.all_day:
        return moment.astimezone(UTC).date()
    return moment.astimezone(zone(event.time_zone))


def _tzid(event: Event) -> str | None:
    return None if event.all_day or event.time_zone == "UTC" else event.time_zone


def vevent(event: Event, *, series: Event | None = None) -> icalendar.Event:
    """One event as a VEVENT; ``series`` is given for an edited occurrence (it shares the series' UID)."""
    component = icalendar.Event()
    component.add("uid", (series or event).uid)
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    component.add("dtstart", _when(event, event.start))
    end = event.end
    if event.all_day and end <= event.start:
        end = event.start + timedelta(days=1)
    component.add("dtend", _when(event, end))
    if series is not None and event.recurrence_id is not None:
        component.add("recurrence-id", _when(series, event.recurrence_id))
    if event.rrule and series is None:
        component.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        for moment in sorted(event.exdates):
            component.add("exdate", _when(event, moment))
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("categories", [event.get_event_type_display()])
    location = ", ".join(part for part in (event.venue, event.city, event.country) if part)
    if location:
        component.add("location", location)
    description = event.description
    if event.online_url:
        component.add("conference", event.online_url, parameters={"VALUE": "URI"})
        description = f"{description}\n\n{event.online_url}".strip()
    if description:
        component.add("description", description)
    base = getattr(settings, "PLATFORM_URL", "")
    if base:
        component.add("url", base.rstrip("/") + reverse("calendar_app:detail", kwargs={"pk": event.pk}))
    return component


def render(event: Event, *, series: Event | None = None) -> str:
    return vevent(event, series=series).to_ical().decode()


@lru_cache(maxsize=128)
def vtimezone(name: str) -> str:
    return icalendar.Timezone.from_tzid(name).to_ical().decode()


def calendar(events: Iterable[Event], *, name: str = "") -> bytes:
    """A VCALENDAR of the events (rendered now for any that has no stored VEVENT yet)."""
    series_by_id: dict[int, Event] = {}
    entries = []
    for event in events:
        if not event.ics:
            series = series_by_id.get(event.parent_id) or event.parent if event.parent_id else None
            event.ics = render(event, series=series)
        if not event.parent_id:
            series_by_id[event.pk] = event
        entries.append((event.ics, _tzid(event)))
    return assemble(entries, name=name)


def assemble(entries: Iterable[tuple[str, str | None]], *, name: str = "") -> bytes:
    """A VCALENDAR of stored VEVENTs: (VEVENT text, its TZID or None) pairs, with a VTIMEZONE per zone."""
    blocks, zones = [], set()
    for ics, tzid in entries:
        blocks.append(ics)
        if tzid:
            zones.add(tzid)
    header = icalendar.Calendar()
    header.add("prodid", PRODID)
    header.add("version", "2.0")
    header.add("calscale", "GREGORIAN")
    if name:
        header.add("x-wr-calname", name)
    head = header.to_ical().decode()
    head = head[: head.index("END:VCALENDAR")]
    body = "".join(vtimezone(tzid) for tzid in sorted(zones)) + "".join(blocks)
    return (head + body + "END:VCALENDAR" + CRLF).encode()


def feed(rows, *, name: str = "") -> bytes:
    """A feed from ``selectors.feed_rows`` (pk, VEVENT, zone, all-day) tuples: no model is built, except
    for an event whose VEVENT was never stored."""
    entries, missing = [], []
    for pk, ics, time_zone, all_day in rows:
        if ics:
            entries.append((ics, None if all_day or time_zone == "UTC" else time_zone))
        else:
            missing.append(pk)
    if missing:
        # Rare (rows written outside the services): rendered for this answer, never written on a GET.
        for event in Event.objects.filter(pk__in=missing).select_related("owner", "parent"):
            entries.append((render(event, series=event.parent), _tzid(event)))
    return assemble(entries, name=name)
