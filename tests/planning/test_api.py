"""The joint planning API (planning/api.py): a token reads the workplans' activities its person reads on the
pages — a group's members-only activity stays in its space, in the list, the detail and every filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.access import Visibility
from planning.models import Activity, ActivityStatus
from tests.api.support import all_rows, bearer, queries_of
from tests.conftest import organization, wg
from tests.planning.conftest import make_activity

LIST = reverse("api:planning-activity-list")
PRIVATE = "Members-only border training"

pytestmark = pytest.mark.django_db


def detail(activity) -> str:
    return reverse("api:planning-activity-detail", args=[activity.pk])


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.fixture
def private():
    """WG 2's activity for its members only, led by UNDP."""
    return make_activity(PRIVATE, visibility=Visibility.WORKING_GROUP_MEMBERS, status=ActivityStatus.PLANNED)


@pytest.fixture
def public():
    return make_activity("Platform-wide workshop", visibility=Visibility.PLATFORM)


def test_a_token_reads_the_activities_its_person_reads(private, public, member, ken_person):
    # given UNDP's focal point (a member of WG 2) and Kenya's (no part in it)
    undp, kenya = bearer(member, "planning:read"), bearer(ken_person, "planning:read")
    assert titles(all_rows(undp, LIST)) == {PRIVATE, public.title}
    assert titles(all_rows(kenya, LIST)) == {public.title}
    body = undp.get(detail(private)).json()
    assert body["lead_organization"]["acronym"] == "UNDP"
    assert body["working_group"]["number"] == 2
    hidden, missing = kenya.get(detail(private)), kenya.get(detail(Activity(pk=private.pk + 999)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_filters_never_reveal_what_the_caller_may_not_read(private, public, member, ken_person):
    kenya, undp = bearer(ken_person, "planning:read"), bearer(member, "planning:read")
    chosen = {
        "working_group": wg(2).pk,
        "status": "planned",
        "lead_organization": organization("entity:UNDP").pk,
    }
    assert all_rows(kenya, LIST, **chosen) == []
    assert titles(all_rows(undp, LIST, **chosen)) == {PRIVATE}
    assert titles(all_rows(undp, LIST, status="proposed")) == {public.title}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"working_group": "²"}, "working_group"),
        ({"working_group": "99999999999999999999"}, "working_group"),
        ({"lead_organization": "abc"}, "lead_organization"),
        ({"status": "dreamt"}, "status"),
        ({"pillar": "x"}, "pillar"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(member, params, field):
    response = bearer(member, "planning:read").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "url", [LIST + "?cursor=not-a-cursor", LIST + "99999999999999999999999/", LIST + "²/", LIST + "abc/"]
)
def test_bad_addresses_are_404s_not_errors(member, url):
    assert bearer(member, "planning:read").get(url).status_code == 404


def test_a_page_costs_the_same_queries_whatever_its_length(member):
    client = bearer(member, "planning:read")
    make_activity("First")
    few = queries_of(client, LIST)
    for number in range(6):
        activity = make_activity(f"More {number}", lead="entity:CTED", owner="entity:CTED")
        activity.contributing_organizations.add(organization("entity:UNODC"), organization("entity:UNDP"))
    assert len(all_rows(client, LIST, page_size=3)) == 7
    assert queries_of(client, LIST) == few
