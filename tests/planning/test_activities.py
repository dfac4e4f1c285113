"""The workplan: proposing and editing activities, who may do it, and bad dates."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from directory.access import Visibility
from planning import selectors, services
from planning.forms import ActivityForm
from planning.models import Activity, ActivityStatus
from tests.conftest import organization, signed_in, wg
from tests.planning.conftest import make_activity


def activity_post(**overrides) -> dict:
    data = {
        "title": "Joint border training",
        "description": "Three regional sessions.",
        "lead_organization": organization("entity:UNDP").pk,
        "contributing_organizations": [organization("entity:ICAO").pk],
        "pillar": "",
        "countries": ["KEN"],
        "start": "2026-03-01",
        "end": "2026-06-30",
        "status": ActivityStatus.PROPOSED,
        "owner": organization("entity:UNDP").pk,
        "visibility": Visibility.WORKING_GROUP,
        "audience_organizations": [],
    }
    data.update(overrides)
    return data


def test_a_member_proposes_an_activity(member):
    # given a focal point of a member organisation of WG 2
    client = signed_in(member)
    # when they propose an activity
    response = client.post(f"/planning/wg/{wg().pk}/activities/new/", activity_post())
    # then it is in the group's workplan, recorded by them
    activity = Activity.objects.get(title="Joint border training")
    assert response.status_code == 302
    assert response["Location"] == f"/planning/activities/{activity.pk}/"
    assert activity.working_group == wg()
    assert activity.author == member
    assert activity.countries == ["KEN"]
    assert list(activity.contributing_organizations.all()) == [organization("entity:ICAO")]


def test_an_activity_ending_before_it_starts_is_a_form_error(member):
    # given a member
    client = signed_in(member)
    # when the end is before the start
    response = client.post(
        f"/planning/wg/{wg().pk}/activities/new/", activity_post(start="2026-06-30", end="2026-03-01")
    )
    # then the form says so next to the end date, and nothing is saved
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "cannot end before it starts" in page
    assert 'id="id_end-error"' in page
    assert not Activity.objects.filter(title="Joint border training").exists()


def test_the_database_refuses_an_activity_ending_before_it_starts(compact):
    # given / when an activity is written around the form / then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(start=date(2026, 6, 1), end=date(2026, 5, 1))


def test_observers_guests_and_strangers_cannot_propose(observer, guest, stranger):
    for user in (observer, guest, stranger):
        response = signed_in(user).get(f"/planning/wg/{wg().pk}/activities/new/")
        assert response.status_code == 403, user


def test_the_lead_organisation_edits_an_activity_it_did_not_record(member, chair):
    # given an activity recorded by CTED, led by UNDP
    activity = make_activity(lead="entity:UNDP", owner="entity:CTED")
    # when UNDP's focal point edits it
    response = signed_in(member).post(
        f"/planning/activities/{activity.pk}/edit/",
        activity_post(title="Renamed", owner=organization("entity:CTED").pk, status=ActivityStatus.PLANNED),
    )
    # then the change is saved, and the owner stays CTED
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status, activity.owner.reference_key) == (
        "Renamed",
        ActivityStatus.PLANNED,
        "entity:CTED",
    )


def test_other_members_read_but_do_not_edit(other_member):
    activity = make_activity(lead="entity:UNDP")
    client = signed_in(other_member)
    assert client.get(f"/planning/activities/{activity.pk}/").status_code == 200
    assert client.get(f"/planning/activities/{activity.pk}/edit/").status_code == 403
    assert client.post(f"/planning/activities/{activity.pk}/edit/", activity_post()).status_code == 403


def test_space_managers_edit_and_set_the_priority(chair):
    # given an activity of UNDP
    activity = make_activity(lead="entity:UNDP")
    # when the chair sets its priority by hand
    response = signed_in(chair).post(
        f"/planning/activities/{activity.pk}/edit/",
        activity_post(title=activity.title, priority="2", owner=organization("entity:UNDP").pk),
    )
    # then it is saved
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.priority == 2
    assert activity.priority_round is None


def test_only_managers_are_offered_the_priority(member, chair):
    form = ActivityForm(user=member, working_group=wg(), may_manage=False)
    assert "priority" not in form.fields
    assert "priority" in ActivityForm(user=chair, working_group=wg(), may_manage=True).fields


def test_members_only_activities_never_reach_observers(observer, member):
    # given an activity for WG 2's members only
    activity = make_activity("Sensitive mapping", visibility=Visibility.WORKING_GROUP_MEMBERS)
    # then the observer neither lists nor opens it; the member does both
    assert signed_in(observer).get(f"/planning/activities/{activity.pk}/").status_code == 404
    assert "Sensitive mapping" not in signed_in(observer).get(f"/planning/wg/{wg().pk}/").content.decode()
    assert "Sensitive mapping" in signed_in(member).get(f"/planning/wg/{wg().pk}/").content.decode()


def test_the_visibility_choices_keep_the_activity_in_the_plan(member):
    form = ActivityForm(user=member, working_group=wg(), may_manage=False)
    assert [value for value, _label in form.fields["visibility"].choices] == [
        "platform",
        "compact",
        "working_group",
        "wg_members",
    ]


def test_the_workplan_is_in_priority_order_in_a_constant_number_of_queries(member):
    # given a workplan
    make_activity("Second", priority=2)
    make_activity("First", priority=1)
    make_activity("Unranked")
    client = signed_in(member)
    url = f"/planning/wg/{wg().pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    page = response.content.decode()
    assert page.index("First") < page.index("Second") < page.index("Unranked")
    # when the workplan grows
    for number in range(15):
        activity = make_activity(f"Extra {number}")
        activity.contributing_organizations.add(organization("entity:ICAO"), organization("entity:WCO"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # then the page costs the same number of queries
    assert len(many) == len(few)


def test_the_home_selectors(member, observer):
    # given open and finished activities, one for members only
    make_activity("Open one", status=ActivityStatus.PLANNED, priority=1)
    make_activity("Members' one", status=ActivityStatus.ONGOING, visibility=Visibility.WORKING_GROUP_MEMBERS)
    make_activity("Done", status=ActivityStatus.COMPLETED)
    # then the WG home lists what each may see, still open, highest priority first
    assert [a.title for a in selectors.open_activities(member, wg())] == ["Open one", "Members' one"]
    assert [a.title for a in selectors.open_activities(observer, wg())] == ["Open one"]
    assert selectors.open_activities(member, wg(), limit=1)[0].title == "Open one"
    assert selectors.current_round(wg()) is None


def test_the_summary_include_renders(member):
    from django.template.loader import render_to_string

    make_activity("Open one", status=ActivityStatus.PLANNED)
    page = render_to_string(
        "planning/includes/workplan_summary.html",
        {
            "working_group": wg(),
            "activities": selectors.open_activities(member, wg()),
            "round": selectors.current_round(wg()),
        },
    )
    assert "Open one" in page
    assert f"/planning/wg/{wg().pk}/" in page


def test_a_space_manager_edits_an_activity_but_never_widens_who_sees_it(chair):
    # given a members-only activity of UNDP
    activity = make_activity(lead="entity:UNDP", visibility=Visibility.WORKING_GROUP_MEMBERS)

    # when the chair (who runs the space, but is not of UNDP) posts it for everyone, plus Kenya
    client = signed_in(chair)
    form = client.get(f"/planning/activities/{activity.pk}/edit/").content.decode()
    response = client.post(
        f"/planning/activities/{activity.pk}/edit/",
        activity_post(
            title="Retitled by the chair",
            visibility=Visibility.PLATFORM,
            audience_organizations=[organization("state:KEN").pk],
        ),
    )

    # then the text is saved, the audience is not: only UNDP shares its activity
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Retitled by the chair"
    assert activity.visibility == Visibility.WORKING_GROUP_MEMBERS
    assert list(activity.audience_organizations.all()) == []
    # and the form said so: the audience fields are shown fixed
    assert "Only UNDP's people change who may see it." in form


def test_the_save_path_refuses_an_audience_change_by_anyone_but_the_owner(chair, member):
    # given the same activity, changed by a service caller that bypassed the form
    activity = make_activity(lead="entity:UNDP", visibility=Visibility.WORKING_GROUP_MEMBERS)
    activity.visibility = Visibility.PLATFORM
    with pytest.raises(PermissionDenied):
        services.save_activity(form=_saving(activity), by=chair, working_group=wg())
    activity.refresh_from_db()
    assert activity.visibility == Visibility.WORKING_GROUP_MEMBERS
    # while UNDP's own people may
    activity.visibility = Visibility.PLATFORM
    services.save_activity(form=_saving(activity), by=member, working_group=wg())
    activity.refresh_from_db()
    assert activity.visibility == Visibility.PLATFORM


class _saving:
    """A stand-in for a valid form: saves the instance as it is."""

    changed_data = ()

    def __init__(self, instance):
        self.instance = instance

    def save(self):
        self.instance.save()
        return self.instance


def test_an_open_activity_past_its_end_says_so(member):
    # given a proposed activity that ended last year, and a completed one
    make_activity("Old proposal", start=date(2024, 1, 1), end=date(2024, 6, 30))
    make_activity("Done", start=date(2024, 1, 1), end=date(2024, 6, 30), status=ActivityStatus.COMPLETED)
    page = signed_in(member).get(f"/planning/wg/{wg().pk}/").content.decode()
    # then the workplan says the first needs its status updated, and not the second
    assert "Proposed, past its end date: update it" in page
    assert page.count("past its end date") == 1
