"""CTED's bench data set, at a tiny scale: every Member State assessed, the recommendations spread over them,
consents of each kind, the search keys computed — and the timed pages answer, counting what consent allows."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings

from compact_platform.benchmarking import measure
from core.benchmarking import Scale
from cted import bench
from cted.models import Assessment, ConsentAudience, ConsentGrant, Recommendation
from directory import bench as directory_bench
from directory.models import Organization, OrganizationKind
from projects import bench as projects_bench

pytestmark = pytest.mark.django_db


def test_the_bench_assesses_every_state_and_its_pages_answer(compact):
    lines = []
    organizations = Organization.objects.filter(is_active=True).count()
    directory_bench.generate(Scale(users=60, organizations=organizations), lines.append)
    projects_bench.generate(Scale(projects=200), lines.append)
    scale = Scale(recommendations=2_000)

    # when CTED's data set is made (and made again: nothing is added)
    bench.generate(scale, lines.append)
    bench.generate(scale, lines.append)

    # then every active Member State has two to four assessments, holding the recommendations
    states = Organization.objects.filter(kind=OrganizationKind.MEMBER_STATE, is_active=True).count()
    assert Assessment.objects.values("state").distinct().count() == states
    assert Recommendation.objects.count() == 2_000
    assert lines[-1] == "cted: 2,000 recommendations already there"
    # consents of each kind, and every recommendation searchable by its keys
    audiences = {(audience, rec is None) for audience, rec in ConsentGrant.objects.values_list(
        "audience", "recommendation_id"
    )}  # fmt: skip
    assert audiences == {
        (ConsentAudience.COMPACT_ENTITIES, True), (ConsentAudience.ORGANIZATION, True),
        (ConsentAudience.COMPACT_ENTITIES, False),
    }  # fmt: skip
    assert not Recommendation.objects.filter(facet_keys=[]).exists()
    assert not Recommendation.objects.filter(visit_start__isnull=True).exists()
    # the entity focal point counts what consent gives it, less than CTED
    entity, cted = directory_bench.focal_point(), bench.cted_member()
    seen = Recommendation.objects.visible_to(entity).count()
    assert 0 < seen < Recommendation.objects.visible_to(cted).count()

    # and every timed page answers
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        timings = [measure(item, 1) for item in bench.measurements(scale, lines.append)]
    assert len(timings) >= 12
