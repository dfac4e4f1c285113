"""The calendar_app URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a weekly series only UNODC may see (focal_a's organisation), a platform-wide event of CTED
(wg_chair's organisation) and a subscription feed of focal_a. The feed URL answers without a session (the
token is the credential of calendar clients), so every role, anonymous included, gets the same 200.

The POST rows act on CTED's platform-wide events (its people change, share and cancel them and their
occurrences; every other reader gets a 403, but UNDP's admin edits the one it holds a "change" grant on —
without sharing it), answer a meeting for WG 2's members (its readers answer, the
others get a 404), and on feeds, which are their owner's alone (anyone else's is a 404).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from guardian.shortcuts import assign_perm

from calendar_app.forms import EventForm
from calendar_app.models import Event, EventStatus, EventType, Feed, Rsvp
from calendar_app.recurrence import occurrence_key
from calendar_app.services import refresh
from directory.access import Visibility
from tests import permission_matrix as pm

PRIVATE_EVENT_TITLE = "Owner-only meeting of UNODC"
NOT_UNODC = ["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"]
NEW_TITLE = "Meeting added through the permission matrix"
API_TITLE = "Meeting added through the API by the permission matrix"


def _private(w):
    return {"pk": w.extra["private_event"].pk}


def _occurrence(w):
    event = w.extra["private_event"]
    return {"pk": event.pk, "key": occurrence_key(event.start)}


ROWS: list = [
    # the calendar's windows: the owner-only series is listed for UNODC's people only
    pm.Row("calendar_app:month", pm.everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    pm.Row("calendar_app:week", pm.everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    pm.Row("calendar_app:agenda", pm.everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    pm.Row("calendar_app:new", pm.everyone(200)),
    # an event nobody outside UNODC may see is a 404 for them, the Secretariat included
    pm.Row("calendar_app:detail", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:edit", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:share", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:cancel", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:ics", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:attendees", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:attendees_csv", pm.everyone(200, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("calendar_app:occurrence_edit", pm.everyone(200, **pm.NOT_OWNER), kwargs=_occurrence),
    pm.Row("calendar_app:occurrence_cancel", pm.everyone(200, **pm.NOT_OWNER), kwargs=_occurrence),
    # POST only
    pm.Row("calendar_app:rsvp", pm.everyone(405), kwargs=_private),
    pm.Row("calendar_app:feed_regenerate", pm.everyone(405), kwargs=lambda w: {"pk": w.extra["feed"].pk}),
    pm.Row("calendar_app:feed_revoke", pm.everyone(405), kwargs=lambda w: {"pk": w.extra["feed"].pk}),
    pm.Row("calendar_app:feeds", pm.everyone(200)),
    pm.Row(
        "calendar_app:feed",
        pm.everyone(200, anonymous=200),
        kwargs=lambda w: {"token": w.extra["feed_token"]},
    ),
    pm.Row("calendar_app:clashes", pm.secretariat_only()),
    # the API: the same audience, a 401 instead of the sign-in page
    pm.Row(
        "api:calendar-event-list",
        pm.everyone(200, anonymous=401),
        hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE),
    ),
    pm.Row("api:calendar-event-detail", pm.everyone(200, anonymous=401, **pm.NOT_OWNER), kwargs=_private),
    pm.Row("api:calendar-event-rsvp", pm.everyone(405, anonymous=401), kwargs=_private),  # POST only
]

assert pm.LOGIN  # re-exported for readers of this module: anonymous visitors are sent to sign in


def _event(title: str, start: datetime, owner_key="entity:CTED", **fields) -> Event:
    fields.setdefault("visibility", Visibility.PLATFORM)
    fields.setdefault("event_type", EventType.CONFERENCE)
    event = Event.objects.create(
        title=title, owner=pm.org(owner_key), start=start,
        end=start + timedelta(hours=1), **fields,
    )  # fmt: skip
    refresh(event)
    return event


def _feed(world, name: str) -> tuple[Feed, str]:
    feed = Feed(user=world.users["focal_a"], name=name)
    token = feed.issue_token()
    feed.save()
    return feed, token


def build(world) -> None:
    """Create the objects the rows request and keep them in ``world.extra``."""
    start = datetime.combine(timezone.now().date(), time(12), UTC)
    private = _event(
        PRIVATE_EVENT_TITLE, start, "entity:UNODC", visibility=Visibility.OWNER, rrule="FREQ=WEEKLY;COUNT=4",
        event_type=EventType.COMPACT_MEETING,
    )  # fmt: skip
    public = _event("Platform-wide conference of CTED", start + timedelta(hours=2))
    assign_perm("calendar_app.change_event", world.users["org_admin"], public)
    pm.shared_beforehand(public)
    feed, token = _feed(world, "Everything")
    world.extra.update(private_event=private, platform_event=public, feed=feed, feed_token=token)
    # for the POST rows
    series = _event("Weekly call of CTED", start + timedelta(hours=5), rrule="FREQ=WEEKLY;COUNT=4")
    for name in ("event_api_put", "event_api_patch"):
        world.extra[name] = _event(f"CTED event for {name}", start + timedelta(days=5))
        assign_perm("calendar_app.change_event", world.users["org_admin"], world.extra[name])
    world.extra.update(
        to_cancel=_event("CTED meeting to cancel", start + timedelta(days=1)),
        cted_series=series,
        members_meeting=_event(
            "WG 2 members' meeting",
            start + timedelta(days=2),
            owner_key="entity:CTED",
            visibility=Visibility.WORKING_GROUP_MEMBERS,
            working_group=world.working_group,
        ),
        feed_to_revoke=_feed(world, "Old feed")[0],
        # for the API's writes: one object per row (each row's change must not be done before it is posted)
        event_api_delete=_event("CTED meeting to cancel through the API", start + timedelta(days=3)),
        event_api_rsvp=_event(
            "WG 2 members' meeting answered through the API",
            start + timedelta(days=4),
            visibility=Visibility.WORKING_GROUP_MEMBERS,
            working_group=world.working_group,
        ),
        feed_digest=feed.token_digest,
    )


def _nth_occurrence(n: int):
    """The n-th occurrence of CTED's weekly call (its URL key and its start)."""

    def kwargs(w) -> dict:
        series = w.extra["cted_series"]
        return {"pk": series.pk, "key": occurrence_key(series.start + timedelta(weeks=n))}

    return kwargs


#: CTED's people change its events; every other reader is refused.
CTED_ONLY = pm.everyone(403, wg_chair=pm.DONE)
#: CTED's people and UNDP's admin, who holds a "change" grant on the event.
EDITORS = pm.everyone(403, wg_chair=pm.DONE, org_admin=pm.DONE)

POST_ROWS = [
    # added in UNODC's name (far from every other event: no clash to confirm first)
    pm.PostRow(
        "calendar_app:new",
        pm.everyone(pm.REFUSED, focal_a=pm.DONE),
        data=lambda w: {
            "title": NEW_TITLE,
            "event_type": EventType.COMPACT_MEETING,
            "start_date": "2031-03-04",
            "start_time": "10:00",
            "end_time": "11:00",
            "time_zone": "UTC",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Event.objects.filter(title=NEW_TITLE).exists(),
    ),
    # the API: as the page, with 401 for a caller without credentials and 400 for a choice refused
    pm.PostRow(
        "api:calendar-event-list",
        pm.everyone(400, anonymous=401, focal_a=pm.DONE),
        data=lambda w: {
            "title": API_TITLE,
            "event_type": EventType.COMPACT_MEETING,
            "start_date": "2031-03-05",
            "start_time": "10:00",
            "end_time": "11:00",
            "time_zone": "UTC",
            "owner": pm.org("entity:UNODC").pk,
            "visibility": Visibility.PLATFORM,
        },
        done=lambda w: Event.objects.filter(title=API_TITLE).exists(),
    ),
    pm.PostRow(
        "api:calendar-event-detail",
        {**EDITORS, "anonymous": 401},
        method="patch",
        kwargs=pm.pk_of("event_api_patch"),
        data=lambda w: {"title": pm.EDITED},
        done=pm.edited(Event, lambda w: w.extra["event_api_patch"].pk),
    ),
    pm.PostRow(
        "api:calendar-event-detail",
        {**EDITORS, "anonymous": 401},
        method="put",
        kwargs=pm.pk_of("event_api_put"),
        data=lambda w: pm.form_body(
            EventForm(instance=Event.objects.get(pk=w.extra["event_api_put"].pk), user=w.users["wg_chair"]),
            title=pm.EDITED,
        ),
        done=pm.edited(Event, lambda w: w.extra["event_api_put"].pk),
    ),
    # deleting is cancelling, by the page's rule: CTED's people
    pm.PostRow(
        "api:calendar-event-detail",
        {**CTED_ONLY, "anonymous": 401},
        method="delete",
        kwargs=pm.pk_of("event_api_delete"),
        done=lambda w: Event.objects.filter(
            pk=w.extra["event_api_delete"].pk, status=EventStatus.CANCELLED
        ).exists(),
    ),
    pm.PostRow(
        "api:calendar-event-rsvp",
        pm.everyone(pm.DONE, anonymous=401, outsider=404, focal_b=404),
        kwargs=pm.pk_of("event_api_rsvp"),
        data=lambda w: {"response": "attending"},
        done=lambda w: Rsvp.objects.filter(event=w.extra["event_api_rsvp"], user=w.actor).exists(),
    ),
    pm.PostRow(
        "calendar_app:edit",
        EDITORS,
        kwargs=pm.pk_of("platform_event"),
        data=lambda w: pm.form_body(
            EventForm(instance=Event.objects.get(pk=w.extra["platform_event"].pk), user=w.users["wg_chair"]),
            title=pm.EDITED,
        ),
        done=pm.edited(Event, lambda w: w.extra["platform_event"].pk),
    ),
    *pm.share_rows(
        "calendar_app:share",
        CTED_ONLY,
        kwargs=pm.pk_of("platform_event"),
        get_object=lambda w: w.extra["platform_event"],
    ),
    pm.PostRow(
        "calendar_app:cancel",
        CTED_ONLY,
        kwargs=pm.pk_of("to_cancel"),
        done=lambda w: Event.objects.filter(
            pk=w.extra["to_cancel"].pk, status=EventStatus.CANCELLED
        ).exists(),
    ),
    pm.PostRow(
        "calendar_app:occurrence_edit",
        CTED_ONLY,
        kwargs=_nth_occurrence(1),
        data=lambda w: {
            "title": pm.EDITED,
            "start_date": (w.extra["cted_series"].start + timedelta(weeks=1)).date().isoformat(),
            "start_time": "18:00",
            "end_time": "19:00",
        },
        done=lambda w: Event.objects.filter(parent=w.extra["cted_series"], title=pm.EDITED).exists(),
    ),
    pm.PostRow(
        "calendar_app:occurrence_cancel",
        CTED_ONLY,
        kwargs=_nth_occurrence(2),
        done=lambda w: Event.objects.filter(
            pk=w.extra["cted_series"].pk,
            exdates__contains=[w.extra["cted_series"].start + timedelta(weeks=2)],
        ).exists(),
    ),
    # the readers of WG 2's members-only meeting answer it: its member organisations' people
    pm.PostRow(
        "calendar_app:rsvp",
        pm.everyone(pm.DONE, outsider=404, focal_b=404),
        kwargs=pm.pk_of("members_meeting"),
        data=lambda w: {"response": "attending"},
        done=lambda w: Rsvp.objects.filter(event=w.extra["members_meeting"], user=w.actor).exists(),
    ),
    # feeds: everyone makes their own; only their owner (focal_a) renews or revokes one
    pm.PostRow(
        "calendar_app:feeds",
        pm.everyone(pm.DONE),
        data=lambda w: {"name": "Feed made by the matrix"},
        done=lambda w: Feed.objects.filter(user=w.actor, name="Feed made by the matrix").exists(),
    ),
    pm.PostRow(
        "calendar_app:feed_regenerate",
        pm.everyone(404, focal_a=pm.DONE),
        kwargs=pm.pk_of("feed"),
        done=lambda w: not Feed.objects.filter(token_digest=w.extra["feed_digest"]).exists(),
    ),
    pm.PostRow(
        "calendar_app:feed_revoke",
        pm.everyone(404, focal_a=pm.DONE),
        kwargs=pm.pk_of("feed_to_revoke"),
        done=lambda w: Feed.objects.filter(
            pk=w.extra["feed_to_revoke"].pk, revoked_at__isnull=False
        ).exists(),
    ),
]
