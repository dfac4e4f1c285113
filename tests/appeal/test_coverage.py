"""Every coverage figure reconciled to the cent against the hand-computed ledger of ``world`` (conftest):
two currencies and more, a reversal and an adjustment, FTS's funding (commitments and paid contributions,
each dollar at its furthest stage), in a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeal import selectors, services
from appeal.models import Flow, FlowTotal, Priority, Stage
from tests.appeal.conftest import flow

pytestmark = pytest.mark.django_db

D = Decimal


def figures(row) -> tuple:
    return (row.requirements, row.pledged, row.committed, row.paid, row.funding, row.coverage)


def by_label(rows) -> dict:
    return {row.label: figures(row) for row in rows}


def test_the_ledger_converts_at_the_recorded_rate_rounding_half_up_to_the_cent(world):
    # then each entry's dollars are its amount × its rate, half up (105.105 → 105.11), corrections at the
    # rate of the entry they correct
    usd = {name: entry.amount_usd for name, entry in world.flows.items()}
    assert usd["ken pledge"] == D("542500.00")
    assert usd["ken paid"] == D("275825.00")
    assert usd["ken unearmarked"] == D("105.11")
    assert usd["ken adjustment"] == D("-36166.66")
    assert usd["nor reversal"] == D("-50000.00")
    assert usd["nor pcve"] == D("67251.30")
    assert usd["jpn pillar"] == D("12700.00")
    assert world.flows["ken adjustment"].usd_rate == D("1.08500000")
    assert services.remaining(world.flows["nor paid twice"]) == D("0.00")


def test_every_coverage_figure_reconciles_with_the_hand_computed_ledger(world, secretariat):
    # when the Secretariat reads the cycle's coverage
    with CaptureQueriesContext(connection) as queries:
        found = selectors.coverage(secretariat, world.cycle)
    # then (requirements, pledged, committed, paid, funding, coverage %) are, by hand:
    # Kenya → Border: committed 434,000.00 − 36,166.66 = 397,833.34, paid 275,825.00: committed not yet paid
    # 122,008.34; pledged not yet committed 542,500.00 − 397,833.34 = 144,666.66; funding 397,833.34.
    # Norway → Victims: committed 300,000, paid 120,000 + 50,000 − 50,000: 180,000 + 120,000 = 300,000;
    # pledged 350,000 − 300,000 = 50,000. Norway → PCVE: committed 67,251.30. Kenya unearmarked: 105.11.
    # Japan → pillar II: paid 12,700.00 (no commitment: nothing committed outstanding).
    border = (D("1500000.00"), D("144666.66"), D("122008.34"), D("275825.00"), D("397833.34"), D("26.5"))
    victims = (D("400000.00"), D("50000.00"), D("180000.00"), D("120000.00"), D("300000.00"), D("75.0"))
    assert figures(found.cycle) == (
        D("1900000.00"),
        D("194666.66"),
        D("369364.75"),  # 122,008.34 + 180,000 + 67,251.30 + 105.11
        D("408525.00"),  # 275,825 + 120,000 + 12,700
        D("777889.75"),
        D("40.9"),  # 777,889.75 / 1,900,000 = 40.94 %
    )
    appealed = [world.border, world.victims]
    selectors.project_figures(secretariat, appealed)
    assert [figures(appealed.figures) for appealed in appealed] == [border, victims]
    entity = {row.key: figures(row) for row in found.by_entity}
    assert entity == {
        str(world.border.project.owner_id): border,
        str(world.victims.project.owner_id): victims,
    }
    priority = {row.key: figures(row) for row in found.by_priority}
    assert priority == {
        "border_security": border,
        "criminal_justice": border,
        "victims": victims,
        "pcve": (None, D(0), D("67251.30"), D(0), D("67251.30"), None),
    }
    donor = {row.key: figures(row)[1:5] for row in found.by_donor}
    ken, nor, jpn = (str(world.flows[name].donor_id) for name in ("ken pledge", "nor pledge", "jpn pillar"))
    assert donor == {
        ken: (D("144666.66"), D("122113.45"), D("275825.00"), D("397938.45")),
        nor: (D("50000.00"), D("247251.30"), D("120000.00"), D("367251.30")),
        jpn: (D(0), D(0), D("12700.00"), D("12700.00")),
    }
    # and the donors' funding adds up to the cycle's, to the cent
    assert sum(row.funding for row in found.by_donor) == found.cycle.funding
    # and by pillar: a flow to a project counts under each pillar of its matrix project, Japan's under II
    pillar = {row.label.split(":")[0]: figures(row) for row in found.by_pillar}
    assert pillar == {
        "Pillar I": victims,
        "Pillar II": (
            D("1500000.00"),
            D("144666.66"),
            D("122008.34"),
            D("288525.00"),
            D("410533.34"),
            D("27.4"),
        ),
        "Pillar IV": victims,
    }
    # in five queries (two aggregates; names of projects, organisations, pillars), whatever the ledger's size
    assert len(queries) <= 5


def test_the_top_unfunded_priorities_are_those_with_most_still_to_find(world, secretariat):
    found = selectors.coverage(secretariat, world.cycle)
    # border security and criminal justice: 1,500,000 − 397,833.34 each; victims: 400,000 − 300,000; PCVE
    # has no requirement, so nothing "unfunded"
    assert [(row.key, row.unfunded) for row in found.top_unfunded_priorities] == [
        ("border_security", D("1102166.66")),
        ("criminal_justice", D("1102166.66")),
        ("victims", D("100000.00")),
    ]


def test_trends_give_each_cycle_its_figures_oldest_first(world, secretariat, unodc_person):
    # given a later cycle with one appeal project and a payment in it
    later = services.open_cycle(name="2023–2024", first_year=2023, last_year=2024, by=secretariat)
    appealed = services.add_appeal_project(
        cycle=later,
        project=world.border.project,
        priorities=[Priority.CFT],
        by=unodc_person,
        is_published=True,
    )
    services.set_requirements(appealed, amounts={2023: "200000"}, by=unodc_person)
    flow(secretariat, later, "state:NOR", Stage.COMMITMENT, "50000", to=appealed)
    # when the trends are read
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.trends(secretariat)
    # then each cycle has its own figures, the same as its dashboard's
    assert [(row.label, row.requirements, row.funding, row.coverage) for row in rows] == [
        ("2021–2022", D("1900000.00"), D("777889.75"), D("40.9")),
        ("2023–2024", D("200000.00"), D("50000.00"), D("25.0")),
    ]
    assert len(queries) == 3


def test_totals_of_a_filtered_set_of_flows_count_each_dollar_once(world, secretariat):
    kenya = world.flows["ken pledge"].donor_id
    found = selectors.totals(selectors.flows_for(secretariat, world.cycle).filter(donor_id=kenya))
    assert (found.pledged, found.committed, found.paid) == (D("144666.66"), D("122113.45"), D("275825.00"))


def test_the_query_count_does_not_grow_with_the_ledger(world, secretariat):
    with CaptureQueriesContext(connection) as before:
        selectors.coverage(secretariat, world.cycle)
    for _ in range(5):
        flow(secretariat, world.cycle, "state:JPN", Stage.COMMITMENT, "1000", to=world.victims)
    with CaptureQueriesContext(connection) as after:
        selectors.coverage(secretariat, world.cycle)
    assert len(after) == len(before)


def test_a_joint_project_is_one_with_partner_entities(world, secretariat):
    rows = {row.project.title: row for row in selectors.appeal_projects_for(secretariat, world.cycle)}
    assert rows["Border security"].joint is True
    assert rows["Victims' support"].joint is False
    assert rows["Border security"].requirement_usd == D("1500000.00")


def test_the_running_totals_are_the_ledgers_sums_kept_by_the_database(world):
    # given the ledger of the worked example (corrections included), then each group's totals are the sums of
    # its entries, stage by stage: the trigger added each entry as it was inserted
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT cycle_id, donor_id, earmark, appeal_project_id, pillar_id, priority,
                      coalesce(sum(amount_usd) FILTER (WHERE stage = 'pledge'), 0),
                      coalesce(sum(amount_usd) FILTER (WHERE stage = 'commitment'), 0),
                      coalesce(sum(amount_usd) FILTER (WHERE stage = 'paid'), 0)
               FROM appeal_flow GROUP BY 1, 2, 3, 4, 5, 6"""
        )
        direct = set(cursor.fetchall())
    kept = set(
        FlowTotal.objects.values_list(
            "cycle_id",
            "donor_id",
            "earmark",
            "appeal_project_id",
            "pillar_id",
            "priority",
            "pledged",
            "committed",
            "paid",
        )
    )
    assert kept == direct
    # Kenya to the border project (its pledge, commitment, payment and adjustment) and unearmarked; Norway to
    # the victims' project and to PCVE; Japan to pillar II
    assert len(kept) == 5


@pytest.mark.parametrize("who", ["secretariat", "ken_person", "unodc_person", "member", "cted_person"])
def test_the_totals_give_each_reader_the_figures_of_the_entries_they_may_see(world, who, request):
    # the dashboards read the running totals; a list filtered by date reads the entries: both agree for every
    # reader, pledges included only for their donor's people and the Secretariat
    user = request.getfixturevalue(who)
    dimensions = ("all", "donor", "project", "entity", "priority", "pillar", "cycle")
    from_totals = selectors.figures(FlowTotal.objects.visible_to(user), None, dimensions)
    from_entries = selectors.figures(Flow.objects.visible_to(user), None, dimensions)
    assert from_totals == from_entries
