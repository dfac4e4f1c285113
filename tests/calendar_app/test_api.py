"""The calendar's API (calendar_app/api.py): a token reads the events its person reads — in lists, details,
filters and date ranges — series once with their rule; writes go through the event form and the calendar's
services (clashes, cancelling, answers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from calendar_app.models import Event, EventStatus, EventType, Rsvp
from calendar_app.services import respond, save_occurrence
from directory.access import Visibility
from tests.api.support import all_rows, bearer, queries_of
from tests.calendar_app.conftest import at, make_event
from tests.conftest import organization, wg

LIST = reverse("api:calendar-event-list")


def detail(event) -> str:
    return reverse("api:calendar-event-detail", args=[event.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.fixture
def private(compact):
    """An owner-only meeting of UNODC, of WG 2, in Kenya, on 10 March 2027."""
    return make_event(
        organization("entity:UNODC"), Visibility.OWNER, title="Owner-only meeting of UNODC",
        working_group=wg(2), country="KEN", event_type=EventType.WG_MEETING,
    )  # fmt: skip


@pytest.fixture
def public(compact):
    return make_event(
        organization("entity:UNODC"), title="Conference for everyone", start=at("2027-05-04 08:00")
    )


def test_a_token_reads_the_events_its_person_reads_and_nothing_else(
    private, public, unodc_person, ken_person
):
    # given a token of UNODC's focal point and one of Kenya's
    unodc, kenya = bearer(unodc_person, "calendar:read"), bearer(ken_person, "calendar:read")
    # then the owner-only meeting is UNODC's alone: in the list, its detail, and every filter on it
    assert titles(all_rows(unodc, LIST)) == {private.title, public.title}
    assert titles(all_rows(kenya, LIST)) == {public.title}
    assert unodc.get(detail(private)).json()["working_group"]["number"] == 2
    hidden, missing = kenya.get(detail(private)), kenya.get(detail(Event(pk=private.pk + 1000)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # the same answer for "not yours" and "not there"
    on_its_day = {"start": "2027-03-10", "end": "2027-03-10"}
    its_filters = {
        "organization": organization("entity:UNODC").pk, "working_group": wg(2).pk, "type": "wg_meeting",
        "country": "KEN",
    }  # fmt: skip
    assert all_rows(kenya, LIST, **on_its_day, **its_filters) == []
    assert all_rows(kenya, LIST, **on_its_day) == []
    assert titles(all_rows(unodc, LIST, **on_its_day, **its_filters)) == {private.title}


def test_the_detail_says_what_the_page_says(public, unodc_person, ken_person):
    # given an event in Geneva's zone with a co-organiser, a capacity and two answers
    public.time_zone, public.venue, public.city, public.capacity = "Europe/Zurich", "Palais", "Geneva", 10
    public.online_url = "https://meet.example.org/x"
    public.save()
    public.organizations.add(organization("entity:CTED"))
    respond(event=public, user=ken_person, response="attending")
    respond(event=public, user=unodc_person, response="maybe")
    # when Kenya's token reads it
    body = bearer(ken_person, "calendar:read").get(detail(public)).json()
    # then it has its times (UTC, with the organiser's zone), place, organisers, audience and answers
    assert body["start"] == "2027-05-04T08:00:00Z"
    assert body["time_zone"] == "Europe/Zurich"
    assert (body["venue"], body["city"], body["online_url"]) == (
        "Palais",
        "Geneva",
        "https://meet.example.org/x",
    )
    assert body["owner"]["acronym"] == "UNODC"
    assert [org["acronym"] for org in body["organizations"]] == ["CTED"]
    assert body["visibility"] == Visibility.PLATFORM
    assert body["rsvp_counts"] == {"attending": 1, "maybe": 1, "waiting": 0}
    assert body["my_answer"] == "attending"
    assert body["web_url"] == public.get_absolute_url()


def test_a_series_comes_once_with_its_rule_and_its_edited_occurrences_as_rows(compact, unodc_person):
    # given a weekly series of four, its second occurrence moved, and a one-off event a month later
    series = make_event(organization("entity:UNODC"), title="Weekly call", rrule="FREQ=WEEKLY;COUNT=4")
    moved = save_occurrence(
        series=series, original_start=series.start + timedelta(weeks=1),
        data={"title": "Weekly call (moved)", "start": at("2027-03-18 15:00"), "end": at("2027-03-18 16:00")},
        by=unodc_person,
    )  # fmt: skip
    make_event(organization("entity:UNODC"), title="Later", start=at("2027-06-01 09:00"))
    client = bearer(unodc_person, "calendar:read")
    # when a program asks for the weeks of the series
    rows = all_rows(client, LIST, start="2027-03-16", end="2027-03-31")
    # then it gets the series once, with its rule, and the moved occurrence pointing at it
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"Weekly call", "Weekly call (moved)"}
    assert by_title["Weekly call"]["rrule"] == "FREQ=WEEKLY;COUNT=4"
    assert by_title["Weekly call"]["repeats"]
    assert by_title["Weekly call (moved)"]["parent"] == series.pk
    assert by_title["Weekly call (moved)"]["recurrence_id"] == "2027-03-17T09:00:00Z"
    assert by_title["Weekly call (moved)"]["uid"] == by_title["Weekly call"]["uid"]
    assert moved.pk in {row["id"] for row in rows}
    # and open ranges: from a day on, and up to a day
    assert titles(all_rows(client, LIST, start="2027-03-25")) == {"Weekly call", "Later"}
    assert titles(all_rows(client, LIST, end="2027-03-10")) == {"Weekly call"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "9999-01-01"}, "start"),
        ({"start": "99999-01-01"}, "start"),
        ({"end": "²"}, "end"),
        ({"start": "2027-03-10", "end": "2027-03-01"}, "end"),  # ends before it starts
        ({"start": "2027-01-01", "end": "2029-01-01"}, "end"),  # more than a year
        ({"working_group": "²"}, "working_group"),
        ({"organization": "abc"}, "organization"),
        ({"type": "party"}, "type"),
        ({"country": "kenya"}, "country"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(ken_person, params, field):
    response = bearer(ken_person, "calendar:read").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "1/rsvp/x/"]
)
def test_bad_addresses_are_404s_not_errors(ken_person, url):
    assert bearer(ken_person, "calendar:read").get(url).status_code == 404


def test_a_page_costs_the_same_queries_whatever_its_length(compact, unodc_person, ken_person):
    client = bearer(unodc_person, "calendar:read")
    unodc, cted = organization("entity:UNODC"), organization("entity:CTED")

    def add(number: int) -> None:
        event = make_event(
            unodc, title=f"Event {number}", start=at("2027-03-10 09:00") + timedelta(days=number),
            organizers=[cted], working_group=wg(2), rrule="FREQ=DAILY;COUNT=3" if number % 2 else "",
        )  # fmt: skip
        respond(event=event, user=ken_person, response="attending")
        respond(event=event, user=unodc_person, response="maybe")

    add(0)
    few, few_in_range = (
        queries_of(client, LIST),
        queries_of(client, LIST, start="2027-03-01", end="2027-04-30"),
    )
    for number in range(1, 8):
        add(number)
    assert queries_of(client, LIST) == few
    assert queries_of(client, LIST, start="2027-03-01", end="2027-04-30") == few_in_range


def body(**changes) -> dict:
    return {
        "title": "Programmed meeting", "event_type": EventType.COMPACT_MEETING, "start_date": "2031-03-04",
        "start_time": "10:00", "end_time": "11:30", "time_zone": "Europe/Vienna", "visibility": "platform",
        **changes,
    }  # fmt: skip


def test_creating_an_event_through_the_form(unodc_person):
    client = bearer(unodc_person, "calendar:write")
    # when UNODC's focal point posts a meeting in Vienna's zone (the owner: their one organisation)
    response = client.post(LIST, body(), content_type="application/json")
    # then it is stored as the page stores it: in UTC, by its author, with its occurrence
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["start"] == "2031-03-04T09:00:00Z"
    assert created["owner"]["acronym"] == "UNODC"
    event = Event.objects.get(pk=created["id"])
    assert event.author == unodc_person
    assert event.occurrences.count() == 1


def test_a_clash_is_refused_until_the_caller_saves_anyway(compact, unodc_person):
    make_event(organization("entity:UNODC"), title="Already there", start=at("2031-03-04 09:30"))
    client = bearer(unodc_person, "calendar:write")
    refused = client.post(LIST, body(), content_type="application/json")
    assert refused.status_code == 400
    assert "Already there" in refused.json()["save_anyway"][0]
    assert not Event.objects.filter(title="Programmed meeting").exists()
    saved = client.post(LIST, body(save_anyway=True), content_type="application/json")
    assert saved.status_code == 201, saved.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": "9999-01-01"}, "start_date"),
        ({"start_date": "99999-01-01"}, "start_date"),
        ({"start_date": "²"}, "start_date"),
        ({"end_time": "09:00"}, "end_time"),  # before the start
        ({"end_date": "2031-03-01"}, "end_date"),  # before the start
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"repeat": "custom", "rrule": "FREQ=SECONDLY"}, "rrule"),
        ({"owner": 999999}, "owner"),
    ],
)
def test_bad_event_bodies_are_400s_naming_the_field_with_nothing_stored(unodc_person, changes, field):
    response = bearer(unodc_person, "calendar:write").post(
        LIST, body(**changes), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.filter(title="Programmed meeting").exists()


def test_a_choice_the_caller_may_not_make_is_refused_with_nothing_stored(ken_person):
    client = bearer(ken_person, "calendar:write")
    response = client.post(LIST, body(owner=organization("entity:UNODC").pk), content_type="application/json")
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Event.objects.filter(title="Programmed meeting").exists()


def test_partial_and_full_updates_through_the_form(public, unodc_person):
    client = bearer(unodc_person, "calendar:write")
    response = client.patch(
        detail(public), {"venue": "Vienna International Centre"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    public.refresh_from_db()
    assert public.venue == "Vienna International Centre"
    assert (public.title, public.start, public.visibility) == (
        "Conference for everyone",
        at("2027-05-04 08:00"),
        "platform",
    )
    response = client.put(
        detail(public),
        body(title="Renamed", start_date="2027-05-04", owner=public.owner_id),
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    public.refresh_from_db()
    assert (public.title, public.venue, public.time_zone) == ("Renamed", "", "Europe/Vienna")
    assert public.sequence == 2  # calendar clients pick both changes up


def test_who_may_not_change_an_event_gets_a_403_or_a_404_and_nothing_changes(private, public, ken_person):
    client = bearer(ken_person, "calendar:write")
    assert (
        client.patch(detail(public), {"title": "Taken over"}, content_type="application/json").status_code
        == 403
    )
    assert client.delete(detail(public)).status_code == 403
    assert (
        client.patch(detail(private), {"title": "Taken over"}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(detail(private)).status_code == 404
    assert not Event.objects.filter(title="Taken over").exists()
    assert not Event.objects.filter(status=EventStatus.CANCELLED).exists()


def test_deleting_cancels_the_event(public, unodc_person):
    client = bearer(unodc_person, "calendar:write")
    assert client.delete(detail(public)).status_code == 204
    # it stays, cancelled: subscribed calendars are sent the cancellation
    assert client.get(detail(public)).json()["status"] == EventStatus.CANCELLED


def test_answering_an_event(public, private, ken_person):
    client = bearer(ken_person, "calendar:write")
    rsvp = reverse("api:calendar-event-rsvp", args=[public.pk])
    response = client.post(rsvp, {"response": "attending"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["my_answer"] == "attending"
    assert response.json()["rsvp_counts"]["attending"] == 1
    assert client.post(rsvp, {"response": "waiting"}, content_type="application/json").status_code == 400
    hidden = reverse("api:calendar-event-rsvp", args=[private.pk])
    assert client.post(hidden, {"response": "attending"}, content_type="application/json").status_code == 404
    assert not Rsvp.objects.filter(event=private).exists()


def test_a_read_token_cannot_write(public, unodc_person):
    client = bearer(unodc_person, "calendar:read")
    response = client.patch(detail(public), {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    assert "calendar:write" in response.json()["detail"]
    assert client.post(LIST, body(), content_type="application/json").status_code == 403
    assert client.delete(detail(public)).status_code == 403
    rsvp = reverse("api:calendar-event-rsvp", args=[public.pk])
    assert client.post(rsvp, {"response": "attending"}, content_type="application/json").status_code == 403
    public.refresh_from_db()
    assert (public.title, public.status) == ("Conference for everyone", EventStatus.CONFIRMED)
    assert not Rsvp.objects.exists()
