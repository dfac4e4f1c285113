"""Freshness: content its owners have not updated for a while, per module (docs/dashboard.md, "Home").

Each app's selector chooses the rows a person may change (its own "may change" rules) and hands them to
``stale``, which reads how many there are and the oldest few in one query: the count rides on every row as a
window function, so "12 to update, the oldest three" is one query whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.utils import timezone

#: How many of the oldest rows a module shows on the home.
OLDEST = 3


@dataclass(frozen=True)
class StaleRow:
    label: str
    updated_at: datetime
    #: Where to update it (its edit page).
    url: str


@dataclass(frozen=True)
class Stale:
    """A module's rows not updated since ``cutoff``: how many, and the oldest few."""

    module: str
    count: int
    oldest: list[StaleRow] = field(default_factory=list)


def cutoff(module: str, now: datetime | None = None) -> datetime:
    """Rows of ``module`` updated before this moment are stale (``FRESHNESS_DAYS``)."""
    return (now or timezone.now()) - timedelta(days=settings.FRESHNESS_DAYS[module])


def stale(
    module: str, rows: QuerySet, *, label, url, column: str = "updated_at", limit: int = OLDEST
) -> Stale:
    """The rows of ``rows`` whose ``column`` is older than the module's cutoff, oldest first: their number and
    the first ``limit``, each described by ``label(row)`` and ``url(row)`` (one query)."""
    found = list(
        rows.filter(**{f"{column}__lt": cutoff(module)})
        .annotate(stale_total=Window(Count("*")))
        .order_by(column, "pk")[:limit]
    )
    return Stale(
        module=module,
        count=found[0].stale_total if found else 0,
        oldest=[StaleRow(str(label(row)), getattr(row, column), url(row)) for row in found],
    )
