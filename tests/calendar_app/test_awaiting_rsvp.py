"""``calendar_app.selectors.awaiting_rsvp``: the events waiting for a person's answer (the home's list)."""

from datetime import timedelta

from django.utils import timezone

from calendar_app import services
from calendar_app.models import EventType
from calendar_app.selectors import awaiting_rsvp
from directory.access import Visibility
from tests.calendar_app.conftest import make_event
from tests.conftest import organization, wg


def titles(user) -> list[str]:
    return [occurrence.event.title for occurrence in awaiting_rsvp(user)]


def test_a_weekly_meeting_waits_once_and_not_after_an_answer(member, chair, au_person):
    # given WG 2's weekly meeting from tomorrow, a past meeting, a cancelled one and a conference for all
    soon = timezone.now() + timedelta(days=1)
    series = make_event(
        organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title="Weekly call",
        event_type=EventType.WG_MEETING, start=soon, rrule="FREQ=WEEKLY;COUNT=6",
    )  # fmt: skip
    make_event(
        organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title="Past meeting",
        event_type=EventType.WG_MEETING, start=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    cancelled = make_event(
        organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(), title="Cancelled",
        event_type=EventType.WG_MEETING, start=soon,
    )  # fmt: skip
    services.cancel_event(event=cancelled, by=chair)
    make_event(organization("entity:CTED"), Visibility.PLATFORM, title="Open conference", start=soon)

    # then a WG 2 member is asked once about the series (its next occurrence), about nothing else
    assert titles(member) == ["Weekly call"]
    assert titles(au_person) == []  # the AU takes no part in WG 2

    # and once they answered the series, not at all
    services.respond(event=series, user=member, response="not_attending")
    assert titles(member) == []


def test_an_event_naming_a_persons_organisation_waits_for_its_people(ken_person, unodc_person):
    make_event(
        organization("entity:CTED"), Visibility.ORGANIZATIONS, title="Briefing for Kenya",
        start=timezone.now() + timedelta(days=2), audience=[organization("state:KEN")],
    )  # fmt: skip
    assert titles(ken_person) == ["Briefing for Kenya"]
    assert titles(unodc_person) == []
