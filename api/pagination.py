"""Cursor paging: stable under inserts (no row seen twice or skipped), no COUNT over a large list."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """``?cursor=`` from a page's ``next``/``previous``; ``?page_size=`` up to 200 (25 by default, the length
    of the pages' own lists, so that a page of the API costs what a page of the platform costs — measured
    in docs/benchmarks.md). The order is each list's own (``ordering`` on its view), ending with the
    primary key so that it is total."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-pk",)

    def get_ordering(self, request, queryset, view):
        """The view's ``ordering`` (each list's own, as on its page), else the newest first."""
        return tuple(getattr(view, "ordering", None) or self.ordering)
