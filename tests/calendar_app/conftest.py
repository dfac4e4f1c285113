"""Calendar fixtures: events made as the service makes them (with their occurrences and VEVENT)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calendar_app.models import Event, EventType
from calendar_app.services import refresh
from directory.access import Visibility
from tests.conftest import organization


def at(text: str) -> datetime:
    """'2026-03-10 09:00' in UTC."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def make_event(
    owner, visibility=Visibility.PLATFORM, *, title="Meeting", start=None, hours=2, **fields
) -> Event:
    start = start or at("2027-03-10 09:00")
    audience = fields.pop("audience", ())
    organizers = fields.pop("organizers", ())
    event = Event.objects.create(
        owner=owner,
        visibility=visibility,
        title=title,
        event_type=fields.pop("event_type", EventType.COMPACT_MEETING),
        start=start,
        end=fields.pop("end", start + timedelta(hours=hours)),
        **fields,
    )
    if audience:
        event.audience_organizations.add(*audience)
    if organizers:
        event.organizations.add(*organizers)
    refresh(event)
    return event


@pytest.fixture
def cted_person(compact, make_user):
    return make_user("cted@example.org", organization=organization("entity:CTED"), full_name="Chen Cted")
