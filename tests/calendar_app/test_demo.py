"""The calendar's demo data: a year of events, some recurring, a cancelled one, a clash; idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from calendar_app import demo
from calendar_app.models import Event, EventStatus, Occurrence, Rsvp, RsvpResponse
from calendar_app.selectors import clash_pairs
from tests.conftest import seed

pytestmark = pytest.mark.django_db


def test_a_year_of_events_seeded_twice_without_duplicates(compact):
    # given the demo seeded twice
    seed(demo)
    counts = (Event.objects.count(), Occurrence.objects.count(), Rsvp.objects.count())
    run = seed(demo)
    # then nothing is duplicated
    assert (Event.objects.count(), Occurrence.objects.count(), Rsvp.objects.count()) == counts
    assert Event.objects.filter(parent=None).count() == len(demo.DEMO_EVENTS)
    # and it holds recurring series with a moved and a cancelled occurrence, a cancelled event, a waiting list
    series = Event.objects.get(uid="demo-wg2-monthly@compact-platform", parent=None)
    assert series.overrides.count() == 1
    assert len(series.exdates) == 1
    assert Occurrence.objects.filter(event=series).count() == 12 - 2
    assert Event.objects.filter(status=EventStatus.CANCELLED).exists()
    assert Rsvp.objects.filter(response=RsvpResponse.WAITING).count() == 1
    now = timezone.now()
    span = Occurrence.objects.order_by("start")
    assert span.first().start < now - timedelta(days=30)
    assert span.last().start > now + timedelta(days=250)
    # and the Kenya visit clashes with Kenya's own event (seen by Kenya's focal point, who may see both)
    pairs = clash_pairs(run.users["state_focal_point"], start=now, end=now + timedelta(days=60))
    titles = {(a.event.title, b.event.title) for a, b, _reasons in pairs}
    assert (
        "CTED follow-up visit to Kenya",
        "Launch of Kenya's national counter-terrorism strategy",
    ) in titles
