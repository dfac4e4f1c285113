"""The demo threads (every Working Group, with a reply and a mention; idempotent) and the bench data set."""

from __future__ import annotations

import pytest

from core.benchmarking import Scale
from directory.models import WorkingGroup
from discussions import bench, demo, mentions
from discussions.models import Reply, Thread
from discussions.selectors import recent_for_group
from tests.conftest import seed

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_space_once(compact):
    seed(demo)
    counts = (Thread.objects.count(), Reply.objects.count())
    run = seed(demo)
    assert (Thread.objects.count(), Reply.objects.count()) == counts
    groups = WorkingGroup.objects.filter(is_active=True)
    assert Thread.objects.values("working_group").distinct().count() == groups.count()
    assert any(mentions.mentioned_emails(reply.body) for reply in Reply.objects.all())
    # and the WG 2 chair reads their group's recent discussion
    assert recent_for_group(run.users["wg_chair"], WorkingGroup.objects.get(number=2))


def test_the_bench_adds_a_thousand_threads_to_wg2_once(compact):
    bench.generate(Scale(), lambda _line: None)
    bench.generate(Scale(), lambda _line: None)
    group = WorkingGroup.objects.get(number=2)
    assert Thread.objects.filter(working_group=group).count() == bench.THREADS_IN_WG
    assert Reply.objects.count() > 1000
