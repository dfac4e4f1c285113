"""working_groups' part of ``bench``: WG 2's home page with the issue's amounts of content in the group.

The content apps' own bench data spread their rows over all Working Groups; this module moves rows of
theirs into WG 2 until it holds what the issue names (1,000 threads — made by discussions.bench —, 5,000
resources and 2,000 events, or half of each app's rows on a small bench), by set-based updates with the
audit triggers ignored (bench data only). The home page then reads only its few first rows of each.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse

from calendar_app.models import Event, Occurrence
from core.benchmarking import Page, Scale, ignoring_audit
from directory.bench import focal_point
from directory.models import WorkingGroup
from discussions.models import Thread
from library.models import Resource

RESOURCES, EVENTS = 5_000, 2_000

# Positional parameters only: pgtrigger.ignore adds its own to the statements it runs under.
MOVE_RESOURCES = f"""
WITH moved AS (
    SELECT id, working_group_id AS old FROM {Resource._meta.db_table}
    WHERE working_group_id IS DISTINCT FROM %s ORDER BY id LIMIT %s
)
UPDATE {Resource._meta.db_table} r
SET working_group_id = %s,
    facet_keys = ARRAY(
        SELECT DISTINCT k FROM unnest(array_remove(r.facet_keys, 'wg:' || moved.old) || ARRAY['wg:' || %s]) k
        ORDER BY k
    )
FROM moved WHERE r.id = moved.id
"""

MOVE_EVENTS = f"""
WITH moved AS (
    SELECT id FROM {Event._meta.db_table}
    WHERE working_group_id IS DISTINCT FROM %s AND visibility IN ('working_group', 'wg_members')
    ORDER BY id LIMIT %s
),
events AS (
    UPDATE {Event._meta.db_table} e SET working_group_id = %s FROM moved WHERE e.id = moved.id RETURNING e.id
)
UPDATE {Occurrence._meta.db_table} o SET working_group_id = %s FROM events WHERE o.event_id = events.id
"""


def _targets(scale: Scale) -> tuple[int, int]:
    return min(RESOURCES, scale.resources // 2), min(EVENTS, scale.events // 2)


def generate(scale: Scale, write) -> None:
    group = WorkingGroup.objects.get(number=2)
    want_resources, want_events = _targets(scale)
    have_resources = Resource.objects.filter(working_group=group).count()
    have_events = Event.objects.filter(working_group=group).count()
    with transaction.atomic(), ignoring_audit("library", "calendar_app"), connection.cursor() as cursor:
        if have_resources < want_resources:
            cursor.execute(MOVE_RESOURCES, [group.pk, want_resources - have_resources, group.pk, group.pk])
        if have_events < want_events:
            cursor.execute(MOVE_EVENTS, [group.pk, want_events - have_events, group.pk, group.pk])
    write(
        f"working_groups: WG 2 holds {Thread.objects.filter(working_group=group).count():,} threads, "
        f"{Resource.objects.filter(working_group=group).count():,} resources, "
        f"{Event.objects.filter(working_group=group).count():,} events"
    )


def measurements(scale: Scale, write):
    group = WorkingGroup.objects.get(number=2)
    data = (
        f"{Thread.objects.filter(working_group=group).count():,} threads, "
        f"{Resource.objects.filter(working_group=group).count():,} resources, "
        f"{Event.objects.filter(working_group=group).count():,} events in WG 2"
    )
    url = reverse("working_groups:home", kwargs={"pk": group.pk})
    yield Page("working_groups: WG 2 home (entity focal point)", url, focal_point, data, target_ms=60)
