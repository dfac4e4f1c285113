"""Events: entered in the organiser's zone, shown in the viewer's, repeated, edited one at a time, listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calendar_app import services
from calendar_app.models import Event, EventStatus, Occurrence
from calendar_app.recurrence import expand, occurrence_key
from directory.access import Visibility
from directory.models import Pillar, WorkingGroup
from tests.calendar_app.conftest import at, make_event
from tests.conftest import make_profile, organization, signed_in
from tests.pages import field_error, messages, parse, selected, table, value, words

pytestmark = pytest.mark.django_db


def valid_post(**overrides) -> dict:
    data = {
        "title": "Border security workshop",
        "event_type": "training",
        "start_date": "2027-03-10",
        "start_time": "10:00",
        "end_date": "2027-03-10",
        "end_time": "12:30",
        "time_zone": "Europe/Zurich",
        "rrule": "",
        "venue": "Palais des Nations",
        "city": "Geneva",
        "country": "",
        "online_url": "",
        "description": "",
        "tags": "border, training",
        "capacity": "",
        "owner": organization("entity:UNODC").pk,
        "visibility": Visibility.PLATFORM,
        "working_group": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_event_is_stored_in_utc_and_shown_in_each_viewers_zone(unodc_person, ken_person):
    # given an organiser entering 10:00 in Geneva's zone (UTC+1 in March)
    client = signed_in(unodc_person)
    response = client.post(reverse("calendar_app:new"), valid_post())
    assert response.status_code == 302
    event = Event.objects.get(title="Border security workshop")
    # then it is stored in UTC
    assert event.start == at("2027-03-10 09:00")
    assert event.end == at("2027-03-10 11:30")
    assert event.time_zone == "Europe/Zurich"
    assert event.tags == ["border", "training"]
    assert event.author == unodc_person
    # when a reader in Nairobi (UTC+3) opens it, they read their own time, with the zone named
    make_profile(user=ken_person, time_zone="Africa/Nairobi")
    page = words(signed_in(ken_person).get(event.get_absolute_url()))
    assert "12:00" in page
    assert "Africa/Nairobi" in page
    assert "Organiser's time: 10 Mar 2027, 10:00 CET (Europe/Zurich)" in page


def test_without_a_profile_times_are_shown_in_utc(unodc_person, ken_person):
    # given a reader without a profile
    ken_person.profile.delete() if hasattr(ken_person, "profile") else None
    event = make_event(organization("entity:UNODC"), start=at("2027-03-10 09:00"), time_zone="Europe/Zurich")
    # when they open the event, then UTC is used and said
    page = words(signed_in(ken_person).get(event.get_absolute_url()))
    assert "09:00" in page
    assert "(UTC)" in page


def test_the_author_profile_zone_is_the_default(unodc_person):
    make_profile(user=unodc_person, time_zone="Asia/Tokyo")
    page = signed_in(unodc_person).get(reverse("calendar_app:new"))
    assert selected(page, "Time zone") == ["Asia/Tokyo"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The end is before the start."),
        ({"end_date": "2027-03-09"}, "end_date", "The end is before the start."),
        ({"end_date": "2027-05-10"}, "end_date", "at most 31 days"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice"),
        ({"rrule": "FREQ=HOURLY"}, "rrule", "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule", "not a valid repetition rule"),
        ({"rrule": "every tuesday"}, "rrule", "NAME=value"),
        ({"rrule": "FREQ=DAILY;COUNT=1000"}, "rrule", "more than 500 occurrences"),
        ({"rrule": "FREQ=WEEKLY;UNTIL=2027-12-31"}, "rrule", "UNTIL must be a date"),
        ({"rrule": "FREQ=WEEKLY;BYSECOND=5"}, "rrule", "Unsupported part"),
        ({"start_time": ""}, "start_time", "Give the start time"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(unodc_person, overrides, field, message):
    # when an organiser submits a bad value, then the form comes back with the error next to the field
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), valid_post(**overrides))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Event.objects.filter(title="Border security workshop").exists()


def test_an_unbounded_rule_is_capped(unodc_person):
    # given a weekly rule without an end
    response = signed_in(unodc_person).post(
        reverse("calendar_app:new"), valid_post(rrule="RRULE:FREQ=WEEKLY;BYDAY=WE")
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Border security workshop")
    # then it is stored with an UNTIL two years on, and expanded that far only
    assert "UNTIL=" in event.rrule
    occurrences = list(Occurrence.objects.filter(event=event).order_by("start"))
    assert 100 <= len(occurrences) <= 105
    assert occurrences[-1].start - occurrences[0].start <= timedelta(days=730)


def test_a_weekly_series_keeps_its_wall_clock_time_across_daylight_saving(unodc_person):
    # given a weekly 10:00 meeting in Geneva from March into April (summer time starts on 28 March 2027)
    signed_in(unodc_person).post(reverse("calendar_app:new"), valid_post(rrule="FREQ=WEEKLY;COUNT=4"))
    event = Event.objects.get(title="Border security workshop")
    starts = list(Occurrence.objects.filter(event=event).order_by("start").values_list("start", flat=True))
    # then it is 09:00 UTC in winter and 08:00 UTC in summer
    assert [moment.hour for moment in starts] == [9, 9, 9, 8]


def test_all_day_events_are_dates(unodc_person, ken_person):
    response = signed_in(unodc_person).post(
        reverse("calendar_app:new"),
        valid_post(all_day="on", start_time="", end_time="", end_date="2027-03-12"),
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Border security workshop")
    assert (event.start, event.end) == (at("2027-03-10 00:00"), at("2027-03-13 00:00"))
    # a reader far west still sees it on the 10th to the 12th, not shifted by their zone
    make_profile(user=ken_person, time_zone="America/Los_Angeles")
    month = parse(signed_in(ken_person).get(reverse("calendar_app:month") + "?month=2027-03"))
    grid = table(month, "Events in").text()
    assert grid.count("All day Border security workshop") == 3
    # and the list a phone shows instead of the grid, a section a day, has the same three days
    phone = " ".join(day.text() for day in month.all("section"))
    assert phone.count("All day Border security workshop") == 3
    assert "Wednesday 10 Mar 2027" in phone


def test_one_occurrence_is_edited_and_another_cancelled(unodc_person, ken_person):
    # given a weekly series of four
    event = make_event(
        organization("entity:UNODC"),
        title="Weekly sync",
        start=at("2027-01-05 09:00"),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    client = signed_in(unodc_person)
    second, third = at("2027-01-12 09:00"), at("2027-01-19 09:00")
    # when the second occurrence moves to Wednesday 14:00 UTC with another title
    response = client.post(
        reverse("calendar_app:occurrence_edit", kwargs={"pk": event.pk, "key": occurrence_key(second)}),
        {
            "title": "Weekly sync (moved)",
            "start_date": "2027-01-13",
            "start_time": "14:00",
            "end_date": "",
            "end_time": "15:00",
            "venue": "",
            "city": "",
            "online_url": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    # and the third is cancelled
    response = client.post(
        reverse("calendar_app:occurrence_cancel", kwargs={"pk": event.pk, "key": occurrence_key(third)})
    )
    assert response.status_code == 302
    # then the month shows the first, the moved one and the fourth, not the cancelled one
    month = words(signed_in(ken_person).get(reverse("calendar_app:agenda") + "?start=2027-01-01"))
    assert month.count("Weekly sync") == 3
    assert "Weekly sync (moved)" in month
    event.refresh_from_db()
    assert event.exdates == [third]
    assert event.sequence == 2
    override = event.overrides.get()
    assert (override.recurrence_id, override.start, override.uid) == (
        second,
        at("2027-01-13 14:00"),
        event.uid,
    )
    starts = sorted(Occurrence.objects.filter(event__in=[event, override]).values_list("start", flat=True))
    assert starts == [at("2027-01-05 09:00"), at("2027-01-13 14:00"), at("2027-01-26 09:00")]


def test_an_occurrence_that_is_not_in_the_series_is_a_404(unodc_person):
    event = make_event(
        organization("entity:UNODC"), start=at("2027-01-05 09:00"), rrule="FREQ=WEEKLY;COUNT=4"
    )
    client = signed_in(unodc_person)
    for key in ("20270106T090000Z", "not-a-date"):
        url = reverse("calendar_app:occurrence_edit", kwargs={"pk": event.pk, "key": key})
        assert client.get(url).status_code == 404


def test_editing_the_series_bumps_the_sequence_and_keeps_the_uid(unodc_person):
    client = signed_in(unodc_person)
    client.post(reverse("calendar_app:new"), valid_post())
    event = Event.objects.get(title="Border security workshop")
    uid = event.uid
    client.post(
        reverse("calendar_app:edit", kwargs={"pk": event.pk}),
        valid_post(start_time="11:00", end_time="13:00"),
    )
    event.refresh_from_db()
    assert (event.uid, event.sequence, event.start) == (uid, 1, at("2027-03-10 10:00"))
    # a save without changes that matter to calendars keeps the sequence
    client.post(
        reverse("calendar_app:edit", kwargs={"pk": event.pk}),
        valid_post(start_time="11:00", end_time="13:00"),
    )
    event.refresh_from_db()
    assert event.sequence == 1


def test_cancelling_keeps_the_event_marked_cancelled(unodc_person):
    event = make_event(organization("entity:UNODC"))
    response = signed_in(unodc_person).post(reverse("calendar_app:cancel", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.sequence) == (EventStatus.CANCELLED, 1)


def test_an_event_outside_the_audience_is_a_404_and_never_listed(unodc_person, ken_person):
    private = make_event(
        organization("entity:UNODC"), Visibility.OWNER, title="UNODC internal", start=at("2027-03-10 09:00")
    )
    client = signed_in(ken_person)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(reverse("calendar_app:ics", kwargs={"pk": private.pk})).status_code == 404
    for name, query in (
        ("month", "month=2027-03"),
        ("week", "date=2027-03-10"),
        ("agenda", "start=2027-03-01"),
    ):
        assert "UNODC internal" not in words(client.get(reverse(f"calendar_app:{name}") + "?" + query))
    assert "UNODC internal" in words(
        signed_in(unodc_person).get(reverse("calendar_app:month") + "?month=2027-03")
    )


def test_filters_narrow_the_calendar_and_bad_values_are_ignored_with_a_message(unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    make_event(
        organization("entity:UNODC"), title="Of the group", working_group=wg, start=at("2027-03-10 09:00")
    )
    make_event(organization("entity:UNODC"), title="Of nobody", start=at("2027-03-11 09:00"), country="KEN")
    client = signed_in(unodc_person)
    page = words(client.get(reverse("calendar_app:agenda") + f"?start=2027-03-01&working_group={wg.pk}"))
    assert "Of the group" in page
    assert "Of nobody" not in page
    page = words(client.get(reverse("calendar_app:agenda") + "?start=2027-03-01&country=KEN"))
    assert "Of the group" not in page
    assert "Of nobody" in page
    page = words(
        client.get(reverse("calendar_app:agenda") + "?start=2027-03-01&working_group=abc&type=nonsense")
    )
    assert "Some filters were not understood" in page
    assert "Of the group" in page
    assert "Of nobody" in page
    # a malformed month is today's month, not an error
    assert client.get(reverse("calendar_app:month") + "?month=2027-99").status_code == 200


def test_the_attending_filter(unodc_person):
    mine = make_event(organization("entity:UNODC"), title="I go", start=at("2027-03-10 09:00"))
    make_event(organization("entity:UNODC"), title="I skip", start=at("2027-03-11 09:00"))
    services.respond(event=mine, user=unodc_person, response="attending")
    page = words(
        signed_in(unodc_person).get(reverse("calendar_app:agenda") + "?start=2027-03-01&attending=on")
    )
    assert "I go" in page
    assert "I skip" not in page


@pytest.mark.parametrize(("name", "pinned"), [("month", 14), ("week", 14), ("agenda", 14)])
def test_windows_make_a_constant_number_of_queries(unodc_person, name, pinned):
    def queries() -> int:
        client = signed_in(unodc_person)
        client.get(reverse("calendar_app:month"))  # session warm-up
        url = (
            reverse(f"calendar_app:{name}") + "?month=2027-03&date=2027-03-08&start=2027-03-08&type=training"
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    unodc = organization("entity:UNODC")
    make_event(unodc, title="One", start=at("2027-03-09 09:00"), event_type="training")
    few = queries()
    assert few == pinned  # pinned: a change here is a change to look at
    for day in range(10):
        make_event(
            unodc,
            title=f"More {day}",
            start=at("2027-03-08 09:00") + timedelta(days=day % 6, hours=day),
            rrule="FREQ=DAILY;COUNT=5" if day % 2 else "",
            event_type="training",
        )
    assert queries() == few


def test_the_detail_page_makes_a_constant_number_of_queries(unodc_person, make_user):
    event = make_event(
        organization("entity:UNODC"), start=at("2027-03-09 09:00"), rrule="FREQ=WEEKLY;COUNT=20"
    )

    def queries() -> int:
        client = signed_in(unodc_person)
        client.get(reverse("calendar_app:month"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    assert few == 18  # pinned
    for number in range(5):
        person = make_user(f"p{number}@example.org", organization=organization("entity:UNDP"))
        services.respond(event=event, user=person, response="attending")
    assert queries() == few


def test_upcoming_block(unodc_person, ken_person):
    from django.template.loader import render_to_string

    from calendar_app.selectors import upcoming_for

    now = datetime.now(UTC)
    wg = WorkingGroup.objects.get(number=2)
    make_event(organization("entity:UNODC"), title="Soon", start=now + timedelta(days=1))
    make_event(organization("entity:UNODC"), title="Of WG 2", start=now + timedelta(days=2), working_group=wg)
    make_event(organization("entity:UNODC"), Visibility.OWNER, title="Hidden", start=now + timedelta(days=1))
    make_event(organization("entity:UNODC"), title="Past", start=now - timedelta(days=2))
    assert [o.event.title for o in upcoming_for(ken_person)] == ["Soon", "Of WG 2"]
    assert [o.event.title for o in upcoming_for(ken_person, working_group=wg)] == ["Of WG 2"]
    assert [o.event.title for o in upcoming_for(unodc_person, limit=1)] == ["Soon"]
    page = render_to_string(
        "calendar_app/includes/upcoming.html",
        {"upcoming": upcoming_for(ken_person)},
    )
    assert "Soon" in page
    assert "Hidden" not in page


def test_an_all_day_event_page_shows_its_dates_in_any_zone(unodc_person):
    make_profile(user=unodc_person, time_zone="America/Los_Angeles")
    event = make_event(
        organization("entity:UNODC"),
        title="Days",
        start=at("2027-03-10 00:00"),
        end=at("2027-03-13 00:00"),
        all_day=True,
    )
    page = words(signed_in(unodc_person).get(event.get_absolute_url()))
    assert "Wednesday 10 Mar 2027 – Friday 12 Mar 2027 · all day" in page


def test_editing_a_cancelled_occurrence_brings_it_back(unodc_person):
    series = make_event(
        organization("entity:UNODC"), start=at("2027-01-05 09:00"), rrule="FREQ=WEEKLY;COUNT=3"
    )
    second = at("2027-01-12 09:00")
    services.cancel_occurrence(series=series, original_start=second, by=unodc_person)
    services.save_occurrence(
        series=series,
        original_start=second,
        data={"title": "Back", "start": second, "end": second + timedelta(hours=1)},
        by=unodc_person,
    )
    series.refresh_from_db()
    assert series.exdates == []
    assert Occurrence.objects.filter(event__parent=series).count() == 1


def test_the_windows_follow_an_audience_change_of_a_series_and_its_edited_occurrence(
    unodc_person, ken_person
):
    # given a platform-wide weekly series with one edited occurrence, seen by Kamau
    client = signed_in(unodc_person)
    client.post(reverse("calendar_app:new"), valid_post(rrule="FREQ=WEEKLY;COUNT=3", title="Series"))
    series = Event.objects.get(title="Series")
    services.save_occurrence(
        series=series,
        original_start=series.start + timedelta(weeks=1),
        data={
            "title": "Series (moved)",
            "start": series.start + timedelta(days=8),
            "end": series.end + timedelta(days=8),
        },
        by=unodc_person,
    )
    agenda = reverse("calendar_app:agenda") + "?start=2027-03-01"
    assert words(signed_in(ken_person).get(agenda)).count("Series") == 3
    # when UNODC restricts the series to itself
    client.post(
        series.get_absolute_url() + "edit/",
        valid_post(rrule="FREQ=WEEKLY;COUNT=3", title="Series", visibility="owner"),
    )
    # then Kamau sees none of it, the edited occurrence included, and UNODC all of it
    assert "Series" not in words(signed_in(ken_person).get(agenda))
    assert words(client.get(agenda)).count("Series") == 3
    assert set(Occurrence.objects.filter(event__uid=series.uid).values_list("visibility", flat=True)) == {
        "owner"
    }


def test_attendee_export_makes_a_constant_number_of_queries(unodc_person, make_user):
    event = make_event(organization("entity:UNODC"))
    url = reverse("calendar_app:attendees_csv", kwargs={"pk": event.pk})

    def queries() -> int:
        client = signed_in(unodc_person)
        client.get(reverse("calendar_app:month"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.respond(
        event=event,
        user=make_user("a@example.org", organization=organization("entity:UNDP")),
        response="attending",
    )
    few = queries()
    assert few == 12  # pinned
    for number in range(5):
        person = make_user(f"p{number}@example.org", organization=organization("state:KEN"))
        services.respond(event=event, user=person, response="maybe")
    assert queries() == few


def test_moving_a_series_drops_the_exceptions_that_no_longer_match(unodc_person):
    # given a weekly series with a cancelled and an edited occurrence
    client = signed_in(unodc_person)
    client.post(reverse("calendar_app:new"), valid_post(rrule="FREQ=WEEKLY;COUNT=4", title="Series"))
    series = Event.objects.get(title="Series")
    second, third = series.start + timedelta(weeks=1), series.start + timedelta(weeks=2)
    services.cancel_occurrence(series=series, original_start=second, by=unodc_person)
    services.save_occurrence(
        series=series,
        original_start=third,
        data={"title": "Moved", "start": third, "end": third},
        by=unodc_person,
    )
    # when the whole series moves an hour later
    client.post(
        series.get_absolute_url() + "edit/",
        valid_post(rrule="FREQ=WEEKLY;COUNT=4", title="Series", start_time="11:00", end_time="13:30"),
    )
    # then the exceptions pointing at the old times are gone, and the series has its four occurrences
    series.refresh_from_db()
    assert series.exdates == []
    assert not series.overrides.exists()
    assert Occurrence.objects.filter(event=series).count() == 4


# --- Hostile input found by the form fuzz (tests/test_form_fuzz.py) ----------------------------------------


def test_the_pillar_filter_lists_the_events_of_that_pillar(unodc_person):
    # given two events, one of them tagged with pillar 2
    tagged = make_event(organization("entity:UNODC"), title="Of pillar two", start=at("2027-03-10 09:00"))
    tagged.pillars.add(Pillar.objects.get(number=2))
    make_event(organization("entity:UNODC"), title="Of no pillar", start=at("2027-03-11 09:00"))
    pillar = Pillar.objects.get(number=2)

    # when the agenda is filtered by that pillar
    response = signed_in(unodc_person).get(
        reverse("calendar_app:agenda"), {"start": "2027-03-01", "pillar": pillar.pk}
    )

    # then only the tagged event is listed
    assert response.status_code == 200
    assert "Of pillar two" in words(response)
    assert "Of no pillar" not in words(response)


@pytest.mark.parametrize(
    ("name", "parameter", "value"),
    [
        ("month", "month", "0001-01"),
        ("month", "month", "9999-12"),
        ("week", "date", "0001-01-01"),
        ("week", "date", "9999-12-31"),
        ("agenda", "start", "0001-01-01"),
        ("agenda", "start", "9999-12-31"),
    ],
)
def test_a_window_at_the_ends_of_the_calendar_shows_today_with_a_message(
    unodc_person, name, parameter, value
):
    # given an event today
    make_event(organization("entity:UNODC"), title="Today's meeting", start=timezone.now())

    # when a window is asked for at year 1 or year 9999 (whose neighbouring weeks are no dates)
    response = signed_in(unodc_person).get(reverse(f"calendar_app:{name}"), {parameter: value})

    # then the window around today is shown, and the message says which dates the calendar holds
    assert response.status_code == 200
    assert "Today's meeting" in words(response)
    assert any("2999-12-31" in message or "1900-01-01" in message for message in messages(response))


def test_an_all_day_event_on_the_last_day_of_the_calendar_is_a_form_error(unodc_person):
    # given an all-day event on 31 December 9999 (its end, the next midnight, is no date)
    data = valid_post(all_day="on", start_date="9999-12-31", end_date="", start_time="", end_time="")

    # when it is submitted
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), data)

    # then the form comes back with the error on the date, and nothing is stored
    assert response.status_code == 200
    assert "2999-12-31" in field_error(response, "start_date")
    assert not Event.objects.filter(title="Border security workshop").exists()


def test_an_event_in_year_one_is_a_form_error(unodc_person):
    # given an event on 1 January of year 1 in Geneva's zone (its UTC start would be in year 0)
    data = valid_post(start_date="0001-01-01", end_date="0001-01-01")

    # when it is submitted
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), data)

    # then the form comes back with the error on the date
    assert response.status_code == 200
    assert "1900-01-01" in field_error(response, "start_date")
    assert not Event.objects.filter(title="Border security workshop").exists()


def test_an_occurrence_moved_to_the_last_day_of_the_calendar_is_a_form_error(unodc_person):
    # given an all-day weekly series
    event = make_event(
        organization("entity:UNODC"), start=at("2027-01-05 00:00"), hours=24, all_day=True,
        rrule="FREQ=WEEKLY;COUNT=4",
    )  # fmt: skip
    url = reverse("calendar_app:occurrence_edit", kwargs={"pk": event.pk, "key": "20270112T000000Z"})

    # when its second occurrence is moved to 31 December 9999
    response = signed_in(unodc_person).post(
        url, {"title": "Moved", "start_date": "9999-12-31", "end_date": "9999-12-31"}
    )

    # then the form comes back with the error on the date, and the series is unchanged
    assert response.status_code == 200
    assert "2999-12-31" in field_error(response, "start_date")
    assert not event.overrides.exists()


def test_a_repeat_rule_with_interval_zero_is_a_form_error(unodc_person):
    # given a rule that would repeat the same moment forever
    data = valid_post(rrule="FREQ=DAILY;INTERVAL=0")

    # when it is submitted
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), data)

    # then the form says what INTERVAL takes, and nothing is stored
    assert response.status_code == 200
    assert "INTERVAL must be a positive whole number" in field_error(response, "rrule")
    assert not Event.objects.filter(title="Border security workshop").exists()


def test_a_repeat_count_that_is_a_digit_but_no_number_is_a_form_error(unodc_person):
    # given a COUNT of "²", which str.isdigit() takes for a digit and int() refuses
    data = valid_post(rrule="FREQ=DAILY;COUNT=²")

    # when it is submitted
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), data)

    # then the form says what COUNT takes
    assert response.status_code == 200
    assert "COUNT must be a positive whole number" in field_error(response, "rrule")


def test_a_stored_rule_with_interval_zero_gives_its_start_once(unodc_person):
    # given an event whose rule was stored before INTERVAL=0 was refused
    start = at("2027-03-10 09:00")

    # when its occurrences are computed
    event = make_event(
        organization("entity:UNODC"), start=start, rrule="FREQ=DAILY;INTERVAL=0;UNTIL=20270310T090000Z"
    )

    # then it has its start once, and its page opens
    assert list(Occurrence.objects.filter(event=event).values_list("start", flat=True)) == [start]
    assert signed_in(unodc_person).get(event.get_absolute_url()).status_code == 200


# --- Choosing a repetition in plain words ---------------------------------------------------------------


def picker(**fields) -> dict:
    """The event form posted with the repeat picker's fields (the page always posts them)."""
    return valid_post(**{"repeat": "", "repeat_every": "1", "repeat_ends": "never", **fields})


def test_a_weekly_meeting_on_two_days_is_chosen_in_words(unodc_person):
    # given an organiser starting on Wednesday 10 March 2027, meeting Wednesdays and Fridays, six times
    client = signed_in(unodc_person)
    data = picker(repeat="weekly", repeat_days=["WE", "FR"], repeat_ends="count", repeat_count="6")
    assert client.post(reverse("calendar_app:new"), data).status_code == 302
    # then the rule is written for them, and the six meetings are in the calendar
    event = Event.objects.get(title="Border security workshop")
    assert event.rrule == "FREQ=WEEKLY;BYDAY=WE,FR;COUNT=6"
    assert event.occurrences.count() == 6
    # and the edit page reads it back into the same choices
    form = parse(client.get(reverse("calendar_app:edit", args=[event.pk])))
    assert selected(form, "How often (optional)") == ["weekly"]
    assert selected(form, "On (optional)") == ["WE", "FR"]
    assert value(form, "Number of times (optional)") == "6"


def test_the_second_tuesday_of_the_month_refuses_a_start_on_another_day(unodc_person):
    client = signed_in(unodc_person)
    # when the start (Wednesday 10 March 2027) is not a second Tuesday
    data = picker(repeat="monthly_weekday", repeat_position="2", repeat_weekday="TU")
    response = client.post(reverse("calendar_app:new"), data)
    # then the form says which day would be, and nothing is saved
    assert response.status_code == 200
    assert field_error(response, "repeat") == (
        "The start, Wednesday 10 Mar 2027, is not one of the repetitions: the first would be "
        "Tuesday 13 Apr 2027. Start on that day, or choose another repetition."
    )
    assert not Event.objects.exists()
    # while starting on the second Tuesday of April is saved, until the chosen day
    data = picker(
        repeat="monthly_weekday", repeat_position="2", repeat_weekday="TU", start_date="2027-04-13",
        end_date="2027-04-13", repeat_ends="until", repeat_until="2027-09-30",
    )  # fmt: skip
    assert client.post(reverse("calendar_app:new"), data).status_code == 302
    event = Event.objects.get()
    assert event.rrule.startswith("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270930T")
    assert event.occurrences.count() == 6  # April to September


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"repeat": "weekly"}, "repeat_days", "Tick the days of the week it takes place on."),
        ({"repeat": "monthly_weekday"}, "repeat_position", "Choose which weekday of the month"),
        ({"repeat": "daily", "repeat_ends": "count"}, "repeat_count", "Say how many times it takes place."),
        ({"repeat": "daily", "repeat_ends": "until"}, "repeat_until", "Give the last day it may take place."),
        ({"repeat": "custom"}, "rrule", "Write the rule, or choose a repetition above."),
        ({"repeat": "daily", "repeat_every": "0"}, "repeat_every", "greater than or equal to 1"),
    ],
)
def test_an_incomplete_repetition_is_a_form_error(unodc_person, fields, field, message):
    response = signed_in(unodc_person).post(reverse("calendar_app:new"), picker(**fields))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Event.objects.exists()


def test_a_custom_rule_stays_as_written(unodc_person):
    client = signed_in(unodc_person)
    data = picker(repeat="custom", rrule="FREQ=MONTHLY;BYMONTHDAY=10,25;COUNT=4")
    assert client.post(reverse("calendar_app:new"), data).status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=MONTHLY;BYMONTHDAY=10,25;COUNT=4"
    form = parse(client.get(reverse("calendar_app:edit", args=[event.pk])))
    assert selected(form, "How often (optional)") == ["custom"]
    assert value(form, "Custom rule (iCalendar) (optional)") == "FREQ=MONTHLY;BYMONTHDAY=10,25;COUNT=4"


def test_the_demo_series_start_on_a_day_their_rule_gives(compact):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", "--allow-production", stdout=StringIO())
    for event in Event.objects.filter(parent=None).exclude(rrule=""):
        assert expand(rule=event.rrule, start=event.start, time_zone=event.time_zone)[0] == event.start
    wg2 = Event.objects.get(uid="demo-wg2-monthly@compact-platform", parent=None)
    local = wg2.start.astimezone(ZoneInfo("America/New_York"))
    assert local.weekday() == 1  # a Tuesday
    assert 8 <= local.day <= 14  # the second of its month


def test_a_series_page_says_how_it_repeats_in_words(unodc_person):
    event = make_event(
        organization("entity:UNODC"), start=at("2027-01-05 09:00"), rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    )
    page = words(signed_in(unodc_person).get(reverse("calendar_app:detail", args=[event.pk])))
    assert "Repeats every week on Tuesday, 4 times" in page
    assert "FREQ=" not in page
