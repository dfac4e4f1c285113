"""The joint calendar in a real browser: create an event, meet the clash warning, save anyway, RSVP, subscribe
and fetch the feed; the calendar's pages checked against WCAG 2.1 AA (axe-core)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest

from calendar_app.models import Event, Rsvp
from calendar_app.recurrence import local_to_utc
from directory.access import Visibility
from directory.models import WorkingGroup
from tests.browser import test_accessibility as accessibility
from tests.browser.steps import choose, sign_in
from tests.calendar_app.conftest import make_event
from tests.conftest import make_profile, organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_see_the_clash_rsvp_and_subscribe(page, compact, make_user, settings):
    settings.MFA_REQUIRED = False  # the MFA journey has its own test; here the calendar is under test
    organiser = make_user(
        "organiser@unodc.example",
        organization=organization("entity:UNODC"),
        full_name="Olga Organiser",
        mfa=False,
    )
    make_profile(user=organiser, time_zone="Europe/Zurich")
    day = (datetime.now(UTC) + timedelta(days=20)).date()
    wg = WorkingGroup.objects.get(number=2)
    # given a WG 2 plenary at 10:00–12:00 Geneva time that day (09:00 UTC in winter, 08:00 in summer)
    plenary_start = local_to_utc(datetime.combine(day, time(10)), "Europe/Zurich")
    make_event(
        organization("entity:CTED"),
        Visibility.PLATFORM,
        title="WG 2 plenary",
        working_group=wg,
        start=plenary_start,
        time_zone="Europe/Zurich",
    )

    sign_in(page, "organiser@unodc.example")

    # when the organiser adds a WG 2 meeting overlapping it
    page.goto("/calendar/new/")
    page.get_by_label("Title").fill("Border workshop")
    page.get_by_label("Type").select_option("training")
    page.get_by_label("Start date").fill(day.isoformat())
    page.get_by_label("Start time").fill("11:00")
    page.get_by_label("End time").fill("12:30")
    choose(page, "Time zone", "Europe/Zurich")
    page.get_by_label("Who can see it").select_option("working_group")
    page.get_by_label("Working Group").select_option(str(wg.pk))
    page.get_by_role("button", name="Save").click()

    # then the clash is shown before saving
    warning = page.get_by_role("alert")
    assert "WG 2 plenary" in warning.inner_text()
    assert not Event.objects.filter(title="Border workshop").exists()
    # and saving anyway creates it
    page.get_by_label("Save anyway").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/calendar/events/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Border workshop"
    assert "11:00" in page.content()
    assert "Europe/Zurich" in page.content()

    # when they answer "attending"
    page.get_by_role("button", name="Attending", exact=True).click()
    assert page.get_by_text("Your answer is recorded: Attending.").is_visible()
    assert Rsvp.objects.filter(user=organiser, response="attending").exists()

    # and subscribe: the feed's address is shown once, and a calendar client (no session) reads the event
    page.goto("/calendar/feeds/")
    page.get_by_label("Name").fill("All my events")
    page.get_by_role("button", name="Create the feed").click()
    url = page.get_by_label("Feed address").input_value()
    response = page.context.request.get(url, headers={"Cookie": ""})
    assert response.status == 200
    calendar = icalendar.Calendar.from_ical(response.body())
    titles = {str(component["SUMMARY"]) for component in calendar.walk("VEVENT")}
    assert {"Border workshop", "WG 2 plenary"} <= titles
    again = page.context.request.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status == 304

    # and the calendar's pages meet WCAG 2.1 AA
    event = Event.objects.get(title="Border workshop")
    found = []
    for path in [
        f"/calendar/?month={day:%Y-%m}",
        f"/calendar/week/?date={day.isoformat()}",
        f"/calendar/agenda/?start={day.isoformat()}",
        f"/calendar/events/{event.pk}/",
        f"/calendar/events/{event.pk}/edit/",
        f"/calendar/events/{event.pk}/attendees/",
        "/calendar/feeds/",
    ]:
        page.goto(path)
        found += accessibility.violations(page)
    assert found == []
