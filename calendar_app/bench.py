"""calendar_app's part of ``bench``: Scale.events events (a tenth of them recurring) and the calendar's
pages timed on them: the month view of a typical entity focal point, a personal feed of about 5,000 events,
and the same feed asked again with its ETag (a calendar client polling).

Events are written by set-based SQL with the audit triggers ignored, as in notices.bench. They spread over
five years around today (two back, three ahead), so that any month holds its share; the audience mix is the
notices' one (30 % platform, 20 % Compact, 20 % Working Group, 10 % named organisations, 20 % owner only;
1 % shared with a person); a fifth are in a Member State. Recurring events repeat weekly or fortnightly, 4 to
16 times, in UTC, so their occurrences are generated in SQL exactly as ``calendar_app.recurrence`` expands
them. Each event's VEVENT is then rendered by the same code as a save (``ical.render``), in batches.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calendar_app import ical
from calendar_app.models import Event, EventType, EventUserGrant, Feed, Occurrence
from calendar_app.selectors import feed_events
from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory.access import viewer
from directory.bench import BENCH_EMAIL_DOMAIN, focal_point
from directory.models import Organization, OrganizationKind, User, WorkingGroup

EVENTS = Event._meta.db_table
AUDIENCE_TABLE = Event.audience_organizations.through._meta.db_table
GRANTS = EventUserGrant._meta.db_table
OCCURRENCES = Occurrence._meta.db_table
TYPES = [value for value, _label in EventType.choices]
BENCH_FEED = "Bench feed"
#: The feed's size the issue states its target for.
FEED_EVENTS = 5_000

INSERT_EVENTS = f"""
WITH params AS (SELECT %s::bigint[] AS orgs, %s::bigint[] AS wgs, %s::text[] AS types, %s::text[] AS countries,
                       date_trunc('day', now()) - interval '730 days' AS t0),
src AS (SELECT g, random() AS r, random() AS r_owner, random() AS r_wg, random() AS r_type, random() AS r_rec,
               random() AS r_day, random() AS r_hour, random() AS r_len, random() AS r_country, random() AS r_count
        FROM generate_series(%s, %s) g),
shaped AS (
  SELECT src.*, p.*,
         p.t0 + floor(src.r_day * 1826) * interval '1 day' + (7 + floor(src.r_hour * 11)) * interval '1 hour'
           AS starts,
         (1 + floor(src.r_len * 4)) * interval '1 hour' AS duration,
         CASE WHEN src.r_rec < 0.1 THEN 4 + floor(src.r_count * 13)::int END AS repeats,
         CASE WHEN src.r_rec < 0.05 THEN 2 ELSE 1 END AS step,
         CASE WHEN src.r < 0.3 THEN 'platform' WHEN src.r < 0.5 THEN 'compact'
              WHEN src.r < 0.7 THEN 'working_group' WHEN src.r < 0.8 THEN 'organizations'
              ELSE 'owner' END AS visibility
  FROM src CROSS JOIN params p
)
INSERT INTO {EVENTS} (uid, title, event_type, description, start, "end", all_day, time_zone, venue, city,
                      country, online_url, tags, status, capacity, rrule, exdates, series_end, sequence, ics,
                      created_at, updated_at, owner_id, visibility, working_group_id)
SELECT 'bench-' || g || '@compact-platform',
       'Event ' || g || ': coordination meeting on the joint workplan',
       types[1 + floor(r_type * array_length(types, 1))::int],
       'Agenda: updates from the entities, the joint workplan, any other business. Reference ' || g || '.',
       starts, starts + duration, false, 'UTC', 'Conference room ' || (g %% 20), 'New York',
       CASE WHEN r_country < 0.2 THEN countries[1 + floor(r_country * 5 * array_length(countries, 1))::int]
            ELSE '' END,
       '', '{{}}', 'confirmed', NULL,
       CASE WHEN repeats IS NULL THEN ''
            ELSE 'FREQ=WEEKLY;COUNT=' || repeats || CASE WHEN step = 2 THEN ';INTERVAL=2' ELSE '' END END,
       '{{}}',
       starts + duration + coalesce(repeats - 1, 0) * step * interval '1 week',
       0, '', now(), now(),
       orgs[1 + floor(r_owner * array_length(orgs, 1))::int],
       visibility,
       CASE WHEN visibility = 'working_group' THEN wgs[1 + floor(r_wg * array_length(wgs, 1))::int] END
FROM shaped
ORDER BY g
"""

INSERT_OCCURRENCES = f"""
INSERT INTO {OCCURRENCES} (event_id, start, "end", owner_id, visibility, working_group_id, all_day)
SELECT e.id, e.start + k * s.step * interval '1 week', e."end" + k * s.step * interval '1 week',
       e.owner_id, e.visibility, e.working_group_id, e.all_day
FROM {EVENTS} e
CROSS JOIN LATERAL (SELECT coalesce(substring(e.rrule from 'COUNT=([0-9]+)')::int, 1) AS repeats,
                           CASE WHEN e.rrule LIKE '%%INTERVAL=2%%' THEN 2 ELSE 1 END AS step) s
CROSS JOIN LATERAL generate_series(0, s.repeats - 1) k
WHERE e.id > %s
"""

INSERT_AUDIENCES = f"""
WITH p AS (SELECT %s::bigint[] AS orgs)
INSERT INTO {AUDIENCE_TABLE} (event_id, organization_id)
SELECT e.id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int]
FROM {EVENTS} e CROSS JOIN p CROSS JOIN generate_series(1, 2)
WHERE e.id > %s AND e.visibility = 'organizations'
ON CONFLICT DO NOTHING
"""

INSERT_GRANTS = f"""
WITH p AS (SELECT %s::bigint AS permission, %s::bigint[] AS users)
INSERT INTO {GRANTS} (permission_id, content_object_id, user_id)
SELECT p.permission, e.id, p.users[1 + floor(random() * array_length(p.users, 1))::int]
FROM {EVENTS} e CROSS JOIN p
WHERE e.id > %s AND random() < 0.01
ON CONFLICT DO NOTHING
"""

STORE_ICS = f"""
UPDATE {EVENTS} e SET ics = v.ics
FROM unnest(%s::bigint[], %s::text[]) AS v(id, ics)
WHERE e.id = v.id
"""


def generate(scale: Scale, write) -> None:
    """Add events up to Scale.events (a rerun with the same scale changes nothing)."""
    current = Event.objects.count()
    if current >= scale.events:
        return
    after = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    organizations = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    countries = list(
        Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE).values_list("iso3", flat=True)
    )
    groups = list(WorkingGroup.objects.values_list("pk", flat=True))
    users = list(User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").values_list("pk", flat=True))
    permission = Permission.objects.get(codename="view_event").pk
    with transaction.atomic(), ignoring_audit("calendar_app"), connection.cursor() as cursor:
        # Positional parameters: pgtrigger.ignore prepends one of its own to each statement.
        cursor.execute(INSERT_EVENTS, [organizations, groups, TYPES, countries, current + 1, scale.events])
        cursor.execute(INSERT_OCCURRENCES, [after])
        cursor.execute(INSERT_AUDIENCES, [organizations, after])
        if users:
            cursor.execute(INSERT_GRANTS, [permission, users, after])
        _render_ics(cursor, after)
    # The planner must know the new rows (and index-only scans need the visibility map): VACUUM cannot run
    # in a transaction (as in the tests), ANALYZE can.
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (EVENTS, OCCURRENCES, AUDIENCE_TABLE, GRANTS):
            cursor.execute(f"{analyze} {table}")
    write(f"calendar: {scale.events:,} events")


def _render_ics(cursor, after: int, batch: int = 2_000) -> None:
    """Each new event's VEVENT, rendered by the code a save runs."""
    ids = list(Event.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True))
    for index in range(0, len(ids), batch):
        events = Event.objects.filter(pk__in=ids[index : index + batch]).select_related("owner")
        rendered = [(event.pk, ical.render(event)) for event in events]
        cursor.execute(STORE_ICS, [[pk for pk, _ics in rendered], [ics for _pk, ics in rendered]])


def _feed_of(user, target: int) -> tuple[Feed, str, int]:
    """A feed of the user, filtered to the types that bring it closest to ``target`` events (a feed of the
    types one follows), with a fresh token."""
    Feed.objects.filter(user=user, name=BENCH_FEED).delete()
    feed = Feed(user=user, name=BENCH_FEED)
    per_type = dict(
        feed_events(feed)
        .order_by()
        .values_list("event_type")
        .annotate(n=Count("id"))
        .values_list("event_type", "n")
    )
    chosen, total = [], 0
    for event_type, number in sorted(per_type.items(), key=lambda item: -item[1]):
        if total >= target:
            break
        if total + number > target * 1.3 and chosen:
            continue
        chosen.append(event_type)
        total += number
    feed.event_types = chosen
    token = feed.issue_token()
    feed.save()
    return feed, token, feed_events(feed).count()


def _not_modified(url: str, etag: str):
    client = Client()

    def request():
        response = client.get(url, secure=True, headers={"if-none-match": etag})
        if response.status_code != 304:
            raise RuntimeError(f"calendar feed with ETag: answered {response.status_code}, not 304")

    return request


def measurements(scale: Scale, write):
    reader = focal_point()
    who = viewer(reader)
    month = timezone.now().strftime("%Y-%m")
    data = f"{scale.events:,} events"
    yield Page(
        "calendar month view (entity focal point)",
        reverse("calendar_app:month") + f"?month={month}",
        user=lambda: reader,
        data=data,
        target_ms=50,
    )
    yield Page(
        "calendar week view (entity focal point)",
        reverse("calendar_app:week"),
        user=lambda: reader,
        data=data,
    )
    yield Page(
        "calendar agenda (entity focal point)", reverse("calendar_app:agenda"), user=lambda: reader, data=data
    )
    api = reverse("api:calendar-event-list")
    yield Page(
        "API: events, first page (entity focal point)", api, user=lambda: reader, data=data, target_ms=50
    )
    today = timezone.now().date()
    yield Page(
        "API: events of the next 31 days (entity focal point)",
        f"{api}?start={today}&end={today + timezone.timedelta(days=31)}",
        user=lambda: reader,
        data=data,
        target_ms=50,
    )
    group = min(who.working_group_ids, default=None)
    if group is not None:
        yield Page(
            "calendar month view filtered by a WG (entity focal point)",
            reverse("calendar_app:month") + f"?month={month}&working_group={group}",
            user=lambda: reader,
            data=data,
        )
    visible = Event.objects.visible_to(reader).order_by("-series_end")
    event = visible.filter(rrule__gt="").first() or visible.first()
    if event is not None:
        yield Page("calendar event page", event.get_absolute_url(), user=lambda: reader, data=data)
    _feed, token, size = _feed_of(reader, FEED_EVENTS)
    url = reverse("calendar_app:feed", kwargs={"token": token})
    feed_data = f"{size:,} of {scale.events:,} events"
    yield Page("calendar personal feed (.ics)", url, data=feed_data, target_ms=300)
    etag = Client().get(url, secure=True)["ETag"]
    yield Query(
        "calendar personal feed, repeated with its ETag (304)", _not_modified(url, etag), feed_data, 10
    )
