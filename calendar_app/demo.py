"""calendar_app's part of ``seed_demo``: a year of Compact, Working Group and Member State events.

Dates are relative to the day the demo is seeded (from two months ago to ten months ahead), so the calendar
is never empty. Each event has a fixed UID and is written with update_or_create: a rerun updates the same
rows. It includes recurring meetings (one occurrence moved, one cancelled), a cancelled event, an event with
a capacity and a waiting list, and a clash (a CTED country visit to Kenya during Kenya's own launch event).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from calendar_app.models import Event, EventStatus, EventType, Rsvp, RsvpResponse
from calendar_app.recurrence import expand, first_occurrence, local_to_utc, normalise
from calendar_app.services import expansion_zone, refresh
from core.demo import DemoRun
from directory.access import Visibility
from directory.models import Organization, Pillar, WorkingGroup


@dataclass(frozen=True)
class DemoEvent:
    key: str
    author: str  # demo account role
    owner: str  # organisation reference key
    title: str
    event_type: str
    visibility: str
    day: int  # days from today
    start: time | None  # None: all-day
    hours: float = 2
    days: int = 1  # all-day events
    time_zone: str = "UTC"
    rrule: str = ""
    working_group: int | None = None
    venue: str = ""
    city: str = ""
    country: str = ""
    online_url: str = ""
    capacity: int | None = None
    status: str = EventStatus.CONFIRMED
    audience: tuple[str, ...] = ()
    organizers: tuple[str, ...] = ()
    pillars: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    description: str = ""
    attendees: tuple[str, ...] = field(default=())


T = time
DEMO_EVENTS = [
    DemoEvent(
        "coordination-committee",
        "secretariat",
        "entity:UNOCT",
        "Global Compact Coordination Committee",
        EventType.COMPACT_MEETING,
        Visibility.COMPACT,
        -40,
        T(10),
        3,
        time_zone="America/New_York",
        rrule="FREQ=MONTHLY;INTERVAL=3;COUNT=4",
        venue="UN Headquarters, Conference Room 6",
        city="New York",
        pillars=(1, 2, 3, 4),
        tags=("governance",),
        description="Quarterly meeting of the heads of the Compact entities.",
        attendees=("secretariat", "entity_focal_point", "wg_chair", "organization_admin"),
    ),
    DemoEvent(
        "wg2-monthly",
        "wg_chair",
        "entity:CTED",
        "WG 2 monthly meeting: border management",
        EventType.WG_MEETING,
        Visibility.WORKING_GROUP,
        -20,
        T(9, 30),
        1.5,
        time_zone="America/New_York",
        rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=12",
        working_group=2,
        online_url="https://meet.example.org/wg2",
        pillars=(2,),
        tags=("border", "workplan"),
        attendees=("wg_chair", "entity_focal_point"),
    ),
    DemoEvent(
        "wg1-monthly",
        "secretariat",
        "entity:UNOCT",
        "WG 1 meeting: conditions conducive",
        EventType.WG_MEETING,
        Visibility.WORKING_GROUP,
        -10,
        T(14),
        1.5,
        time_zone="Europe/Zurich",
        rrule="FREQ=MONTHLY;BYDAY=3TH",
        working_group=1,
        online_url="https://meet.example.org/wg1",
        pillars=(1,),
    ),
    DemoEvent(
        "ct-week",
        "secretariat",
        "entity:UNOCT",
        "UN Counter-Terrorism Week",
        EventType.CONFERENCE,
        Visibility.PUBLIC,  # on the public pages (showcase)
        150,
        None,
        days=3,
        time_zone="America/New_York",
        venue="UN Headquarters",
        city="New York",
        pillars=(1, 2, 3, 4),
        tags=("high-level",),
        description="High-level conference of heads of counter-terrorism agencies of Member States.",
        attendees=("secretariat", "state_focal_point", "regional_focal_point"),
    ),
    DemoEvent(
        "border-training",
        "entity_focal_point",
        "entity:UNODC",
        "Border security and management training",
        EventType.TRAINING,
        Visibility.COMPACT,
        24,
        T(9),
        7,
        time_zone="Europe/Vienna",
        venue="Vienna International Centre",
        city="Vienna",
        capacity=2,
        pillars=(2,),
        tags=("border", "training"),
        organizers=("entity:INTERPOL",),
        attendees=("entity_focal_point", "wg_chair", "organization_admin"),
    ),
    DemoEvent(
        "cft-webinar",
        "entity_focal_point",
        "entity:UNODC",
        "Countering the financing of terrorism",
        EventType.WEBINAR,
        Visibility.PLATFORM,
        9,
        T(13),
        1.5,
        time_zone="Europe/Vienna",
        online_url="https://meet.example.org/cft",
        pillars=(2,),
        tags=("financing",),
    ),
    DemoEvent(
        "cted-kenya-visit",
        "wg_chair",
        "entity:CTED",
        "CTED follow-up visit to Kenya",
        EventType.MISSION,
        Visibility.ORGANIZATIONS,
        45,
        None,
        days=4,
        time_zone="Africa/Nairobi",
        city="Nairobi",
        country="KEN",
        audience=("state:KEN",),
        pillars=(2, 4),
    ),
    DemoEvent(
        "kenya-strategy-launch",
        "state_focal_point",
        "state:KEN",
        "Launch of Kenya's national counter-terrorism strategy",
        EventType.CONFERENCE,
        Visibility.PLATFORM,
        46,
        T(10),
        4,
        time_zone="Africa/Nairobi",
        venue="Kenyatta International Convention Centre",
        city="Nairobi",
        country="KEN",
        pillars=(1, 2, 3, 4),
        attendees=("state_focal_point",),
    ),
    DemoEvent(
        "appeal-deadline",
        "secretariat",
        "entity:UNOCT",
        "Multi-Year Appeal: submissions due",
        EventType.DEADLINE,
        Visibility.COMPACT,
        60,
        None,
        time_zone="America/New_York",
        tags=("appeal",),
    ),
    DemoEvent(
        "prison-workshop",
        "organization_admin",
        "entity:UNDP",
        "Regional workshop on managing violent extremist prisoners",
        EventType.TRAINING,
        Visibility.PLATFORM,
        75,
        T(9),
        6,
        time_zone="Africa/Dakar",
        city="Dakar",
        country="SEN",
        status=EventStatus.CANCELLED,
        pillars=(1, 4),
    ),
    DemoEvent(
        "au-sahel",
        "regional_focal_point",
        "regional:AU",
        "AU–UN consultation on the Sahel",
        EventType.COMPACT_MEETING,
        Visibility.PLATFORM,
        100,
        T(10),
        5,
        time_zone="Africa/Addis_Ababa",
        venue="African Union Headquarters",
        city="Addis Ababa",
        country="ETH",
        pillars=(1, 2),
    ),
    DemoEvent(
        "pve-community",
        "organization_admin",
        "entity:UNDP",
        "Preventing violent extremism: community call",
        EventType.WEBINAR,
        Visibility.OWNER,
        -5,
        T(15),
        1,
        time_zone="Europe/Oslo",
        rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=20",
        online_url="https://meet.example.org/pve",
        pillars=(1,),
    ),
    DemoEvent(
        "victims-day",
        "secretariat",
        "entity:UNOCT",
        "International Day of Remembrance of and Tribute to the Victims of Terrorism",
        EventType.CONFERENCE,
        Visibility.PLATFORM,
        270,
        T(11),
        2,
        time_zone="America/New_York",
        city="New York",
        pillars=(4,),
        tags=("victims",),
    ),
]


def _start(spec: DemoEvent, today: date) -> tuple[datetime, datetime, bool]:
    """Where the event starts: ``spec.day`` days from today, or for a series the first day from then that
    its rule gives (a "2nd Tuesday" series starts on a second Tuesday)."""
    day = today + timedelta(days=spec.day)
    if spec.start is None:
        start = datetime.combine(day, time(), UTC)
        return start, start + timedelta(days=spec.days), True
    start = local_to_utc(datetime.combine(day, spec.start), spec.time_zone)
    if spec.rrule:
        start = first_occurrence(spec.rrule, start=start, time_zone=spec.time_zone)
    return start, start + timedelta(hours=spec.hours), False


def seed(run: DemoRun) -> None:
    organizations = Organization.objects.in_bulk(
        {key for spec in DEMO_EVENTS for key in (spec.owner, *spec.audience, *spec.organizers)},
        field_name="reference_key",
    )
    pillars = Pillar.objects.in_bulk(field_name="number")
    groups = WorkingGroup.objects.in_bulk(field_name="number")
    today = timezone.now().date()
    events = {}
    for spec in DEMO_EVENTS:
        start, end, all_day = _start(spec, today)
        event, _created = Event.objects.update_or_create(
            uid=f"demo-{spec.key}@compact-platform",
            parent=None,
            defaults={
                "title": spec.title,
                "event_type": spec.event_type,
                "description": spec.description,
                "owner": organizations[spec.owner],
                "author": run.users[spec.author],
                "visibility": spec.visibility,
                "working_group": groups[spec.working_group] if spec.working_group else None,
                "start": start,
                "end": end,
                "all_day": all_day,
                "time_zone": spec.time_zone,
                "rrule": spec.rrule,
                "venue": spec.venue,
                "city": spec.city,
                "country": spec.country,
                "online_url": spec.online_url,
                "capacity": spec.capacity,
                "status": spec.status,
                "tags": list(spec.tags),
            },
        )
        if spec.rrule and "UNTIL" not in spec.rrule and "COUNT" not in spec.rrule:
            event.rrule = normalise(spec.rrule, start=start, time_zone=spec.time_zone)
            event.save(update_fields=["rrule"])
        event.audience_organizations.set([organizations[key] for key in spec.audience])
        event.organizations.set([organizations[key] for key in spec.organizers if key in organizations])
        event.pillars.set([pillars[number] for number in spec.pillars])
        for role in spec.attendees:
            Rsvp.objects.get_or_create(
                event=event, user=run.users[role], defaults={"response": RsvpResponse.ATTENDING}
            )
        events[spec.key] = event
    _exceptions(events["wg2-monthly"], run)
    for event in events.values():
        refresh(event)
    _waiting_list(events["border-training"], run)
    run.write(f"calendar: {len(DEMO_EVENTS)} demo events (with their recurrences)")


def _exceptions(series: Event, run: DemoRun) -> None:
    """WG 2's meeting: the fourth occurrence moved a day later (a holiday), the sixth cancelled."""
    starts = expand(rule=series.rrule, start=series.start, time_zone=expansion_zone(series))
    moved, cancelled = starts[3], starts[5]
    override, _created = Event.objects.update_or_create(
        parent=series,
        recurrence_id=moved,
        defaults={
            "uid": series.uid,
            "title": f"{series.title} (moved: holiday)",
            "event_type": series.event_type,
            "owner_id": series.owner_id,
            "author": run.users["wg_chair"],
            "visibility": series.visibility,
            "working_group_id": series.working_group_id,
            "start": moved + timedelta(days=1),
            "end": moved + timedelta(days=1) + (series.end - series.start),
            "time_zone": series.time_zone,
            "online_url": series.online_url,
        },
    )
    refresh(override)
    series.exdates = [cancelled]
    series.save(update_fields=["exdates"])


def _waiting_list(event: Event, run: DemoRun) -> None:
    """The training has two places for three people: the last one waits."""
    rsvps = list(Rsvp.objects.filter(event=event).order_by("created_at", "id"))
    for index, rsvp in enumerate(rsvps):
        waiting = index >= (event.capacity or len(rsvps))
        rsvp.response = RsvpResponse.WAITING if waiting else RsvpResponse.ATTENDING
        rsvp.waiting_since = rsvp.created_at if waiting else None
        rsvp.save(update_fields=["response", "waiting_since"])
