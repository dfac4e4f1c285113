"""Monthly series: how many rows of a queryset fall in each month of a range — one aggregate query per
series, whatever the number of months or rows.

Months are those of the reader's time zone (the one active for the request): a document added at 23:30 on
31 March in Nairobi is March's there, whatever UTC says. A date column (no time of day) is taken as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import models
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone


def following(month: date) -> date:
    """The first day of the month after ``month``."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of each month from ``first``'s to ``last``'s, both included."""
    found, month = [], first.replace(day=1)
    while month <= last:
        found.append(month)
        month = following(month)
    return found


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the reader's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def per_month(queryset: QuerySet, field: str, months: list[date], *, total=None) -> list[int]:
    """For each of ``months`` (first days, in order), the rows of ``queryset`` whose ``field`` (a date or a
    moment) falls in it — counted, or summed by ``total`` (an aggregate such as ``Sum("views")``)."""
    if not months:
        return []
    is_date = not isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
    first, end = months[0], following(months[-1])
    if not is_date:
        first, end = start_of(first), start_of(end)
    bucket = TruncMonth(field) if is_date else TruncMonth(field, tzinfo=timezone.get_current_timezone())
    rows = (
        queryset.filter(**{f"{field}__gte": first, f"{field}__lt": end})
        .order_by()
        .annotate(month=bucket)
        .values("month")
        .annotate(n=total if total is not None else Count("pk"))
        .values_list("month", "n")
    )
    # a month of a date column comes back as a date, of a moment as an aware datetime
    found = {
        (timezone.localtime(month).date() if isinstance(month, datetime) else month): n for month, n in rows
    }
    return [found.get(month) or 0 for month in months]
