"""The Secretariat's cross-WG timeline."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.access import Visibility
from directory.models import Pillar
from planning import selectors
from tests.conftest import signed_in, wg
from tests.pages import parse
from tests.planning.conftest import make_activity


def test_the_timeline_is_for_the_secretariat_only(chair, member, observer, stranger, secretariat_client):
    for user in (chair, member, observer, stranger):
        assert signed_in(user).get("/planning/timeline/").status_code == 403
    assert secretariat_client.get("/planning/timeline/").status_code == 200


def test_every_group_side_by_side_on_a_quarter_grid(secretariat, secretariat_client):
    # given activities in several groups, one in WG 4 where UNOCT (the Secretariat) takes no part
    make_activity("Spring training", start=date(2026, 2, 1), end=date(2026, 5, 31))
    make_activity(
        "Autumn study", start=date(2026, 8, 1), end=date(2026, 9, 30), group=wg(4), lead="entity:UNDP"
    )
    make_activity("Old", start=date(2024, 1, 1), end=date(2024, 3, 1))
    # when the Secretariat opens the 2026 timeline
    groups = selectors.timeline(secretariat, year=2026)
    rows = {row.activity.title: row for group in groups for row in group.rows}
    # then both appear under their groups, with the quarters they run in
    assert set(rows) == {"Spring training", "Autumn study"}
    assert rows["Spring training"].quarters == [True, True, False, False]
    assert rows["Autumn study"].quarters == [False, False, True, False]
    # and only what the Secretariat may read links to its page
    assert rows["Spring training"].visible
    assert not rows["Autumn study"].visible
    page = parse(secretariat_client.get("/planning/timeline/?year=2026"))
    assert "Autumn study" in page.text()
    assert "Spring training" in page.text()
    # a quarter in which an activity runs says so in words, not by its colour alone
    assert [cell.text() for cell in page.all("td")].count("■ runs") == 3


def test_the_timeline_filters_by_pillar_and_survives_bad_input(secretariat_client):
    pillar = Pillar.objects.get(number=2)
    make_activity("Pillar II work", start=date(2026, 2, 1), end=date(2026, 3, 1), pillar=pillar)
    make_activity("No pillar", start=date(2026, 2, 1), end=date(2026, 3, 1))
    page = secretariat_client.get(f"/planning/timeline/?year=2026&pillar={pillar.pk}").content.decode()
    assert "Pillar II work" in page
    assert "No pillar" not in page
    assert secretariat_client.get("/planning/timeline/?year=abc&pillar=x").status_code == 200


def test_the_timeline_costs_the_same_queries_however_many_activities(secretariat_client):
    make_activity("One", start=date(2026, 2, 1), end=date(2026, 3, 1))
    secretariat_client.get("/planning/timeline/?year=2026")
    with CaptureQueriesContext(connection) as few:
        secretariat_client.get("/planning/timeline/?year=2026")
    for number in range(1, 9):
        for index in range(3):
            make_activity(
                f"A{number}-{index}", group=wg(number), start=date(2026, 4, 1), end=date(2026, 8, 1),
                visibility=Visibility.WORKING_GROUP_MEMBERS,
            )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        secretariat_client.get("/planning/timeline/?year=2026")
    assert len(many) == len(few)
