"""Writes of the dashboard: moving the day's visit counters from the cache into the database."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dashboard import visits
from dashboard.models import VisitDay


@transaction.atomic
def roll_up_visits(*, today: date | None = None) -> list[VisitDay]:
    """Set each finished day the cache still counts (up to ``visits.COUNTER_DAYS`` back, today excluded)
    into its ``VisitDay``; returns the rows written.

    Idempotent: a row is *set* from the cache's counters, never added to, so running it twice — two beats,
    a retried job, a process rolling up at its first page of the day — writes the same figures. Counters
    only grow, so a late flush into a finished day is picked up by the next run; a row never goes down (a
    cache emptied since, e.g. Redis restarted, must not erase a day already moved)."""
    today = today or visits.utc_today()
    days = [day for day in visits.cached_days(today) if day < today]
    counted = visits.counted_on(days)
    if not counted:
        return []
    kept = {row.date: row for row in VisitDay.objects.select_for_update().filter(date__in=list(counted))}
    rows = []
    for day, (views, visitors) in sorted(counted.items()):
        before = kept.get(day)
        rows.append(
            VisitDay(
                date=day,
                views=max(views, before.views if before else 0),
                visitors=max(visitors, before.visitors if before else 0),
            )
        )
    return VisitDay.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["date"], update_fields=["views", "visitors"]
    )
