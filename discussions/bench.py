"""discussions' part of ``bench``: 1,000 threads in WG 2 (the issue's WG home target) with replies, written
by set-based SQL with the audit triggers ignored for the synthetic rows (as notices/bench.py does), and the
pages that read them timed.

Half the threads are members-only, half for everyone in the space; each has 0–9 replies.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse

from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory.bench import focal_point
from directory.models import Organization, WorkingGroup
from discussions.models import Reply, Thread
from discussions.selectors import recent_for_group, threads_for

THREADS_IN_WG = 1_000
BENCH_TITLE = "Bench thread"

INSERT_THREADS = f"""
INSERT INTO {Thread._meta.db_table}
    (owner_id, visibility, working_group_id, title, body, created_at, updated_at, last_activity_at, is_locked)
SELECT %s, CASE WHEN g %% 2 = 0 THEN 'wg_members' ELSE 'working_group' END, %s,
       '{BENCH_TITLE} ' || g || ': coordination of border data exchange',
       'Dear colleagues, please share your views on item ' || g || ' before the next meeting.',
       timestamptz '2022-01-01' + g * interval '1 hour', timestamptz '2022-01-01' + g * interval '1 hour',
       timestamptz '2022-01-01' + g * interval '1 hour' + interval '30 minutes', false
FROM generate_series(%s, %s) g
"""

INSERT_REPLIES = f"""
INSERT INTO {Reply._meta.db_table} (thread_id, body, created_at, updated_at)
SELECT t.id, 'Reply ' || n || ': agreed, with one remark on the timeline.',
       t.created_at + n * interval '1 minute', t.created_at + n * interval '1 minute'
FROM {Thread._meta.db_table} t CROSS JOIN LATERAL generate_series(1, (t.id %% 10)::int) n
WHERE t.id > %s
"""


def generate(scale: Scale, write) -> None:
    """Add bench threads to WG 2 up to 1,000 (a rerun changes nothing)."""
    group = WorkingGroup.objects.get(number=2)
    current = Thread.objects.filter(working_group=group, title__startswith=BENCH_TITLE).count()
    if current >= THREADS_IN_WG:
        return
    owner = Organization.objects.get(reference_key="entity:CTED")
    after = Thread.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic(), ignoring_audit("discussions"), connection.cursor() as cursor:
        # Positional parameters: pgtrigger.ignore prepends one of its own to each statement.
        cursor.execute(INSERT_THREADS, [owner.pk, group.pk, current + 1, THREADS_IN_WG])
        cursor.execute(INSERT_REPLIES, [after])
    # VACUUM cannot run in a transaction (a test's): ANALYZE alone informs the planner there.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (Thread._meta.db_table, Reply._meta.db_table):
            cursor.execute(f"{command} {table}")
    write(f"discussions: {THREADS_IN_WG:,} threads in WG 2")


def measurements(scale: Scale, write):
    group = WorkingGroup.objects.get(number=2)
    reader = focal_point()
    data = f"{THREADS_IN_WG:,} threads in WG 2"
    yield Page(
        "discussions list (entity focal point)", reverse("discussions:list"), user=lambda: reader, data=data
    )
    yield Page(
        "discussions list of WG 2",
        f"{reverse('discussions:list')}?working_group={group.pk}",
        user=lambda: reader,
        data=data,
    )
    busiest = threads_for(reader).filter(working_group=group).order_by("-id").first()
    if busiest is not None:
        yield Page(
            "discussions: a thread page",
            reverse("discussions:detail", args=[busiest.pk]),
            user=lambda: reader,
            data=data,
        )
    yield Query(
        "discussions: recent threads of WG 2 (WG home block)",
        lambda: recent_for_group(reader, group),
        data,
        target_ms=10,
    )
