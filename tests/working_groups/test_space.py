"""A Working Group's home: one page composing its meetings, documents, workplan and discussion, as each
reader may see them, in a constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.access import Visibility
from directory.models import Participation, WorkingGroup
from library.models import Resource
from tests.calendar_app.conftest import make_event
from tests.conftest import organization, signed_in, wg
from tests.discussions.conftest import thread
from tests.planning.conftest import make_activity

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("working_groups:home", kwargs={"pk": wg(2).pk}))


def fill(n: int, author) -> None:
    """n more of everything in WG 2: threads, documents, upcoming meetings, open workplan items."""
    cted = organization("entity:CTED")
    soon = timezone.now() + timedelta(days=3)
    for index in range(n):
        thread(author, "entity:CTED", Visibility.WORKING_GROUP, title=f"Thread {index}")
        Resource.objects.create(
            title=f"Document {index}", resource_type="report", owner=cted,
            visibility=Visibility.WORKING_GROUP, working_group=wg(2), facet_keys=[f"wg:{wg(2).pk}"],
        )  # fmt: skip
        make_event(
            cted, Visibility.WORKING_GROUP, title=f"Meeting {index}", working_group=wg(2),
            start=soon + timedelta(hours=index),
        )  # fmt: skip
        make_activity(f"Activity {index}", group=wg(2), lead="entity:CTED")


def test_the_home_composes_the_groups_content_for_a_member(compact, make_user):
    # given a UNODC focal point (vice-chair of WG 2) and content of WG 2 in every app
    reader = make_user("reader@unodc.example.org", organization=organization("entity:UNODC"), full_name="Rea")
    fill(1, reader)

    # when they open the group's home
    response = home(signed_in(reader))

    # then the objective, who takes part, and each block's content are there
    body = response.content.decode()
    assert response.status_code == 200
    assert wg(2).objective[:40] in body
    for text in [
        "Thread 0",
        "Document 0",
        "Meeting 0",
        "Activity 0",
        "CTED",
    ]:
        assert text in body, text
    assert "Manage participants" in body  # UNODC, a vice-chair, runs the space


def test_members_only_content_is_absent_for_an_observer(compact, make_user):
    # given WG 2 content for members only, and an observer's focal point (IOM observes WG 2)
    cted = organization("entity:CTED")
    author = make_user("chair@cted.example.org", organization=cted)
    thread(author, "entity:CTED", Visibility.WORKING_GROUP_MEMBERS, title="Members-only thread")
    Resource.objects.create(
        title="Members-only paper", resource_type="report", owner=cted,
        visibility=Visibility.WORKING_GROUP_MEMBERS, working_group=wg(2), facet_keys=[f"wg:{wg(2).pk}"],
    )  # fmt: skip
    observer = make_user("iom@iom.example.org", organization=organization("entity:IOM"))
    assert Participation.objects.get(working_group=wg(2), organization__acronym="IOM").role == "observer"

    body = home(signed_in(observer)).content.decode()

    assert "Members-only thread" not in body
    assert "Members-only paper" not in body
    assert "members only is not shown to you" in body
    assert "Manage participants" not in body


def test_the_home_makes_the_same_queries_with_more_content(compact, make_user):
    reader = make_user("reader@unodc.example.org", organization=organization("entity:UNODC"))
    client = signed_in(reader)
    fill(1, reader)
    home(client)  # the session's first request does one-off work

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert home(client).status_code == 200
        return len(queries)

    few = count()
    assert few == 20  # pinned: a change here is a change to look at (20: with the group's projects)
    fill(6, reader)
    assert count() == few


def test_an_unknown_or_inactive_group_is_a_404(compact, make_user):
    reader = make_user("reader@unodc.example.org", organization=organization("entity:UNODC"))
    client = signed_in(reader)
    assert client.get(reverse("working_groups:home", kwargs={"pk": 999_999})).status_code == 404
    WorkingGroup.objects.filter(number=8).update(is_active=False)
    group = WorkingGroup.objects.get(number=8)
    assert client.get(reverse("working_groups:home", kwargs={"pk": group.pk})).status_code == 404


def test_the_list_marks_the_readers_groups(compact, make_user):
    reader = make_user("reader@unodc.example.org", organization=organization("entity:UNODC"))
    response = signed_in(reader).get(reverse("working_groups:list"))
    assert response.status_code == 200
    assert response.content.decode().count("yours") >= 1


def test_each_block_of_the_home_has_one_heading(client, compact, make_user):
    person = make_user("someone@cted.example.org", organization=organization("entity:CTED"))
    client.force_login(person)
    page = client.get("/groups/2/").content.decode()
    for heading in ("Recent discussion", "Open workplan items", "Latest documents"):
        assert len(re.findall(rf"<h2[^>]*>{heading}</h2>", page)) == 1, heading


def test_the_current_round_is_shown_to_those_who_follow_it_only(compact, make_user):
    from tests.planning.conftest import make_round

    # given an open prioritisation round in WG 2
    make_round([make_activity("Sahel workshop", group=wg(2), lead="entity:CTED")], title="Sahel priorities")
    inside = make_user("in@unodc.example.org", organization=organization("entity:UNODC"))
    outside = make_user("out@au.example.org", organization=organization("regional:AU"))
    # when a person of a member organisation opens the space, then the round is linked
    assert "Sahel priorities" in home(signed_in(inside)).content.decode()
    # when a person outside the space opens it, then neither its title nor a link to a 404 is shown
    page = home(signed_in(outside)).content.decode()
    assert "Sahel priorities" not in page
    assert "/planning/rounds/" not in page
