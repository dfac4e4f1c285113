"""RSVP with capacity and a waiting list, attendee lists for organisers, clash detection, reminders."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from calendar_app import services, tasks
from calendar_app.models import Event, Reminder, Rsvp, RsvpResponse
from calendar_app.selectors import clash_pairs, clashes
from core.models import SecurityEvent
from directory.access import Visibility
from directory.models import WorkingGroup
from tests.calendar_app.conftest import at, make_event
from tests.calendar_app.test_events import valid_post
from tests.conftest import organization, signed_in
from tests.pages import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(compact, make_user):
    return [
        make_user(f"person{n}@example.org", organization=organization("entity:UNDP"), full_name=f"Person {n}")
        for n in range(4)
    ]


def answer(event, person, response=RsvpResponse.ATTENDING) -> str:
    return services.respond(event=event, user=person, response=response).response


def test_capacity_and_waiting_list_in_order(people, django_capture_on_commit_callbacks):
    # given an event with two places
    event = make_event(organization("entity:UNODC"), capacity=2)
    first, second, third, fourth = people
    assert answer(event, first) == answer(event, second) == RsvpResponse.ATTENDING
    # when two more want to come, they wait, in the order they asked
    assert answer(event, third) == answer(event, fourth) == RsvpResponse.WAITING
    # and asking again keeps one's place
    assert answer(event, third) == RsvpResponse.WAITING
    # when someone withdraws, the first waiting gets the place, and is told
    with django_capture_on_commit_callbacks(execute=True):
        answer(event, first, RsvpResponse.NOT_ATTENDING)
    states = dict(Rsvp.objects.filter(event=event).values_list("user__full_name", "response"))
    assert states == {
        "Person 0": RsvpResponse.NOT_ATTENDING,
        "Person 1": RsvpResponse.ATTENDING,
        "Person 2": RsvpResponse.ATTENDING,
        "Person 3": RsvpResponse.WAITING,
    }
    assert [message.to for message in mail.outbox] == [["person2@example.org"]]


def test_raising_the_capacity_promotes_and_lowering_below_attendance_is_refused(people, unodc_person):
    event = make_event(
        organization("entity:UNODC"), capacity=1, start=at("2027-03-10 09:00"), time_zone="Europe/Zurich"
    )
    for person in people:
        answer(event, person)
    client = signed_in(unodc_person)
    base = valid_post(
        title=event.title,
        start_date="2027-03-10",
        start_time="10:00",
        end_time="12:00",
        event_type="compact_meeting",
    )
    # when the organiser lowers the capacity below the attendance: a form error
    response = client.post(reverse("calendar_app:edit", kwargs={"pk": event.pk}), {**base, "capacity": "0"})
    assert "1 people already attend" in field_error(response, "capacity")
    # when they raise it to three, the first two waiting get places
    response = client.post(reverse("calendar_app:edit", kwargs={"pk": event.pk}), {**base, "capacity": "3"})
    assert response.status_code == 302
    attending = set(
        Rsvp.objects.filter(event=event, response="attending").values_list("user__full_name", flat=True)
    )
    assert attending == {"Person 0", "Person 1", "Person 2"}


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_cannot_both_take_the_last_place(people):
    # given one place left, when two people ask at the same moment (two connections)
    event = make_event(organization("entity:UNODC"), capacity=1)
    results, barrier = [], threading.Barrier(2)

    def ask(person):
        barrier.wait()
        try:
            results.append(answer(event, person))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(person,)) for person in people[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one attends and the other waits
    assert sorted(results) == [RsvpResponse.ATTENDING, RsvpResponse.WAITING]


def test_rsvp_through_the_page_and_to_a_cancelled_event(unodc_person, ken_person):
    event = make_event(organization("entity:UNODC"), capacity=1)
    client = signed_in(ken_person)
    response = client.post(
        reverse("calendar_app:rsvp", kwargs={"pk": event.pk}), {"response": "attending"}, follow=True
    )
    assert "Your answer is recorded: Attending." in response.content.decode()
    response = client.post(
        reverse("calendar_app:rsvp", kwargs={"pk": event.pk}), {"response": "bogus"}, follow=True
    )
    assert "Choose attending" in response.content.decode()
    services.cancel_event(event=event, by=unodc_person)
    response = client.post(
        reverse("calendar_app:rsvp", kwargs={"pk": event.pk}), {"response": "maybe"}, follow=True
    )
    assert "This event is cancelled." in response.content.decode()


def test_nobody_answers_an_event_they_cannot_see(ken_person):
    private = make_event(organization("entity:UNODC"), Visibility.OWNER)
    client = signed_in(ken_person)
    assert (
        client.post(
            reverse("calendar_app:rsvp", kwargs={"pk": private.pk}), {"response": "attending"}
        ).status_code
        == 404
    )


def test_attendees_and_csv_for_organisers_only(unodc_person, ken_person, people):
    event = make_event(organization("entity:UNODC"))
    people[0].full_name = '=HYPERLINK("http://evil")'
    people[0].save()
    answer(event, people[0])
    answer(event, people[1], RsvpResponse.MAYBE)
    organiser = signed_in(unodc_person)
    page = organiser.get(reverse("calendar_app:attendees", kwargs={"pk": event.pk})).content.decode()
    assert "Person 1" in page
    response = organiser.get(reverse("calendar_app:attendees_csv", kwargs={"pk": event.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert rows[1][0].startswith("'=")  # neutralised formula
    assert {row[2] for row in rows[1:]} == {"Attending", "Maybe"}
    assert SecurityEvent.objects.filter(kind="export", user=unodc_person).exists()
    # a reader who may not change the event: 403 on both
    reader = signed_in(ken_person)
    assert reader.get(reverse("calendar_app:attendees", kwargs={"pk": event.pk})).status_code == 403
    assert reader.get(reverse("calendar_app:attendees_csv", kwargs={"pk": event.pk})).status_code == 403


# --- Clashes ----------------------------------------------------------------------------------------------


def test_clashes_share_a_working_group_a_country_or_an_organisation(unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    unodc, cted, undp = organization("entity:UNODC"), organization("entity:CTED"), organization("entity:UNDP")
    start = at("2027-03-10 09:00")
    make_event(cted, title="Same WG", working_group=wg, start=start + timedelta(hours=1))
    make_event(cted, title="Same country", country="KEN", start=start)
    make_event(cted, title="Co-organised by UNDP", organizers=[undp], start=start)
    make_event(cted, title="Unrelated", start=start)
    make_event(cted, title="Later the same WG", working_group=wg, start=start + timedelta(hours=3))
    make_event(cted, Visibility.OWNER, title="Invisible same WG", working_group=wg, start=start)
    cancelled = make_event(cted, title="Cancelled same WG", working_group=wg, start=start)
    cancelled.status = "cancelled"
    cancelled.save()
    found = clashes(
        start,
        start + timedelta(hours=2),
        working_group=wg,
        countries=["KEN"],
        organizations=[unodc, undp],
        user=unodc_person,
    )
    assert {(c.occurrence.event.title, c.reasons) for c in found} == {
        ("Same WG", ("working_group",)),
        ("Same country", ("country",)),
        ("Co-organised by UNDP", ("organization",)),
    }


def test_a_recurring_event_clashes_on_any_occurrence(unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    make_event(organization("entity:CTED"), title="Monthly", working_group=wg, start=at("2027-05-04 09:00"))
    weekly = [
        (at("2027-04-06 09:00") + timedelta(weeks=n), at("2027-04-06 10:00") + timedelta(weeks=n))
        for n in range(6)
    ]
    found = clashes(*weekly[0], working_group=wg, user=unodc_person, intervals=weekly)
    assert [c.occurrence.event.title for c in found] == ["Monthly"]


def test_the_form_warns_before_saving_and_saves_anyway_on_request(unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    make_event(
        organization("entity:CTED"), title="WG 2 plenary", working_group=wg, start=at("2027-03-10 09:30")
    )
    client = signed_in(unodc_person)
    data = valid_post(visibility="working_group", working_group=wg.pk)
    # the first post shows the overlapping event and offers "save anyway"
    response = client.post(reverse("calendar_app:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "WG 2 plenary" in page
    assert 'name="save_anyway"' in page
    # saving anyway goes through
    response = client.post(reverse("calendar_app:new"), {**data, "save_anyway": "on"})
    assert response.status_code == 302
    # without a clash, straight through
    response = client.post(
        reverse("calendar_app:new"), valid_post(title="Elsewhere", start_date="2027-06-01", end_date="")
    )
    assert response.status_code == 302


def test_the_secretariat_clash_page(secretariat, unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    cted = organization("entity:CTED")
    make_event(cted, title="Plenary A", working_group=wg, start=at("2027-03-10 09:00"))
    make_event(
        organization("entity:UNODC"), title="Plenary B", working_group=wg, start=at("2027-03-10 10:00")
    )
    make_event(organization("entity:UNDP"), title="Alone", start=at("2027-03-10 09:00"))
    pairs = clash_pairs(secretariat, start=at("2027-03-01 00:00"), end=at("2027-04-01 00:00"))
    assert [(a.event.title, b.event.title, reasons) for a, b, reasons in pairs] == [
        ("Plenary A", "Plenary B", ("working_group",))
    ]
    client = signed_in(secretariat)
    page = client.get(reverse("calendar_app:clashes") + "?start=2027-03-01&end=2027-03-31").content.decode()
    assert "Plenary A" in page
    assert "Plenary B" in page
    bad = client.get(reverse("calendar_app:clashes") + "?start=2027-03-01&end=2030-03-31")
    assert bad.status_code == 200
    assert "at most a year" in bad.content.decode()
    assert signed_in(unodc_person).get(reverse("calendar_app:clashes")).status_code == 403


# --- Reminders --------------------------------------------------------------------------------------------


def test_reminders_are_sent_once_per_occurrence_and_person(
    people, settings, django_capture_on_commit_callbacks
):
    settings.CALENDAR_REMINDER_HOURS = 24
    now = datetime.now(UTC).replace(microsecond=0)
    soon = make_event(organization("entity:UNODC"), title="Soon", start=now + timedelta(hours=5))
    make_event(organization("entity:UNODC"), title="Next week", start=now + timedelta(days=7))
    series = make_event(
        organization("entity:UNODC"),
        title="Daily",
        start=now + timedelta(hours=2),
        rrule="FREQ=DAILY;COUNT=3",
    )
    private = make_event(
        organization("entity:UNODC"), Visibility.OWNER, title="Private", start=now + timedelta(hours=3)
    )
    for person in people[:2]:
        answer(soon, person)
        answer(series, person)
    answer(soon, people[2], RsvpResponse.MAYBE)
    # someone who may no longer see an event they answered gets nothing
    Rsvp.objects.create(event=private, user=people[3], response=RsvpResponse.ATTENDING)
    # when the job runs twice (a retry, or the next run)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_reminders()
    # then each attendee got one reminder per occurrence within 24 hours: Soon, and Daily's first occurrence
    assert (first, second) == (4, 0)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("person0@example.org", "Reminder: Daily"),
        ("person0@example.org", "Reminder: Soon"),
        ("person1@example.org", "Reminder: Daily"),
        ("person1@example.org", "Reminder: Soon"),
    ]
    assert Reminder.objects.count() == 4
    # the next day's occurrence is reminded the next day
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=now + timedelta(hours=20)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(people):
    now = datetime.now(UTC)
    event = make_event(organization("entity:UNODC"), title="Soon", start=now + timedelta(hours=5))
    for person in people:
        answer(event, person)
    counts, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            counts.append(services.send_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert len(mail.outbox) == 4


def test_an_edit_that_does_not_move_the_event_is_not_stopped_by_a_clash(unodc_person):
    wg = WorkingGroup.objects.get(number=2)
    make_event(
        organization("entity:CTED"), title="WG 2 plenary", working_group=wg, start=at("2027-03-10 09:30")
    )
    client = signed_in(unodc_person)
    data = valid_post(visibility="working_group", working_group=wg.pk)
    client.post(reverse("calendar_app:new"), {**data, "save_anyway": "on"})
    event = Event.objects.get(title="Border security workshop")
    # a new description: saved at once
    response = client.post(
        reverse("calendar_app:edit", kwargs={"pk": event.pk}), {**data, "description": "Agenda"}
    )
    assert response.status_code == 302
    # moved by half an hour, still overlapping: the warning again
    response = client.post(
        reverse("calendar_app:edit", kwargs={"pk": event.pk}), {**data, "start_time": "10:30"}
    )
    assert response.status_code == 200
    assert "WG 2 plenary" in response.content.decode()


def test_the_clash_page_at_the_end_of_the_calendar_is_a_form_error(secretariat):
    # given a range in December 9999 (a year after its start is no date)
    url = reverse("calendar_app:clashes") + "?start=9999-12-01&end=9999-12-31"

    # when the Secretariat asks for its clashes
    response = signed_in(secretariat).get(url)

    # then the page comes back with the error on the dates
    assert response.status_code == 200
    assert "2999-12-31" in response.content.decode()
