"""Planning fixtures: people in each role of WG 2 (CTED chairs it, UNDP is a member, IOM an observer), and
activities, rounds and reports made as the services make them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from directory.access import Visibility
from directory.models import Participation, ParticipationRole, WorkingGroup
from planning.models import Activity, ActivityStatus, PrioritisationRound, ReportingPeriod
from tests.conftest import organization, wg


def make_activity(
    title: str = "Border training",
    *,
    group: WorkingGroup | None = None,
    lead: str = "entity:UNDP",
    owner: str | None = None,
    status: str = ActivityStatus.PROPOSED,
    start: date = date(2026, 3, 1),
    end: date = date(2026, 6, 30),
    visibility: str = Visibility.WORKING_GROUP,
    **fields,
) -> Activity:
    return Activity.objects.create(
        working_group=group or wg(),
        title=title,
        lead_organization=organization(lead),
        owner=organization(owner or lead),
        status=status,
        start=start,
        end=end,
        visibility=visibility,
        **fields,
    )


def make_round(
    activities, *, group=None, title="Round", opens=None, closes=None, **fields
) -> PrioritisationRound:
    now = timezone.now()
    round_ = PrioritisationRound.objects.create(
        working_group=group or wg(),
        title=title,
        opens_at=opens or now - timedelta(days=1),
        closes_at=closes or now + timedelta(days=7),
        **fields,
    )
    round_.activities.set(activities)
    return round_


def make_period(name: str = "2026", start=date(2026, 1, 1), end=date(2026, 12, 31)) -> ReportingPeriod:
    return ReportingPeriod.objects.create(name=name, start=start, end=end, due=end + timedelta(days=31))


@pytest.fixture
def other_member(compact, make_user):
    """A focal point of ICAO, another member of WG 2."""
    return make_user("icao@example.org", organization=organization("entity:ICAO"), full_name="Ida Icao")


@pytest.fixture
def observer(compact, make_user):
    """A focal point of IOM, an observer of WG 2."""
    return make_user(
        "observer@example.org", organization=organization("entity:IOM"), full_name="Otto Observer"
    )


@pytest.fixture
def guest(compact, make_user):
    """A focal point of Kenya, invited to WG 2 as a guest for a topic."""
    Participation.objects.create(
        working_group=wg(),
        organization=organization("state:KEN"),
        role=ParticipationRole.GUEST,
        topic="Border management in East Africa",
        until=timezone.localdate() + timedelta(days=30),
    )
    return make_user("guest@example.org", organization=organization("state:KEN"), full_name="Grace Guest")


@pytest.fixture
def stranger(au_person):
    """A focal point of the African Union, which takes no part in WG 2."""
    return au_person
