"""The calendar_app URLs in the permission matrix (see tests/permission_matrix.py).

The world holds a weekly series only UNODC may see (focal_a's organisation), a platform-wide event of CTED
(wg_chair's organisation) and a subscription feed of focal_a. The feed URL answers without a session (the
token is the credential of calendar clients), so every role, anonymous included, gets the same 200.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from calendar_app.models import Event, EventType, Feed
from calendar_app.recurrence import occurrence_key
from calendar_app.services import refresh
from directory.access import Visibility
from directory.models import Organization
from tests.permission_matrix import LOGIN, NOT_OWNER, Row, everyone, secretariat_only

PRIVATE_EVENT_TITLE = "Owner-only meeting of UNODC"
NOT_UNODC = ["outsider", "focal_b", "wg_chair", "org_admin", "secretariat"]


def _private(w):
    return {"pk": w.extra["private_event"].pk}


def _occurrence(w):
    event = w.extra["private_event"]
    return {"pk": event.pk, "key": occurrence_key(event.start)}


ROWS: list = [
    # the calendar's windows: the owner-only series is listed for UNODC's people only
    Row("calendar_app:month", everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    Row("calendar_app:week", everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    Row("calendar_app:agenda", everyone(200), hidden=dict.fromkeys(NOT_UNODC, PRIVATE_EVENT_TITLE)),
    Row("calendar_app:new", everyone(200)),
    # an event nobody outside UNODC may see is a 404 for them, the Secretariat included
    Row("calendar_app:detail", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:edit", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:share", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:cancel", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:ics", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:attendees", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:attendees_csv", everyone(200, **NOT_OWNER), kwargs=_private),
    Row("calendar_app:occurrence_edit", everyone(200, **NOT_OWNER), kwargs=_occurrence),
    Row("calendar_app:occurrence_cancel", everyone(200, **NOT_OWNER), kwargs=_occurrence),
    # POST only
    Row("calendar_app:rsvp", everyone(405), kwargs=_private),
    Row("calendar_app:feed_regenerate", everyone(405), kwargs=lambda w: {"pk": w.extra["feed"].pk}),
    Row("calendar_app:feed_revoke", everyone(405), kwargs=lambda w: {"pk": w.extra["feed"].pk}),
    Row("calendar_app:feeds", everyone(200)),
    Row("calendar_app:feed", everyone(200, anonymous=200), kwargs=lambda w: {"token": w.extra["feed_token"]}),
    Row("calendar_app:clashes", secretariat_only()),
]

assert LOGIN  # re-exported for readers of this module: anonymous visitors are sent to sign in


def build(world) -> None:
    """Create the objects the rows request and keep them in ``world.extra``."""
    unodc = Organization.objects.get(reference_key="entity:UNODC")
    cted = Organization.objects.get(reference_key="entity:CTED")
    today = timezone.now().date()
    start = datetime.combine(today, time(12), UTC)
    private = Event.objects.create(
        title=PRIVATE_EVENT_TITLE,
        event_type=EventType.COMPACT_MEETING,
        owner=unodc,
        visibility=Visibility.OWNER,
        start=start,
        end=start + timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    refresh(private)
    public = Event.objects.create(
        title="Platform-wide conference of CTED",
        event_type=EventType.CONFERENCE,
        owner=cted,
        visibility=Visibility.PLATFORM,
        start=start + timedelta(hours=2),
        end=start + timedelta(hours=4),
    )
    refresh(public)
    feed = Feed(user=world.users["focal_a"], name="Everything")
    token = feed.issue_token()
    feed.save()
    world.extra.update(private_event=private, platform_event=public, feed=feed, feed_token=token)
