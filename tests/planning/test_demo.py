"""planning's demo data: workplans of the 8 groups, WG 2's rounds and the reporting period; idempotent."""

from __future__ import annotations

import pytest

from planning import demo, selectors
from planning.models import Activity, Ballot, BallotScore, PrioritisationRound, ProgressReport, ReportStatus
from tests.conftest import enrol_totp, seed, signed_in, wg

pytestmark = pytest.mark.django_db


def test_the_demo_seeded_twice_without_duplicates(compact):
    # given the demo seeded twice
    seed(demo)
    counts = [
        model.objects.count()
        for model in (Activity, PrioritisationRound, Ballot, BallotScore, ProgressReport)
    ]
    run = seed(demo)
    # then nothing is duplicated
    assert [
        model.objects.count()
        for model in (Activity, PrioritisationRound, Ballot, BallotScore, ProgressReport)
    ] == counts
    # and every group has a workplan
    assert {a.working_group.number for a in Activity.objects.select_related("working_group")} == set(
        range(1, 9)
    )
    # WG 2 has one closed round whose results set priorities, and one open round
    closed = PrioritisationRound.objects.get(title=demo.CLOSED_ROUND)
    assert closed.closed_at is not None
    assert closed.ballots.count() == 4
    ranked = Activity.objects.filter(priority_round=closed).order_by("priority")
    assert [a.title for a in ranked] == [r.activity.title for r in selectors.results(closed)]
    assert selectors.current_round(wg()).title == demo.OPEN_ROUND
    assert selectors.current_round(wg()).is_open
    # WG 2's report is submitted with frozen figures, WG 6's is a draft
    assert ProgressReport.objects.get(working_group=wg(2)).status == ReportStatus.SUBMITTED
    assert ProgressReport.objects.get(working_group=wg(2)).figures["activities"]["total"] >= 1
    assert ProgressReport.objects.get(working_group=wg(6)).status == ReportStatus.DRAFT
    # and the demo accounts (with a second factor, as every account) open their pages
    enrol_totp(run.users["wg_chair"])
    enrol_totp(run.users["secretariat"])
    assert signed_in(run.users["wg_chair"]).get(f"/planning/wg/{wg().pk}/").status_code == 200
    assert signed_in(run.users["secretariat"]).get("/planning/timeline/").status_code == 200
