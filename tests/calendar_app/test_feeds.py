"""iCalendar: one event as .ics, personal subscription feeds (tokens, filters, conditional requests), parsed
by two independent readers: ``icalendar`` and ``recurring_ical_events`` (which expands the recurrences)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date
from guardian.shortcuts import assign_perm

from calendar_app import services
from calendar_app.forms import FeedForm
from calendar_app.models import Event, Feed, RsvpResponse
from calendar_app.recurrence import occurrence_key
from directory.access import Visibility
from directory.models import Membership, WorkingGroup
from tests.calendar_app.conftest import at, make_event
from tests.conftest import organization, signed_in

pytestmark = pytest.mark.django_db


def new_feed(user, **data) -> tuple[Feed, str]:
    form = FeedForm({"name": "My calendar", **data}, user=user)
    assert form.is_valid(), form.errors
    return services.create_feed(form=form, by=user)


def fetch(token: str, **headers):
    return Client().get(reverse("calendar_app:feed", kwargs={"token": token}), headers=headers)


def parsed(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar: icalendar.Calendar) -> set[str]:
    return {str(component["SUMMARY"]) for component in calendar.walk("VEVENT")}


def test_a_feed_holds_exactly_what_its_owner_may_see(unodc_person, ken_person):
    # given events with different audiences
    unodc, cted = organization("entity:UNODC"), organization("entity:CTED")
    make_event(unodc, Visibility.OWNER, title="UNODC only")
    make_event(cted, Visibility.PLATFORM, title="For everyone")
    make_event(cted, Visibility.COMPACT, title="Compact entities")
    shared = make_event(cted, Visibility.OWNER, title="Shared with Kamau")
    assign_perm("calendar_app.view_event", ken_person, shared)
    _feed, ken_token = new_feed(ken_person)
    _feed, unodc_token = new_feed(unodc_person)
    # then each feed has what its owner may see, and an event outside the audience never appears
    assert summaries(parsed(fetch(ken_token))) == {"For everyone", "Shared with Kamau"}
    assert summaries(parsed(fetch(unodc_token))) == {"UNODC only", "For everyone", "Compact entities"}


def test_feed_filters(unodc_person):
    wg2 = WorkingGroup.objects.get(number=2)
    unodc = organization("entity:UNODC")
    make_event(unodc, title="WG 2 meeting", working_group=wg2, event_type="wg_meeting")
    make_event(unodc, title="A webinar", event_type="webinar")
    attended = make_event(unodc, title="I attend", event_type="training")
    services.respond(event=attended, user=unodc_person, response=RsvpResponse.ATTENDING)
    assert (
        wg2.pk in __import__("directory.access", fromlist=["viewer"]).viewer(unodc_person).working_group_ids
    )
    _f, by_group = new_feed(unodc_person, working_group=wg2.pk)
    _f, by_type = new_feed(unodc_person, event_types=["webinar", "training"])
    _f, mine = new_feed(unodc_person, my_working_groups="on")
    _f, attending = new_feed(unodc_person, attending_only="on")
    assert summaries(parsed(fetch(by_group))) == {"WG 2 meeting"}
    assert summaries(parsed(fetch(by_type))) == {"A webinar", "I attend"}
    assert summaries(parsed(fetch(mine))) == {"WG 2 meeting"}
    assert summaries(parsed(fetch(attending))) == {"I attend"}


def test_a_feed_form_offers_only_the_users_working_groups(ken_person):
    form = FeedForm({"name": "x", "working_group": WorkingGroup.objects.get(number=2).pk}, user=ken_person)
    assert not form.is_valid()
    assert "working_group" in form.errors


def test_a_series_with_an_edited_and_a_cancelled_occurrence_reads_right_in_two_parsers(
    unodc_person, ken_person
):
    # given a weekly 10:00 Geneva meeting across the change to summer time, one moved, one cancelled
    series = make_event(
        organization("entity:UNODC"),
        title="Weekly sync",
        start=at("2027-03-16 09:00"),
        hours=1,
        time_zone="Europe/Zurich",
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    services.save_occurrence(
        series=series,
        original_start=at("2027-03-23 09:00"),
        data={"title": "Weekly sync (moved)", "start": at("2027-03-24 13:00"), "end": at("2027-03-24 14:00")},
        by=unodc_person,
    )
    services.cancel_occurrence(series=series, original_start=at("2027-03-30 08:00"), by=unodc_person)
    _feed, token = new_feed(ken_person)
    calendar = parsed(fetch(token))
    # icalendar: one VTIMEZONE, the series with its RRULE and EXDATE, the override with RECURRENCE-ID
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    events = calendar.walk("VEVENT")
    main = next(e for e in events if "RECURRENCE-ID" not in e)
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert str(main["UID"]) == str(moved["UID"]) == series.uid
    assert main["RRULE"]["FREQ"] == ["WEEKLY"]
    assert main.decoded("DTSTART") == datetime(2027, 3, 16, 10, 0, tzinfo=main.decoded("DTSTART").tzinfo)
    assert str(main.decoded("DTSTART").tzinfo) == "Europe/Zurich"
    assert moved.decoded("RECURRENCE-ID").astimezone(UTC) == at("2027-03-23 09:00")
    assert int(main["SEQUENCE"]) == 2
    # recurring_ical_events: expands to the first, the moved one and the last, in local wall-clock time
    expanded = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 5, 1))
    got = sorted((e.decoded("DTSTART").astimezone(UTC), str(e["SUMMARY"])) for e in expanded)
    assert got == [
        (at("2027-03-16 09:00"), "Weekly sync"),
        (at("2027-03-24 13:00"), "Weekly sync (moved)"),
        (at("2027-04-06 08:00"), "Weekly sync"),  # 10:00 in Geneva, in summer time
    ]


def test_cancelled_events_are_sent_cancelled_and_all_day_as_dates(unodc_person):
    unodc = organization("entity:UNODC")
    cancelled = make_event(unodc, title="Called off")
    services.cancel_event(event=cancelled, by=unodc_person)
    make_event(
        unodc, title="Deadline day", start=at("2027-04-01 00:00"), end=at("2027-04-02 00:00"), all_day=True
    )
    _feed, token = new_feed(unodc_person)
    events = {str(e["SUMMARY"]): e for e in parsed(fetch(token)).walk("VEVENT")}
    assert str(events["Called off"]["STATUS"]) == "CANCELLED"
    assert int(events["Called off"]["SEQUENCE"]) == 1
    assert events["Deadline day"].decoded("DTSTART") == date(2027, 4, 1)
    assert events["Deadline day"].decoded("DTEND") == date(2027, 4, 2)


def test_one_event_as_ics(unodc_person):
    event = make_event(organization("entity:UNODC"), title="One off", start=at("2027-03-16 09:00"))
    response = signed_in(unodc_person).get(reverse("calendar_app:ics", kwargs={"pk": event.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    (component,) = parsed(response).walk("VEVENT")
    assert str(component["UID"]) == event.uid
    assert component.decoded("DTSTART") == at("2027-03-16 09:00")


def test_regenerating_the_token_kills_the_old_url_at_once(unodc_person):
    feed, old = new_feed(unodc_person)
    assert fetch(old).status_code == 200
    client = signed_in(unodc_person)
    response = client.post(reverse("calendar_app:feed_regenerate", kwargs={"pk": feed.pk}))
    new = response.context["new_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    # revoked: 404 too, with the same plain answer as a token that never existed
    client.post(reverse("calendar_app:feed_revoke", kwargs={"pk": feed.pk}))
    gone, unknown = fetch(new), fetch("x" * 43)
    assert gone.status_code == unknown.status_code == 404
    assert gone.content == unknown.content == b"Not found"
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert len(feed.token_digest) == 64
    assert new not in feed.token_digest


@pytest.mark.parametrize("token", ["", "a", "%00", "..%2F..%2Fetc", "ü" * 10, "a" * 199, "<script>"])
def test_malformed_tokens_are_a_plain_404(token):
    response = Client().get(f"/calendar/feeds/{token}.ics")
    assert response.status_code == 404


def test_someone_elses_feed_cannot_be_regenerated_or_revoked(unodc_person, ken_person):
    feed, token = new_feed(unodc_person)
    client = signed_in(ken_person)
    assert client.post(reverse("calendar_app:feed_regenerate", kwargs={"pk": feed.pk})).status_code == 404
    assert client.post(reverse("calendar_app:feed_revoke", kwargs={"pk": feed.pk})).status_code == 404
    assert fetch(token).status_code == 200


def test_a_deactivated_owners_feed_is_a_404(unodc_person):
    _feed, token = new_feed(unodc_person)
    unodc_person.is_active = False
    unodc_person.save()
    assert fetch(token).status_code == 404


def test_a_feed_follows_the_owners_access_now(unodc_person):
    make_event(organization("entity:UNODC"), Visibility.OWNER, title="UNODC only")
    _feed, token = new_feed(unodc_person)
    assert summaries(parsed(fetch(token))) == {"UNODC only"}
    Membership.objects.filter(user=unodc_person).update(ended_at=datetime.now(UTC))
    assert summaries(parsed(fetch(token))) == set()


def test_conditional_requests(unodc_person, ken_person):
    unodc = organization("entity:UNODC")
    event = make_event(unodc, title="First")
    _feed, token = new_feed(ken_person)
    first = fetch(token)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    # a repeated request with the ETag or the date is a 304, without a body
    again = fetch(token, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert fetch(token, if_modified_since=last_modified).status_code == 304
    assert fetch(token, if_none_match='"other"').status_code == 200
    # any change the owner would see moves the ETag: an edit...
    event.title = "First, renamed"
    event.save()
    assert fetch(token, if_none_match=etag).status_code == 200
    etag = fetch(token)["ETag"]
    # ...a new event...
    make_event(unodc, Visibility.OWNER, title="Private")
    etag2 = fetch(token)["ETag"]
    assert etag2 != etag
    # ...a share...
    private = Event.objects.get(title="Private")
    services.share_event(event=private, by=unodc_person, users=[ken_person])
    shared = fetch(token, if_none_match=etag2)
    assert shared.status_code == 200
    assert "Private" in summaries(parsed(shared))
    # ...and a change of the owner's groups
    etag3 = shared["ETag"]
    ken_person.groups.add(Group.objects.create(name="Some group"))
    assert fetch(token, if_none_match=etag3).status_code == 200
    # a date far in the past is not fresh
    old = http_date((datetime.now(UTC) - timedelta(days=3650)).timestamp())
    assert fetch(token, if_modified_since=old).status_code == 200


def test_the_conditional_answer_reads_no_event(unodc_person, django_assert_max_num_queries):
    for number in range(5):
        make_event(organization("entity:UNODC"), title=f"E{number}")
    _feed, token = new_feed(unodc_person)
    etag = fetch(token)["ETag"]
    # the feed by token, the owner's audience context (3), the version probes: no event read
    with django_assert_max_num_queries(6) as captured:
        assert fetch(token, if_none_match=etag).status_code == 304
    assert not any('"calendar_app_event"."ics"' in query["sql"] for query in captured.captured_queries)


def test_the_feed_makes_a_constant_number_of_queries(unodc_person, django_assert_num_queries):
    _feed, token = new_feed(unodc_person)
    make_event(organization("entity:UNODC"), title="One")
    fetch(token)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        fetch(token)
    for number in range(10):
        make_event(organization("entity:UNODC"), title=f"More {number}", rrule="FREQ=WEEKLY;COUNT=3")
    with CaptureQueriesContext(connection) as more:
        fetch(token)
    assert len(more) == len(few)


def test_occurrence_keys_round_trip():
    moment = at("2027-03-16 09:00")
    assert occurrence_key(moment) == "20270316T090000Z"
