"""seed_demo's Appeal: two cycles (the older closed), appeal projects with requirements, a ledger whose
figures add up as the coverage tables say, and a second run that changes nothing (the ledger is
append-only)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from appeal import demo as appeal_demo
from appeal import selectors
from appeal.models import AppealCycle, CycleStatus, Flow, Requirement
from projects import demo as projects_demo
from tests.conftest import seed

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_two_cycles_whose_figures_add_up(compact):
    # given the demo, as seed_demo runs it
    run = seed(projects_demo, appeal_demo)
    cycles = list(AppealCycle.objects.order_by("first_year"))
    # then there are two cycles, the older one closed, each with appeal projects and their requirements
    assert [cycle.status for cycle in cycles] == [CycleStatus.CLOSED, CycleStatus.OPEN]
    secretariat = run.users["secretariat"]
    for cycle in cycles:
        assert Requirement.objects.filter(appeal_project__cycle=cycle).exists()
        figures = selectors.coverage(secretariat, cycle)
        # and the Secretariat's coverage of the cycle is the sum of its lead entities' rows
        assert figures.cycle.requirements == sum(row.requirements or 0 for row in figures.by_entity)
        assert figures.cycle.funding > 0
        # and the ledger's net dollars, every stage counted once at the furthest, are its funding and pledges
        net = Flow.objects.filter(cycle=cycle).aggregate(total=Sum("amount_usd"))["total"]
        assert figures.cycle.funding + figures.cycle.pledged <= net
    # and the mistaken commitment is reversed to the cent
    correction = Flow.objects.get(corrects__isnull=False, cycle=cycles[0])
    assert correction.amount_usd + correction.corrects.amount_usd == Decimal(0)

    # when the demo runs again, then nothing is added
    count = Flow.objects.count()
    appeal_demo.seed(run)
    assert Flow.objects.count() == count
