"""The search page in the permission matrix (see tests/permission_matrix.py): every signed-in person may
search (what they find is their own: tests/search/test_search.py); an anonymous visitor is sent to sign in.
It takes no POST (``require_safe``)."""

from __future__ import annotations

from tests import permission_matrix as pm


def build(world) -> None:
    """The search reads the world's notices and the apps' objects: nothing of its own to make."""


ROWS = [pm.Row("search:results", pm.everyone(200))]

POST_ROWS: list = []
