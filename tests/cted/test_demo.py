"""seed_demo's CTED assessments: three States with mixed consent, as their readers see them, and a second
run that changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cted import demo as cted_demo
from cted.models import Assessment, ConsentGrant, Recommendation
from projects import demo as projects_demo
from tests.conftest import seed

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_assessments_with_mixed_consent(compact):
    run = seed(projects_demo, cted_demo)
    cted_demo.seed(run)  # a second run adds nothing
    assert Assessment.objects.count() == 3
    assert ConsentGrant.objects.count() == 2
    states = {a.state.reference_key: a for a in Assessment.objects.select_related("state")}
    # UNODC's focal point sees Kenya's assessment — its priority needs (partial release) and the one
    # recommendation shared with every Compact entity — and nothing of Morocco's or Indonesia's
    unodc = run.users["entity_focal_point"]
    assert list(Assessment.objects.visible_to(unodc)) == [states["state:KEN"]]
    shown = Recommendation.objects.visible_to(unodc)
    assert shown.count() == 3
    assert {r.is_priority for r in shown} == {True, False}
    # Kenya's focal point and CTED see their own / everything
    assert list(Assessment.objects.visible_to(run.users["state_focal_point"])) == [states["state:KEN"]]
    assert Assessment.objects.visible_to(run.users["wg_chair"]).count() == 3
    # Morocco's comments are overdue; Kenya's steps report came in
    today = timezone.localdate()
    assert [d.overdue for d in states["state:MAR"].deadlines(today)] == [True]
    assert [d.overdue for d in states["state:KEN"].deadlines(today)] == [False, False]
