"""The calendar's second access path: its windows read occurrences with ``occurrence_rule``, the audience
rule applied to the copies of their event's audience columns. It must agree with ``Event.objects.visible_to``
for every person and every kind of audience — shares, audience organisations and edited occurrences of a
series included — or a window would show what the event's page answers 404 for."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from calendar_app import services
from calendar_app.models import Event, Occurrence
from calendar_app.selectors import occurrence_rule
from directory.access import Visibility, viewer
from directory.demo import secretariat_group
from directory.models import Participation, WorkingGroup
from tests.calendar_app.conftest import at, make_event
from tests.conftest import organization


def test_the_windows_rule_agrees_with_visible_to_person_by_person(compact, make_user):
    # given people in every position towards WG 2 and the Compact
    group = WorkingGroup.objects.get(number=2)
    kenya = organization("state:KEN")
    Participation.objects.create(working_group=group, organization=kenya, role="guest", topic="Ports")
    people = [
        make_user("unodc@example.org", organization=organization("entity:UNODC")),  # WG 2 vice-chair
        make_user("iom@example.org", organization=organization("entity:IOM")),  # WG 2 observer
        make_user("kenya@example.org", organization=kenya),  # WG 2 guest
        make_user("au@example.org", organization=organization("regional:AU")),
        make_user("outsider@example.org"),
        make_user("grouped@example.org"),
    ]
    secretariat = make_user("sec@example.org", organization=organization("entity:UNOCT"))
    secretariat.groups.add(secretariat_group())
    people.append(secretariat)
    # and events of every audience, one of them a weekly series with an edited occurrence; an earlier
    # series first, so that occurrences' ids never match their events' (a rule keyed on the wrong column
    # would otherwise pass by coincidence)
    cted = organization("entity:CTED")
    make_event(cted, Visibility.OWNER, title="earlier", rrule="FREQ=DAILY;COUNT=30")
    by_group = (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS)
    events = [
        make_event(
            cted, visibility, title=visibility, working_group=group if visibility in by_group else None
        )
        for visibility in Visibility.values
    ]
    listed = make_event(
        cted, Visibility.ORGANIZATIONS, title="listed", audience=[organization("regional:AU")]
    )
    shared = make_event(cted, Visibility.OWNER, title="shared")
    assign_perm("calendar_app.view_event", people[4], shared)
    team = Group.objects.create(name="Reviewers")
    people[5].groups.add(team)
    assign_perm("calendar_app.view_event", team, shared)
    series = make_event(
        cted,
        Visibility.WORKING_GROUP_MEMBERS,
        title="series",
        working_group=group,
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    second = at("2027-03-17 09:00")
    services.save_occurrence(
        series=series, original_start=second, data={"title": "moved", "start": second + timedelta(hours=1),
        "end": second + timedelta(hours=2)}, by=make_user("chair@example.org", organization=cted),
    )  # fmt: skip

    # then, for each person, the occurrences the windows' rule lets in are exactly those of the events
    # visible_to lets in
    assert Occurrence.objects.count() > len(events) + 3
    for person in people:
        who = viewer(type(person).objects.get(pk=person.pk))
        by_rule = set(Occurrence.objects.filter(occurrence_rule(who)).values_list("event_id", flat=True))
        visible = set(Event.objects.visible_to(person).values_list("pk", flat=True))
        expected = set(Occurrence.objects.filter(event_id__in=visible).values_list("event_id", flat=True))
        assert by_rule == expected, person.email
    # and the check is not empty: some see more than others
    assert (
        len({frozenset(Event.objects.visible_to(person).values_list("pk", flat=True)) for person in people})
        > 3
    )
    assert listed.pk in set(Event.objects.visible_to(people[3]).values_list("pk", flat=True))
