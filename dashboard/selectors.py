"""Reads of the dashboard's own data: the visits counted (``dashboard.visits``) — the finished days in
``VisitDay``, plus what the cache counts that the database does not have yet (today, and a day the roll-up
has not moved), so the figures are live without a write per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum

from core.months import per_month
from dashboard import visits
from dashboard.models import VisitDay

#: The "recent" window of the visits' figures, today included.
RECENT_DAYS = 30


@dataclass(frozen=True)
class Visits:
    #: In the last RECENT_DAYS days.
    views: int
    visitors: int
    #: Since counting began.
    total_views: int
    total_visitors: int


def _live(today: date) -> dict[date, tuple[int, int]]:
    """What the cache holds beyond the database, day by day (one cache call, one query)."""
    counted = visits.counted_on(visits.cached_days(today))
    if not counted:
        return {}
    kept = {row.date: row for row in VisitDay.objects.filter(date__in=list(counted))}
    result = {}
    for day, (views, visitors) in counted.items():
        row = kept.get(day)
        result[day] = (
            (max(views - row.views, 0), max(visitors - row.visitors, 0)) if row else (views, visitors)
        )
    return result


def visit_figures(today: date | None = None) -> Visits:
    """Page views and visits (a signed-in person on one day) recently and since counting began: two
    queries and one cache call."""
    today = today or visits.utc_today()
    since = today - timedelta(days=RECENT_DAYS - 1)
    recent = Q(date__gte=since, date__lte=today)
    found = VisitDay.objects.aggregate(
        recent_views=Sum("views", filter=recent, default=0),
        recent_visitors=Sum("visitors", filter=recent, default=0),
        total_views=Sum("views", default=0),
        total_visitors=Sum("visitors", default=0),
    )
    for day, (views, visitors) in _live(today).items():
        found["total_views"] += views
        found["total_visitors"] += visitors
        if since <= day <= today:
            found["recent_views"] += views
            found["recent_visitors"] += visitors
    return Visits(
        views=found["recent_views"],
        visitors=found["recent_visitors"],
        total_views=found["total_views"],
        total_visitors=found["total_visitors"],
    )


def visits_by_month(months: list[date], today: date | None = None) -> tuple[list[int], list[int]]:
    """For each month (first days, in order): its page views and its visits. Three queries, one cache call.
    Days are UTC days, counted in the month they fall in."""
    today = today or visits.utc_today()
    views = per_month(VisitDay.objects.all(), "date", months, total=Sum("views"))
    visitors = per_month(VisitDay.objects.all(), "date", months, total=Sum("visitors"))
    index = {month: position for position, month in enumerate(months)}
    for day, (more_views, more_visitors) in _live(today).items():
        position = index.get(day.replace(day=1))
        if position is not None:
            views[position] += more_views
            visitors[position] += more_visitors
    return views, visitors
