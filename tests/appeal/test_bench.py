"""The Appeal's bench data set, at a tiny scale: what the ledger's rules allow and the figures add up — the
dashboard's coverage equals the same sums taken directly in SQL — and the timed pages answer."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from appeal import bench, selectors
from appeal.models import AppealCycle, AppealProject, CycleStatus, Earmark, Flow, Priority, Requirement, Stage
from compact_platform.benchmarking import measure
from core.benchmarking import Scale
from directory import bench as directory_bench
from directory.models import Organization, OrganizationKind
from projects import bench as projects_bench

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")

#: The cycle's figures from its entries directly, by the FTS rules of docs/appeal.md.
DIRECT = """
SELECT coalesce(sum(greatest(g.pledged - greatest(g.committed, g.paid), 0)), 0),
       coalesce(sum(greatest(g.committed - g.paid, 0)), 0),
       coalesce(sum(g.paid), 0)
FROM (SELECT coalesce(sum(amount_usd) FILTER (WHERE stage = 'pledge'), 0) AS pledged,
             coalesce(sum(amount_usd) FILTER (WHERE stage = 'commitment'), 0) AS committed,
             coalesce(sum(amount_usd) FILTER (WHERE stage = 'paid'), 0) AS paid
      FROM appeal_flow WHERE cycle_id = %s
      GROUP BY donor_id, earmark, appeal_project_id, pillar_id, priority) g
"""


def test_the_bench_ledger_follows_the_rules_and_its_coverage_adds_up(compact):
    lines = []
    organizations = Organization.objects.filter(is_active=True).count()
    directory_bench.generate(Scale(users=60, organizations=organizations), lines.append)
    projects_bench.generate(Scale(projects=400), lines.append)
    scale = Scale(appeal_projects=90, flows=3_000)

    # when the Appeal's data set is made
    bench.generate(scale, lines.append)

    # then three cycles, the last open, hold the appeal projects, each with a requirement per year
    assert lines[-1] == "appeal: 90 appeal projects and 3,000 flows in 3 cycles"
    cycles = list(AppealCycle.objects.order_by("first_year"))
    assert [(c.name, c.status) for c in cycles] == [
        ("2021–2022", CycleStatus.CLOSED),
        ("2023–2024", CycleStatus.CLOSED),
        ("2025–2026", CycleStatus.OPEN),
    ]
    assert [AppealProject.objects.filter(cycle=c).count() for c in cycles] == bench.split(90)
    appealed = list(AppealProject.objects.select_related("cycle", "project"))
    for appeal_project in appealed:
        years = sorted(
            Requirement.objects.filter(appeal_project=appeal_project).values_list("year", flat=True)
        )
        assert years == list(appeal_project.cycle.years)
        assert 1 <= len(appeal_project.priorities) <= 3
        assert set(appeal_project.priorities) <= set(Priority.values)
        project = appeal_project.project
        assert project.start.year <= appeal_project.cycle.last_year
        assert project.end.year >= appeal_project.cycle.first_year
    assert 0.65 <= sum(a.is_published for a in appealed) / len(appealed) <= 0.98

    # and the ledger: entries in the cycles' years, dollars at the recorded rate rounded half up
    flows = list(Flow.objects.select_related("cycle", "donor", "corrects"))
    assert [sum(f.cycle_id == c.pk for f in flows) for c in cycles] == bench.split(3_000)
    today = timezone.localdate()
    for flow in flows:
        assert (
            date(flow.cycle.first_year, 1, 1) <= flow.date <= min(date(flow.cycle.last_year, 12, 31), today)
        )
        assert flow.amount_usd == (flow.amount * flow.usd_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        assert flow.donor.kind != OrganizationKind.COMPACT_ENTITY
    new = [f for f in flows if f.corrects_id is None]
    shares = {kind: sum(f.earmark == kind for f in new) / len(new) for kind in Earmark.values}
    assert 0.6 <= shares[Earmark.PROJECT] <= 0.8
    assert all(
        0.04 <= shares[kind] <= 0.17 for kind in (Earmark.PILLAR, Earmark.PRIORITY, Earmark.UNEARMARKED)
    )
    assert {f.stage for f in new} == set(Stage.values)
    assert len({f.currency for f in new}) >= 3
    assert {f.donor.kind for f in new} >= {OrganizationKind.MEMBER_STATE, OrganizationKind.OTHER}
    # about 5 % corrections: a reason, taking away at most the entry, in its currency and at its rate
    corrections = [f for f in flows if f.corrects_id is not None]
    assert len(corrections) == sum(round(n * bench.CORRECTIONS) for n in bench.split(3_000))
    assert len({f.corrects_id for f in corrections}) == len(corrections)
    same = ("cycle_id", "donor_id", "stage", "currency", "usd_rate", "earmark", "appeal_project_id",
            "pillar_id", "priority")  # fmt: skip
    for correction in corrections:
        entry = correction.corrects
        assert entry.corrects_id is None
        assert correction.reason
        assert -entry.amount <= correction.amount < 0
        assert [getattr(correction, name) for name in same] == [getattr(entry, name) for name in same]
        assert correction.date >= entry.date
    assert any(c.amount == -c.corrects.amount for c in corrections)
    assert any(c.amount != -c.corrects.amount for c in corrections)

    # and each cycle's coverage, as the dashboard computes it, is the sums taken directly
    secretariat = directory_bench.secretariat_member()
    for cycle in cycles:
        figures = selectors.coverage(secretariat, cycle).cycle
        with connection.cursor() as cursor:
            cursor.execute(DIRECT, [cycle.pk])
            assert (figures.pledged, figures.committed, figures.paid) == cursor.fetchone()
        required = sum(
            Requirement.objects.filter(appeal_project__cycle=cycle).values_list("amount_usd", flat=True)
        )
        assert figures.requirements == required
        # an appeal's figures: funded in part, more for a closed cycle than for the open one
        assert 20 <= figures.coverage <= 150, (cycle, figures)
        assert figures.pledged > 0
        assert figures.paid > 0

    # when it runs again with the same scale, nothing changes
    bench.generate(scale, lines.append)
    assert lines[-1] == "appeal: 90 appeal projects and 3,000 flows already there"
    assert Flow.objects.count() == 3_000

    # when its pages are timed, each answers
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        timings = [measure(item, 1) for item in bench.measurements(scale, lines.append)]
    names = [timing.page.name for timing in timings]
    assert "appeal: open cycle's dashboard (Secretariat)" in names
    assert "appeal: open cycle's dashboard (entity focal point)" in names
    assert "API: appeal projects, first page (entity focal point)" in names
    assert all(name.startswith(("appeal: ", "API: appeal")) for name in names)
    assert all(timing.queries > 0 for timing in timings)
