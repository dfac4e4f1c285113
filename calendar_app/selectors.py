"""Reads of the calendar, always on behalf of a user, through the audience rule of ``directory.access``.

Windows (a month, a week, the agenda, the "upcoming" block) read ``Occurrence`` rows by their start index
with ``Event.audience_rule`` applied to the occurrences' copies of their event's audience columns
(``occurrence_rule``): one index range scan whatever the number of series, bounded by ``MAX_DURATION`` (no
occurrence lasts longer, so one that ends in the window started at most that long before it). Everything
else (event pages, feeds, clashes) reads ``Event.objects.visible_to``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from calendar_app.models import (
    MAX_DURATION,
    Event,
    EventAudienceOrganizationEvent,
    EventEvent,
    EventGroupGrantEvent,
    EventStatus,
    EventType,
    EventUserGrant,
    EventUserGrantEvent,
    Feed,
    Occurrence,
    Rsvp,
    RsvpEvent,
    RsvpResponse,
)
from calendar_app.recurrence import expand
from core.months import per_month
from core.search import headline
from directory.access import EVERYONE_SIGNED_IN, viewer

#: How far back a subscription feed goes (calendar clients keep what they already have).
FEED_HISTORY = timedelta(days=365)


def in_window(start: datetime, end: datetime) -> Q:
    """Occurrences overlapping [start, end); a zero-length one (a deadline) at the window's start counts."""
    return Q(start__lt=end, start__gte=start - MAX_DURATION) & (Q(end__gt=start) | Q(start__gte=start))


@dataclass(eq=False, slots=True)
class OccurrenceOnDay:
    """An occurrence on one of the days it covers (``window_days``): the occurrence (an ``Occurrence`` read
    with its times only, its event attached to those shown by ``attach_events``), whether it continues
    from an earlier day, that day's total (for "3 more"), and its times as the page writes them (set by the
    view, in the reader's zone)."""

    day: date
    occurrence: Occurrence
    continues: bool
    total: int
    starts: str = ""  # "09:30", "All day" or "cont."
    ends: str = ""  # "11:00", or "" for all-day events and later days

    @property
    def event(self) -> Event:
        return self.occurrence.event

    @property
    def cancelled(self) -> bool:
        return self.occurrence.event.status == EventStatus.CANCELLED


def occurrence_rule(who) -> Q:
    """The audience rule on the occurrences' copies of their event's audience columns (visibility, owner,
    Working Group), the event's id being the occurrence's ``event_id`` (``who`` None: an anonymous visitor,
    the public events')."""
    return Event.audience_rule(who, key="event_id")


#: Per day of the window: the first ``per_day`` occurrences by start, and how many the day holds. Days are
#: the viewer's local dates (all-day events: their own dates, never shifted); a multi-day occurrence counts
#: on each of its days. The ranking runs in the database, so a busy month sends a few hundred rows, not
#: thousands, whatever the calendar holds.
WINDOW_DAYS = """
WITH o AS ({occurrences}),
spans AS (
  SELECT o.*,
         (CASE WHEN o.all_day THEN o.start AT TIME ZONE 'UTC'
               ELSE o.start AT TIME ZONE %s END)::date AS first_day,
         (CASE WHEN o.all_day THEN o."end" AT TIME ZONE 'UTC'
               ELSE o."end" AT TIME ZONE %s END - interval '1 microsecond')::date AS last_day
  FROM o
),
days AS (
  SELECT spans.*, d::date AS day
  FROM spans CROSS JOIN LATERAL generate_series(
    spans.first_day, greatest(spans.first_day, spans.last_day), interval '1 day') AS d
),
ranked AS (
  SELECT days.*, row_number() OVER (PARTITION BY day ORDER BY start, event_id) AS n,
         count(*) OVER (PARTITION BY day) AS total
  FROM days WHERE day >= %s AND day < %s
)
SELECT id, event_id, start, "end", all_day, day, day > first_day, total
FROM ranked WHERE n <= %s ORDER BY day, n LIMIT %s
"""


def window_days(
    user,
    *,
    first: date,
    last: date,
    tz: ZoneInfo,
    per_day: int,
    limit: int = 10_000,
    events: QuerySet[Event] | None = None,
) -> list[OccurrenceOnDay]:
    """What the days [first, last) show in the user's calendar (of ``events`` only, if given: the filters):
    per day, the first ``per_day`` occurrences the user may see and the day's total. One query: the window's
    occurrences by index with the audience rule on the same rows, ranked per local day."""
    who = viewer(user)
    if who is None:
        return []
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last, time(), tz)
    occurrences = Occurrence.objects.filter(in_window(start, end)).filter(occurrence_rule(who))
    if events is not None:
        occurrences = occurrences.filter(event_id__in=events.values("pk"))
    sql, params = (
        occurrences.order_by().values("id", "event_id", "start", "end", "all_day").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            WINDOW_DAYS.format(occurrences=sql),
            [*params, str(tz), str(tz), first, last, per_day, limit],
        )
        rows = cursor.fetchall()
    return [
        OccurrenceOnDay(
            day=day,
            occurrence=Occurrence(pk=pk, event_id=event_id, start=begins, end=ends, all_day=all_day),
            continues=continues,
            total=total,
        )
        for pk, event_id, begins, ends, all_day, day, continues, total in rows
    ]


def attach_events(occurrences) -> None:
    """Read the events of the occurrences shown (one query) and attach them."""
    ids = {occurrence.event_id for occurrence in occurrences}
    events = (
        Event.objects.filter(pk__in=ids)
        .select_related("owner", "working_group")
        .defer("ics", "description", "owner__description", "working_group__objective")
        .in_bulk()
        if ids
        else {}
    )
    for occurrence in occurrences:
        occurrence.event = events[occurrence.event_id]


def window_events(user, *, start: datetime, end: datetime) -> QuerySet[Event]:
    """The events the user may see with an occurrence in [start, end): an Event queryset, to be filtered
    further (the calendar's filters, the clash rules) before ``occurrences_of`` reads their occurrences.

    The candidates' ids are read first, from the occurrences' window index, and passed as a list: the
    audience rule is then checked on those rows only, by primary key. (As a subquery, PostgreSQL prefers
    to scan every event with the rule and hash the window: fine at 5,000 events, not at 50,000.)"""
    candidates = list(
        Occurrence.objects.filter(in_window(start, end))
        .order_by()
        .values_list("event_id", flat=True)
        .distinct()
    )
    return (
        Event.objects.visible_to(user)
        .filter(pk__in=candidates)
        .select_related("owner", "working_group")
        .defer("ics", "description", "owner__description", "working_group__objective")
    )


def occurrences_of(events, *, start: datetime, end: datetime, limit: int | None = None) -> list[Occurrence]:
    """The occurrences of these events in [start, end), first first, each with its event attached (one
    query for the events, one for their occurrences)."""
    by_id = {event.pk: event for event in events}
    if not by_id:
        return []
    occurrences = (
        Occurrence.objects.filter(in_window(start, end), event_id__in=list(by_id))
        .only("id", "event_id", "start", "end")
        .order_by("start", "event_id")
    )
    found = list(occurrences[:limit] if limit else occurrences)
    for occurrence in found:
        occurrence.event = by_id[occurrence.event_id]
    return found


def attending_rule(user) -> Q:
    """Events the user answered "attending" (an edited occurrence: through its series)."""
    series = Rsvp.objects.filter(user_id=user.pk, response=RsvpResponse.ATTENDING).values("event_id")
    return Q(pk__in=series) | Q(parent_id__in=series)


def upcoming_for(user, *, working_group=None, country: str = "", limit: int = 5) -> list[Occurrence]:
    """The next occurrences the user may see (of one Working Group's events, or of events held in one
    country — an ISO 3166 alpha-3 code —, if given): the "upcoming" block of the home page, WG spaces and
    Member State pages. One query after the user's audience context: the occurrences' start index walked in
    order, the audience checked on the same rows, until ``limit`` are found. An anonymous visitor gets the
    public events (the public pages)."""
    occurrences = (
        Occurrence.objects.filter(start__gte=timezone.now(), event__status=EventStatus.CONFIRMED)
        .filter(occurrence_rule(viewer(user)))
        .select_related("event", "event__owner")
        .defer("event__ics", "event__description", "event__owner__description")
        .order_by("start", "event_id")
    )
    if working_group is not None:
        occurrences = occurrences.filter(working_group=working_group)
    if country:
        occurrences = occurrences.filter(event__country=country)
    return list(occurrences[:limit])


def awaiting_rsvp(user, *, limit: int = 5) -> list[Occurrence]:
    """The events waiting for the user's answer: the coming confirmed events they may see and have not
    answered that were shared with them by name, name one of their organisations in their audience, or are
    meetings of a Working Group their organisations take part in — the next occurrence of each series,
    soonest first, at most ``limit``.

    Two queries after the audience context: the invited events' ids, each kind by its own index (a union:
    as one OR, PostgreSQL scans every event), then their coming occurrences by (event, start) with the
    audience rule — rather than walking every coming occurrence the user may see to test each event."""
    who = viewer(user)
    if who is None:
        return []
    now = timezone.now()
    shared = EventUserGrant.objects.filter(user_id=who.user_id).values("content_object_id")
    through = Event.audience_organizations.through
    named = through.objects.filter(organization_id__in=who.organization_ids).values(
        Event.audience_through_column()
    )
    coming = Event.objects.filter(series_end__gte=now).order_by()
    kinds = [coming.filter(pk__in=shared), coming.filter(parent_id__in=shared), coming.filter(pk__in=named)]
    if who.working_group_ids:
        kinds.append(
            coming.filter(event_type=EventType.WG_MEETING, working_group_id__in=who.working_group_ids)
        )
    first, *others = (kind.values_list("pk", flat=True) for kind in kinds)
    invited = list(first.union(*others))
    if not invited:
        return []
    answered = Rsvp.objects.filter(user_id=who.user_id).values("event_id")
    occurrences = (
        Occurrence.objects.filter(event_id__in=invited, start__gte=now, event__status=EventStatus.CONFIRMED)
        .filter(occurrence_rule(who))
        .exclude(Q(event_id__in=answered) | Q(event__parent_id__in=answered))
        .select_related("event")
        .defer("event__ics", "event__description")
        .order_by("start", "event_id")
    )
    # A weekly series has many occurrences: read a few more than asked, keep the first of each series.
    found: dict[int, Occurrence] = {}
    for occurrence in occurrences[: limit * 10]:
        found.setdefault(occurrence.event.parent_id or occurrence.event_id, occurrence)
    return list(found.values())[:limit]


def unrestricted_group_meetings(working_group, first, last) -> QuerySet[Occurrence]:
    """The occurrences of the group's confirmed Working Group meetings starting between two moments,
    whoever may read them: for the group's own figures (progress reports), never for listing to a
    reader (a recurring series counts once per occurrence)."""
    return Occurrence.objects.filter(
        working_group=working_group,
        start__gte=first,
        start__lte=last,
        event__event_type=EventType.WG_MEETING,
        event__status=EventStatus.CONFIRMED,
    )


def held_between(first: datetime, last: datetime) -> QuerySet[Occurrence]:
    """The occurrences of confirmed events every signed-in person may see (platform-wide or public) that
    start in [first, last), first first, with their event: for the newsletter, which goes to everyone
    (the occurrences carry their event's visibility, so this is one range scan of their start index)."""
    return (
        Occurrence.objects.filter(
            visibility__in=EVERYONE_SIGNED_IN,
            start__gte=first,
            start__lt=last,
            event__status=EventStatus.CONFIRMED,
        )
        .select_related("event", "event__owner", "working_group")
        .defer("event__ics", "event__description", "event__owner__description", "working_group__objective")
        .order_by("start", "event_id")
    )


def _meetings_held(now: datetime) -> QuerySet[Occurrence]:
    """Every occurrence of a Working Group meeting that took place (started by ``now``; cancelled ones —
    a cancelled event, or an occurrence cancelled from its series — are not held), whoever may read it."""
    return Occurrence.objects.filter(
        start__lte=now, event__event_type=EventType.WG_MEETING, event__status=EventStatus.CONFIRMED
    )


def wg_meetings_held(now: datetime, since: datetime) -> dict[str, int]:
    """How many Working Group meetings were held in all, and since ``since`` (e.g. this year's start), in
    one query: aggregates that name no meeting, for the Secretariat's statistics."""
    return _meetings_held(now).aggregate(total=Count("pk"), since=Count("pk", filter=Q(start__gte=since)))


def wg_meetings_held_by_month(months: list, now: datetime) -> list[int]:
    """For each month (first days, in order), how many Working Group meetings were held in it. One query."""
    return per_month(_meetings_held(now), "start", months)


@dataclass(frozen=True)
class Clash:
    occurrence: Occurrence
    reasons: tuple[str, ...]


def clashes_of_planned(user, planned: dict, *, exclude: Event | None = None) -> list[Clash]:
    """The clashes of an event as its form plans it (``cleaned_data``: start, end, rule, zone, Working
    Group, country, owner and co-organisers), each of its first 60 occurrences checked."""
    duration = planned["end"] - planned["start"]
    zone_name = "UTC" if planned.get("all_day") else planned.get("time_zone", "UTC")
    starts = expand(rule=planned.get("rrule") or "", start=planned["start"], time_zone=zone_name)[:60]
    return clashes(
        planned["start"],
        planned["end"],
        working_group=planned.get("working_group"),
        countries=[planned.get("country")],
        organizations=[planned["owner"], *planned.get("organizations", [])],
        user=user,
        exclude=exclude,
        intervals=[(moment, moment + duration) for moment in starts],
    )


def clashes(
    start: datetime,
    end: datetime,
    *,
    working_group=None,
    countries=(),
    organizations=(),
    user,
    exclude: Event | None = None,
    intervals: list[tuple[datetime, datetime]] | None = None,
) -> list[Clash]:
    """Events the user may see that overlap [start, end) (or any of ``intervals``, for a series) and share
    the Working Group, a country or an organisation (owner or co-organiser). Cancelled ones never clash."""
    spans = intervals or [(start, end)]
    low, high = min(s for s, _e in spans), max(e for _s, e in spans)
    organization_ids = {getattr(org, "pk", org) for org in organizations}
    countries = {country for country in countries if country}
    group_id = getattr(working_group, "pk", working_group)
    shared = Q(pk__in=[])
    if group_id:
        shared |= Q(working_group_id=group_id)
    if countries:
        shared |= Q(country__in=countries)
    if organization_ids:
        through = Event.organizations.through
        shared |= Q(owner_id__in=organization_ids) | Q(
            pk__in=through.objects.filter(organization_id__in=organization_ids).values("event_id")
        )
    high = max(high, low + timedelta(seconds=1))
    events = window_events(user, start=low, end=high).filter(shared, status=EventStatus.CONFIRMED)
    if exclude is not None and exclude.pk:
        events = events.exclude(Q(pk=exclude.pk) | Q(parent_id=exclude.pk))
    candidates = occurrences_of(list(events), start=low, end=high)
    organizers = (
        _co_organizers([occurrence.event_id for occurrence in candidates]) if organization_ids else {}
    )
    found = []
    for occurrence in candidates:
        if not any(occurrence.start < e and s < occurrence.end or occurrence.start == s for s, e in spans):
            continue
        event = occurrence.event
        reasons = []
        if group_id and event.working_group_id == group_id:
            reasons.append("working_group")
        if event.country and event.country in countries:
            reasons.append("country")
        if organization_ids & ({event.owner_id} | organizers.get(event.pk, set())):
            reasons.append("organization")
        found.append(Clash(occurrence, tuple(reasons)))
    return found


def _co_organizers(event_ids: list[int]) -> dict[int, set[int]]:
    through = Event.organizations.through
    result: dict[int, set[int]] = {}
    for event_id, organization_id in through.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "organization_id"
    ):
        result.setdefault(event_id, set()).add(organization_id)
    return result


def clash_pairs(
    user, *, start: datetime, end: datetime
) -> list[tuple[Occurrence, Occurrence, tuple[str, ...]]]:
    """For the Secretariat's page: pairs of overlapping confirmed occurrences (of what the user may see)
    that share a Working Group, a country or an organisation. A sweep over the occurrences by start."""
    events = window_events(user, start=start, end=end).filter(status=EventStatus.CONFIRMED)
    occurrences = occurrences_of(list(events), start=start, end=end)
    organizers = _co_organizers(list({occurrence.event_id for occurrence in occurrences}))
    pairs = []
    active: list[Occurrence] = []
    for occurrence in occurrences:
        active = [other for other in active if other.end > occurrence.start]
        event = occurrence.event
        mine = {event.owner_id} | organizers.get(event.pk, set())
        for other in active:
            if other.event.uid == event.uid:  # two occurrences of one series never clash
                continue
            reasons = []
            if event.working_group_id and event.working_group_id == other.event.working_group_id:
                reasons.append("working_group")
            if event.country and event.country == other.event.country:
                reasons.append("country")
            if mine & ({other.event.owner_id} | organizers.get(other.event_id, set())):
                reasons.append("organization")
            if reasons:
                pairs.append((other, occurrence, tuple(reasons)))
        active.append(occurrence)
    return pairs


def attendees(event: Event) -> QuerySet[Rsvp]:
    """The answers to an event (for its organisers), attending first, then the waiting list in order."""
    return (
        Rsvp.objects.filter(event=event.series)
        .select_related("user")
        .order_by("response", "waiting_since", "user__full_name", "id")
    )


def rsvp_of(user, event: Event) -> Rsvp | None:
    return Rsvp.objects.filter(event=event.series, user_id=user.pk).first()


def counts(event: Event) -> dict[str, int]:
    """How many answered what (one grouped query)."""
    result = dict.fromkeys(RsvpResponse.values, 0)
    rows = Rsvp.objects.filter(event=event.series).order_by().values("response").annotate(number=Count("id"))
    for row in rows:
        result[row["response"]] = row["number"]
    return result


def counts_of(events) -> dict[int, dict[str, int]]:
    """``counts`` for many events at once (an API page): by event id, how many answered what. One grouped
    query; an edited occurrence counts its series' answers, as its page does."""
    series_ids = {event.parent_id or event.pk for event in events}
    by_series = {pk: dict.fromkeys(RsvpResponse.values, 0) for pk in series_ids}
    rows = (
        Rsvp.objects.filter(event_id__in=series_ids)
        .order_by()
        .values_list("event_id", "response")
        .annotate(number=Count("id"))
    )
    for event_id, response, number in rows:
        by_series[event_id][response] = number
    return {event.pk: by_series[event.parent_id or event.pk] for event in events}


def answers_of(user, events) -> dict[int, str]:
    """``rsvp_of`` for many events at once: by event id, the user's answer (none: absent). One query."""
    series_of = {event.pk: event.parent_id or event.pk for event in events}
    answers = dict(
        Rsvp.objects.filter(event_id__in=set(series_of.values()), user_id=user.pk).values_list(
            "event_id", "response"
        )
    )
    return {pk: answers[series] for pk, series in series_of.items() if series in answers}


def between(events: QuerySet[Event], *, start: datetime | None, end: datetime | None) -> QuerySet[Event]:
    """Of ``events``, those with an occurrence in [start, end) (either bound may be open): a series once,
    whatever its number of occurrences there; an edited occurrence by its own time. With both bounds, the
    candidates are read from the occurrences' window index first and passed as a list, as
    ``window_events`` does (as a subquery, PostgreSQL scans every event with the audience rule)."""
    if start is not None and end is not None:
        candidates = list(
            Occurrence.objects.filter(in_window(start, end))
            .order_by()
            .values_list("event_id", flat=True)
            .distinct()
        )
        return events.filter(pk__in=candidates)
    if start is not None:
        events = events.filter(series_end__gte=start)
    if end is not None:
        events = events.filter(start__lt=end)
    return events


# --- Feeds ------------------------------------------------------------------------------------------------


def live_feed(token: str) -> Feed | None:
    """The feed of a token, if live and its owner active; None for anything else (the caller answers a
    plain 404: a revoked, regenerated, malformed or unknown token all look the same)."""
    if not token or len(token) > 100:
        return None
    feed = Feed.objects.by_token(token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed


def feed_events(feed: Feed) -> QuerySet[Event]:
    """Exactly what the feed's owner may see now, through the feed's filters (series, overrides, one-offs)."""
    owner = feed.user
    who = viewer(owner)
    events = Event.objects.visible_to(owner).filter(series_end__gte=timezone.now() - FEED_HISTORY)
    if feed.working_group_id:
        events = events.filter(working_group_id=feed.working_group_id)
    if feed.my_working_groups:
        events = events.filter(working_group_id__in=who.working_group_ids if who else ())
    if feed.event_types:
        events = events.filter(event_type__in=feed.event_types)
    if feed.attending_only:
        series = Rsvp.objects.filter(user_id=owner.pk, response=RsvpResponse.ATTENDING).values("event_id")
        events = events.filter(Q(pk__in=series) | Q(parent_id__in=series))
    return events.order_by("id")


def feed_rows(feed: Feed):
    """What a feed sends, as plain rows: (pk, stored VEVENT, zone, all-day)."""
    return feed_events(feed).values_list("pk", "ics", "time_zone", "all_day")


#: The audit tables of everything a feed's content depends on: any write to the calendar adds a row to one
#: of them (pghistory triggers, bulk writes included), so their last ids change whenever a feed may change.
VERSION_TABLES = (
    EventEvent,
    EventUserGrantEvent,
    EventGroupGrantEvent,
    EventAudienceOrganizationEvent,
    RsvpEvent,
)


def feed_version(feed: Feed) -> tuple[str, datetime]:
    """(ETag, Last-Modified) of a feed, without reading a single event: the last audit ids and times of
    the calendar's tables (one index probe each, one query), the feed's own row, the owner's audience
    context (organisations, groups, Working Groups: a change there changes what they see) and the date
    (the feed's window moves with it)."""
    who = viewer(feed.user)
    probes = ", ".join(
        f"(SELECT {column} FROM {model._meta.db_table} ORDER BY pgh_id DESC LIMIT 1)"  # noqa: S608
        for model in VERSION_TABLES
        for column in ("pgh_id", "pgh_created_at")
    )
    with connection.cursor() as cursor:
        # Table names come from the models' metadata, never from input.
        cursor.execute(f"SELECT {probes}, (SELECT max(updated_at) FROM {Event._meta.db_table})")  # noqa: S608
        row = cursor.fetchone()
    ids = row[0:-1:2]
    moments = [moment for moment in (*row[1:-1:2], row[-1], feed.updated_at) if moment is not None]
    signature = repr(
        (
            ids,
            feed.pk,
            feed.token_digest,
            feed.updated_at.isoformat(),
            # The owner's whole audience context (organisations, groups, Working Groups), in a fixed order.
            _canonical(who),
            timezone.now().date().isoformat(),
        )
    )
    etag = '"' + hashlib.sha256(signature.encode()).hexdigest()[:32] + '"'
    last_modified = max(moments) if moments else datetime(2000, 1, 1, tzinfo=UTC)
    return etag, last_modified


def _canonical(who) -> tuple:
    if who is None:
        return ()
    return tuple(
        (item.name, sorted(value) if isinstance(value := getattr(who, item.name), frozenset) else value)
        for item in dataclasses.fields(who)
    )


def feeds_of(user) -> QuerySet[Feed]:
    return Feed.objects.filter(user_id=user.pk, revoked_at__isnull=True).select_related("working_group")


def events_matching(user, query: SearchQuery) -> QuerySet[Event]:
    """The events the user may see whose title, description or place match ``query`` (an English web-style
    query: ``core.search.english_query``), best match first, then the latest. A series is found once (its
    edited occurrences are copies of it); ``snippet`` highlights the description."""
    return (
        Event.objects.visible_to(user)
        .filter(parent__isnull=True, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query), snippet=headline("description", query))
        .select_related("owner")
        .defer("ics")
        .order_by("-rank", "-start", "-pk")
    )
