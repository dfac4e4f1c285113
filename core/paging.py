"""Long lists paged over a capped count: "1,000+ notices" costs at most cap+1 index entries, where an exact
count of a list of a million rows reads them all."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def count_capped(queryset: QuerySet, cap: int = 1000) -> tuple[int, bool]:
    """(count, more): an exact count up to ``cap``, and whether there are more."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def capped_page(
    queryset: QuerySet, number, *, per_page: int, cap: int, known: int | None = None
) -> tuple[Page, int, bool]:
    """The page ``number`` (any text: a bad one gives the first or last page), with the capped count (or
    ``known``, the length when the caller already has it)."""
    count, more = count_capped(queryset, cap) if known is None else (min(known, cap), known > cap)
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # pages over the known length: the paginator never counts again
    return paginator.get_page(number), count, more


#: Long lists count up to here ("10,000+"): a page of a list longer than that costs no full count.
LIST_CAP = 10_000


def page_of(request, queryset: QuerySet, *, per_page: int, cap: int = LIST_CAP) -> Page:
    """The page of ``queryset`` the request asks for (``?page=``, any text: a bad one gives the first or
    last page), over a capped count — the one way every list of the platform pages."""
    page, _count, _more = capped_page(queryset, request.GET.get("page"), per_page=per_page, cap=cap)
    return page
