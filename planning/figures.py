"""The figures of a progress report, computed from the Working Group space's own data.

While a report is a draft its figures are computed live (``compute``); when it is submitted, the same
dictionary is stored in ``ProgressReport.figures`` and never recomputed. The dictionary is plain JSON, so
the frozen snapshot and the live figures are rendered and exported by the same code.

Counts cover everything of the group whatever its audience (the report is the group's account of its own
work, read by its members and the Secretariat). Titles are listed only where their audience allows a
report reader to see them: documents only when visible to the whole platform or to the Compact; activity
titles are planning data, which the Secretariat reads on its cross-WG timeline anyway (docs/planning.md).

The calendar and the library are read by two clearly named functions (``meetings_held`` and
``documents_produced``), the only places this app reads those apps' tables.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone

from calendar_app.selectors import unrestricted_group_meetings
from directory.access import Visibility
from directory.models import WorkingGroup
from library.selectors import unrestricted_group_documents
from planning.models import Activity, ActivityStatus

FIGURES_VERSION = 1
#: Document titles a report may list: those everyone reading a report may see anyway.
LISTED_DOCUMENT_VISIBILITIES = (Visibility.PUBLIC, Visibility.PLATFORM, Visibility.COMPACT)
MAX_LISTED = 50


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [start 00:00, end 23:59:59.999999] in the platform's zone."""
    zone = timezone.get_current_timezone()
    first = datetime.combine(start, time.min, zone)
    after = datetime.combine(end, time.max, zone)
    return first, after


def activities_by_status(working_group: WorkingGroup, start: date, end: date) -> dict:
    """The group's activities running at some point of the period (start ≤ period end, end ≥ period start),
    counted by status, with the titles of those completed."""
    running = Activity.objects.filter(working_group=working_group, start__lte=end, end__gte=start)
    counts = dict(running.order_by().values_list("status").annotate(n=Count("pk")))
    completed = list(
        running.filter(status=ActivityStatus.COMPLETED)
        .order_by("end", "pk")
        .values_list("title", flat=True)[:MAX_LISTED]
    )
    return {
        "by_status": {status.value: counts.get(status.value, 0) for status in ActivityStatus},
        "total": sum(counts.values()),
        "completed_titles": completed,
    }


def meetings_held(working_group: WorkingGroup, start: date, end: date) -> dict:
    """The group's meetings held in the period: occurrences of its confirmed "Working Group meeting"
    events (a recurring series counts once per occurrence) starting within the period and not in the
    future."""
    first, last = _bounds(start, end)
    occurrences = unrestricted_group_meetings(working_group, first, min(last, timezone.now()))
    dates = sorted({moment.date().isoformat() for moment in occurrences.values_list("start", flat=True)})
    return {"count": occurrences.count(), "dates": dates[:MAX_LISTED]}


def documents_produced(working_group: WorkingGroup, start: date, end: date) -> dict:
    """The group's library resources published in the period (not in the trash): all are counted; titles
    are listed only for those readable by everyone, the whole platform or all Compact entities."""
    resources = unrestricted_group_documents(working_group, start, end)
    listed = list(
        resources.filter(visibility__in=LISTED_DOCUMENT_VISIBILITIES)
        .order_by("publication_date", "pk")
        .values_list("title", "publication_date")[:MAX_LISTED]
    )
    return {
        "count": resources.count(),
        "listed": [{"title": title, "date": published.isoformat()} for title, published in listed],
    }


def compute(working_group: WorkingGroup, start: date, end: date) -> dict:
    """Every figure of a report on the group for the period, as JSON-ready data."""
    return {
        "version": FIGURES_VERSION,
        "computed_at": timezone.now().isoformat(),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "activities": activities_by_status(working_group, start, end),
        "meetings": meetings_held(working_group, start, end),
        "documents": documents_produced(working_group, start, end),
    }


def status_rows(figures: dict) -> list[tuple[str, int]]:
    """(label, count) per activity status, in the statuses' order, for pages and exports."""
    counts = figures.get("activities", {}).get("by_status", {})
    return [(str(status.label), counts.get(status.value, 0)) for status in ActivityStatus]
