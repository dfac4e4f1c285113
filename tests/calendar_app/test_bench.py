"""The calendar's bench data set: made in SQL exactly as the application makes events, and timed pages that
answer as expected."""

from __future__ import annotations

import icalendar
import pytest
from django.test.utils import override_settings

from calendar_app import bench
from calendar_app.models import Event, Occurrence
from calendar_app.recurrence import expand
from compact_platform.benchmarking import measure
from core.benchmarking import Scale
from directory import bench as directory_bench
from directory.models import Organization

pytestmark = pytest.mark.django_db


def test_the_bench_events_are_what_the_application_would_make(compact):
    # given the directory's bench people, when the calendar's data set is made
    organizations = Organization.objects.filter(is_active=True).count()
    lines = []
    directory_bench.generate(Scale(users=60, organizations=organizations), lines.append)
    bench.generate(Scale(users=60, organizations=organizations, events=400), lines.append)
    assert "calendar: 400 events" in lines
    assert Event.objects.count() == 400
    # then about a tenth repeat, and every occurrence is where the rule puts it
    series = list(Event.objects.exclude(rrule=""))
    assert 15 <= len(series) <= 70
    for event in series:
        starts = list(
            Occurrence.objects.filter(event=event).order_by("start").values_list("start", flat=True)
        )
        assert starts == expand(rule=event.rrule, start=event.start, time_zone=event.time_zone)
        assert event.series_end == starts[-1] + (event.end - event.start)
    # and each occurrence carries its event's audience, each event its VEVENT
    for occurrence in Occurrence.objects.select_related("event")[:200]:
        event = occurrence.event
        assert (occurrence.owner_id, occurrence.visibility, occurrence.working_group_id) == (
            event.owner_id,
            event.visibility,
            event.working_group_id,
        )
    (component,) = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + Event.objects.first().ics + "END:VCALENDAR\r\n"
    ).walk("VEVENT")
    assert str(component["UID"]).startswith("bench-")
    # a second run with the same scale changes nothing
    bench.generate(Scale(users=60, organizations=organizations, events=400), lines.append)
    assert Event.objects.count() == 400

    # when the pages are timed, then each answers as expected (a 304 for the feed with its ETag)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        items = list(bench.measurements(Scale(events=400), lines.append))
        timings = [measure(item, 1) for item in items]
    names = [timing.page.name for timing in timings]
    assert names[0] == "calendar month view (entity focal point)"
    assert "calendar personal feed, repeated with its ETag (304)" in names
    assert all(timing.queries > 0 for timing in timings)
